import type { FalkorDeduplicationStore, FalkorReservationResult } from 'nestjs-falkor-webhook';

/**
 * A store that delegates to a real one and counts the calls it gets. On Redis a call is one round
 * trip (a `…Many` call is one pipeline), except a `reserve` of a key already there, which is two
 * (`SET NX`, then `GET`). With `batch: false` it hides the `…Many` methods, as a store written
 * without them would, and the module calls it once per key.
 */
export class CountingStore implements FalkorDeduplicationStore {
  /** Calls received so far, every method together. */
  calls = 0;
  /** The batch methods, when the wrapped store has them and `batch` is on. */
  readonly reserveMany?: FalkorDeduplicationStore['reserveMany'];
  /** See {@link CountingStore.reserveMany}. */
  readonly completeMany?: FalkorDeduplicationStore['completeMany'];
  /** See {@link CountingStore.reserveMany}. */
  readonly releaseMany?: FalkorDeduplicationStore['releaseMany'];

  /**
   * @param inner - the real store
   * @param batch - whether to offer the wrapped store's `…Many` methods
   */
  constructor(
    private readonly inner: FalkorDeduplicationStore,
    batch: boolean,
  ) {
    const { reserveMany, completeMany, releaseMany } = inner;
    if (batch && reserveMany && completeMany && releaseMany) {
      this.reserveMany = (keys, token, ttlMs) =>
        this.count(reserveMany.call(inner, keys, token, ttlMs));
      this.completeMany = (keys, token, ttlMs) =>
        this.count(completeMany.call(inner, keys, token, ttlMs));
      this.releaseMany = (keys, token) => this.count(releaseMany.call(inner, keys, token));
    }
  }

  /** {@inheritDoc FalkorDeduplicationStore.reserve} */
  reserve(key: string, token: string, ttlMs: number): Promise<FalkorReservationResult> {
    return this.count(this.inner.reserve(key, token, ttlMs));
  }

  /** {@inheritDoc FalkorDeduplicationStore.complete} */
  complete(key: string, token: string, ttlMs: number): Promise<boolean> {
    return this.count(this.inner.complete(key, token, ttlMs));
  }

  /** {@inheritDoc FalkorDeduplicationStore.release} */
  release(key: string, token: string): Promise<boolean> {
    return this.count(this.inner.release(key, token));
  }

  private count<T>(call: Promise<T>): Promise<T> {
    this.calls++;
    return call;
  }
}
