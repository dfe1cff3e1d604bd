import {
  type FalkorDeduplicationStore,
  type FalkorReservationResult,
  MemoryFalkorDeduplicationStore,
} from '../../src/index.js';

/** How a {@link ControlledStore} answers: normally, with an error, or never. */
export type StoreMode = 'ok' | 'fail' | 'hang';

type Operation = 'reserve' | 'complete' | 'release';

/**
 * A store written as a user would write one, over the memory store, whose availability a test
 * switches, and which tells the test when an operation reached it.
 */
export class ControlledStore implements FalkorDeduplicationStore {
  readonly inner = new MemoryFalkorDeduplicationStore();
  readonly calls: { operation: Operation; key: string; token: string }[] = [];
  mode: StoreMode = 'ok';
  private readonly waiters: { operation: Operation; resolve: () => void }[] = [];

  /** Resolves at the next call of `operation`. */
  next(operation: Operation): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ operation, resolve }));
  }

  reserve(key: string, token: string, ttlMs: number): Promise<FalkorReservationResult> {
    return this.run('reserve', key, token, () => this.inner.reserve(key, token, ttlMs));
  }

  complete(key: string, token: string, ttlMs: number): Promise<boolean> {
    return this.run('complete', key, token, () => this.inner.complete(key, token, ttlMs));
  }

  release(key: string, token: string): Promise<boolean> {
    return this.run('release', key, token, () => this.inner.release(key, token));
  }

  private run<T>(operation: Operation, key: string, token: string, go: () => Promise<T>) {
    this.calls.push({ operation, key, token });
    for (const waiter of this.waiters.filter((w) => w.operation === operation)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    if (this.mode === 'fail') {
      return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    }
    if (this.mode === 'hang') {
      return new Promise<T>(() => undefined);
    }
    return go();
  }
}
