import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_FALKOR_RECORDS_KEY_PREFIX,
  type FalkorDeduplicationStore,
  FalkorRecordStoreError,
  type FalkorRecordsOptions,
  type FalkorReservationResult,
  MemoryFalkorDeduplicationStore,
} from '../../src/index.js';
import { prepareFalkorRecords } from '../../src/nest/falkor-webhook.settings.js';
import { type FalkorRecordChange, falkorRecordChanges } from '../../src/records/record.changes.js';
import { FalkorRecordClaims } from '../../src/records/record.claims.js';
import {
  falkorSampleAttendee,
  falkorSampleEvent,
  falkorSamplePayload,
} from '../../src/testing/index.js';
import { ControlledStore } from '../support/controlled.store.js';

type Method = 'reserve' | 'complete' | 'release' | 'reserveMany' | 'completeMany' | 'releaseMany';

/** A store of the contract without the batch methods, over the memory store, that logs its calls. */
class SingleKeyStore implements FalkorDeduplicationStore {
  readonly inner = new MemoryFalkorDeduplicationStore();
  readonly calls: { method: Method; keys: readonly string[] }[] = [];
  /** Keys whose reservation fails (after the others of the call were reserved). */
  readonly failingKeys = new Set<string>();

  reserve(key: string, token: string, ttlMs: number): Promise<FalkorReservationResult> {
    this.calls.push({ method: 'reserve', keys: [key] });
    return this.failingKeys.has(key)
      ? Promise.reject(new Error(`reserve of ${key} failed`))
      : this.inner.reserve(key, token, ttlMs);
  }

  complete(key: string, token: string, ttlMs: number): Promise<boolean> {
    this.calls.push({ method: 'complete', keys: [key] });
    return this.inner.complete(key, token, ttlMs);
  }

  release(key: string, token: string): Promise<boolean> {
    this.calls.push({ method: 'release', keys: [key] });
    return this.inner.release(key, token);
  }

  methods(): Method[] {
    return this.calls.map(({ method }) => method);
  }
}

/** The same store with the batch methods, each one call whatever the number of keys. */
class BatchStore extends SingleKeyStore {
  async reserveMany(
    keys: readonly string[],
    token: string,
    ttlMs: number,
  ): Promise<FalkorReservationResult[]> {
    this.calls.push({ method: 'reserveMany', keys });
    const states: FalkorReservationResult[] = [];
    for (const key of keys) {
      if (this.failingKeys.has(key)) {
        throw new Error(`reserveMany failed at ${key}`);
      }
      states.push(await this.inner.reserve(key, token, ttlMs));
    }
    return states;
  }

  completeMany(keys: readonly string[], token: string, ttlMs: number): Promise<boolean[]> {
    this.calls.push({ method: 'completeMany', keys });
    return this.inner.completeMany(keys, token, ttlMs);
  }

  releaseMany(keys: readonly string[], token: string): Promise<boolean[]> {
    this.calls.push({ method: 'releaseMany', keys });
    return this.inner.releaseMany(keys, token);
  }
}

class RecordingLog {
  readonly lines: { level: 'log' | 'warn' | 'error'; message: string }[] = [];
  log(message: string): void {
    this.lines.push({ level: 'log', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }
  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }
  at(level: 'log' | 'warn' | 'error'): string[] {
    return this.lines.filter((line) => line.level === level).map(({ message }) => message);
  }
}

function claimsOver(store: FalkorDeduplicationStore, options: FalkorRecordsOptions = {}) {
  const log = new RecordingLog();
  const settings = prepareFalkorRecords({ store, ...options }, undefined);
  if (settings === undefined) {
    throw new Error('records are on');
  }
  return { claims: new FalkorRecordClaims(settings, log), log };
}

let runs = 0;

/** One change per attendee guid, all booked at one event of its own. */
function changes(...guids: string[]): FalkorRecordChange[] {
  const event = `FABK-${++runs}`;
  const payload = falkorSamplePayload('events', {
    data: {
      events: [
        falkorSampleEvent({
          ID: event,
          attendees: guids.map((guid) => falkorSampleAttendee({ guid })),
        }),
      ],
    },
  });
  return falkorRecordChanges('events', payload, () => true, DEFAULT_FALKOR_RECORDS_KEY_PREFIX);
}

describe('FalkorRecordClaims over the memory store', () => {
  it('holds every new change, then finds them done once settled as succeeded', async () => {
    const { claims } = claimsOver(new MemoryFalkorDeduplicationStore());
    const found = changes('a', 'b', 'c');
    const first = await claims.reserve(found);
    expect(first.held).toEqual(found);
    expect(first).toMatchObject({ alreadyDone: 0, inFlight: 0 });
    await claims.settle(first, [true, true, true]);
    const again = await claims.reserve(found);
    expect(again).toMatchObject({ held: [], alreadyDone: 3, inFlight: 0 });
  });

  it('completes only the changes whose listeners all succeeded: the others are held again', async () => {
    const { claims } = claimsOver(new MemoryFalkorDeduplicationStore());
    const found = changes('a', 'b', 'c');
    await claims.settle(await claims.reserve(found), [true, false, true]);
    const retry = await claims.reserve(found);
    expect(retry.held).toEqual([found[1]]);
    expect(retry).toMatchObject({ alreadyDone: 2, inFlight: 0 });
    await claims.settle(retry, [true]);
    expect(await claims.reserve(found)).toMatchObject({ held: [], alreadyDone: 3 });
  });

  it('counts a change another delivery holds as in flight, and holds the others', async () => {
    const { claims } = claimsOver(new MemoryFalkorDeduplicationStore());
    const [a, b, c] = changes('a', 'b', 'c');
    const first = await claims.reserve([a, b]);
    const second = await claims.reserve([b, c]);
    expect(second.held).toEqual([c]);
    expect(second).toMatchObject({ alreadyDone: 0, inFlight: 1 });
    await claims.settle(second, [true]);
    await claims.settle(first, [true, true]);
    expect(await claims.reserve([b, c])).toMatchObject({ held: [], alreadyDone: 2, inFlight: 0 });
  });

  it('lets a change whose holder failed be held by the next delivery', async () => {
    const { claims } = claimsOver(new MemoryFalkorDeduplicationStore());
    const [a, b] = changes('a', 'b');
    const first = await claims.reserve([a, b]);
    expect((await claims.reserve([b])).inFlight).toBe(1);
    await claims.settle(first, [true, false]);
    const next = await claims.reserve([b]);
    expect(next.held).toEqual([b]);
  });

  it('shares the record between instances that share the store', async () => {
    const store = new MemoryFalkorDeduplicationStore();
    const one = claimsOver(store).claims;
    const two = claimsOver(store).claims;
    const [a, b] = changes('a', 'b');
    const held = await one.reserve([a]);
    expect(await two.reserve([a, b])).toMatchObject({ held: [b], inFlight: 1 });
    await one.settle(held, [true]);
    expect(await two.reserve([a])).toMatchObject({ held: [], alreadyDone: 1 });
  });

  it('ignores a settle of a change it does not hold', async () => {
    const { claims } = claimsOver(new MemoryFalkorDeduplicationStore());
    const [a, b] = changes('a', 'b');
    const first = await claims.reserve([a]);
    const second = await claims.reserve([a, b]);
    // The second delivery does not hold `a`: settling it cannot complete `a` for the first.
    await claims.settle(second, [true]);
    await claims.settle(first, [false]);
    expect((await claims.reserve([a])).held).toEqual([a]);
  });
});

describe('FalkorRecordClaims and the store calls of a delivery', () => {
  it('reaches the store not at all for a delivery without changes', async () => {
    const store = new BatchStore();
    const { claims } = claimsOver(store);
    const claim = await claims.reserve([]);
    expect(claim).toEqual({ held: [], alreadyDone: 0, inFlight: 0 });
    await claims.settle(claim, []);
    expect(store.calls).toEqual([]);
  });

  it('calls each batch method once per delivery when the store has them', async () => {
    const store = new BatchStore();
    const { claims } = claimsOver(store);
    const found = changes('a', 'b', 'c', 'd', 'e');
    const keys = found.map(({ key }) => key);
    const claim = await claims.reserve(found);
    expect(store.calls).toEqual([{ method: 'reserveMany', keys }]);
    await claims.settle(claim, [true, false, true, false, true]);
    expect(store.methods().sort()).toEqual(['completeMany', 'releaseMany', 'reserveMany']);
    expect(store.calls.find(({ method }) => method === 'completeMany')?.keys).toEqual([
      keys[0],
      keys[2],
      keys[4],
    ]);
    expect(store.calls.find(({ method }) => method === 'releaseMany')?.keys).toEqual([
      keys[1],
      keys[3],
    ]);
  });

  it('makes one store call per step for a delivery of one change', async () => {
    const store = new BatchStore();
    const { claims } = claimsOver(store);
    await claims.settle(await claims.reserve(changes('a')), [true]);
    expect(store.calls).toHaveLength(2);
    expect(store.calls.every(({ keys }) => keys.length === 1)).toBe(true);
  });

  it('asks the batch methods only about the keys it holds', async () => {
    const store = new BatchStore();
    const { claims } = claimsOver(store);
    const [a, b, c] = changes('a', 'b', 'c');
    await claims.settle(await claims.reserve([a]), [true]);
    store.calls.length = 0;
    const claim = await claims.reserve([a, b, c]);
    expect(claim).toMatchObject({ held: [b, c], alreadyDone: 1 });
    await claims.settle(claim, [true, true]);
    expect(store.calls.map(({ method, keys }) => [method, keys.length])).toEqual([
      ['reserveMany', 3],
      ['completeMany', 2],
    ]);
  });

  it('falls back to one call per key when the store has no batch methods', async () => {
    const store = new SingleKeyStore();
    const { claims } = claimsOver(store);
    const found = changes('a', 'b', 'c');
    const claim = await claims.reserve(found);
    expect(claim.held).toEqual(found);
    await claims.settle(claim, [true, true, false]);
    expect(store.methods().sort()).toEqual([
      'complete',
      'complete',
      'release',
      'reserve',
      'reserve',
      'reserve',
    ]);
    expect(new Set(store.calls.flatMap(({ keys }) => keys))).toEqual(
      new Set(found.map(({ key }) => key)),
    );
  });
});

describe('FalkorRecordClaims when the store fails', () => {
  it('throws FalkorRecordStoreError, a 503 with Retry-After, and holds nothing', async () => {
    const store = new ControlledStore();
    const { claims, log } = claimsOver(store, { retryAfterSeconds: 7 });
    const found = changes('a', 'b');
    store.mode = 'fail';
    const failure = await claims.reserve(found).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FalkorRecordStoreError);
    expect(failure).toMatchObject({
      status: 503,
      code: 'records_unavailable',
      retryAfterSeconds: 7,
    });
    expect((failure as Error).message).toContain('Retry it after 7 s');
    expect(((failure as Error).cause as Error).message).toContain('ECONNREFUSED');
    await expect(claims.reserve(found)).rejects.toBeInstanceOf(FalkorRecordStoreError);
    expect(log.at('error')).toHaveLength(1);
    expect(log.at('error')[0]).toContain('record events store is unavailable');

    store.mode = 'ok';
    const recovered = await claims.reserve(found);
    expect(recovered.held).toEqual(found);
    expect(log.at('log').some((line) => line.includes('available again'))).toBe(true);
  });

  it('throws FalkorRecordStoreError when the store does not answer within storeTimeoutMs', async () => {
    const store = new ControlledStore();
    const { claims } = claimsOver(store, { storeTimeoutMs: 25 });
    store.mode = 'hang';
    const failure = await claims.reserve(changes('a')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FalkorRecordStoreError);
    expect(((failure as Error).cause as Error).message).toBe('reserve timed out after 25 ms');
  });

  it('gives back a reservation that lands after its timeout, so that the retry holds it', async () => {
    const inner = new MemoryFalkorDeduplicationStore();
    let land: () => void = () => undefined;
    const landed = new Promise<void>((resolve) => (land = resolve));
    let released: () => void = () => undefined;
    const wasReleased = new Promise<void>((resolve) => (released = resolve));
    let slow = true;
    const store: FalkorDeduplicationStore = {
      reserve: async (key, token, ttlMs) => {
        if (slow) {
          slow = false;
          await landed;
        }
        return inner.reserve(key, token, ttlMs);
      },
      complete: (key, token, ttlMs) => inner.complete(key, token, ttlMs),
      release: async (key, token) => {
        const result = await inner.release(key, token);
        released();
        return result;
      },
    };
    const { claims } = claimsOver(store, { storeTimeoutMs: 25 });
    const found = changes('a');
    await expect(claims.reserve(found)).rejects.toBeInstanceOf(FalkorRecordStoreError);
    land();
    await wasReleased;
    expect((await claims.reserve(found)).held).toEqual(found);
  });

  function answering(single: unknown, many: (keys: readonly string[]) => unknown) {
    const inner = new MemoryFalkorDeduplicationStore();
    const store: FalkorDeduplicationStore = {
      reserve: () => Promise.resolve(single as FalkorReservationResult),
      complete: (key, token, ttlMs) => inner.complete(key, token, ttlMs),
      release: (key, token) => inner.release(key, token),
      reserveMany: (keys) => Promise.resolve(many(keys) as FalkorReservationResult[]),
    };
    return claimsOver(store).claims;
  }

  it('refuses a store that answers a state the contract does not name', async () => {
    const claims = answering('maybe', (keys) => keys.map(() => 'maybe'));
    await expect(claims.reserve(changes('a'))).rejects.toBeInstanceOf(FalkorRecordStoreError);
    await expect(claims.reserve(changes('a', 'b'))).rejects.toBeInstanceOf(FalkorRecordStoreError);
  });

  it('refuses a batch store that answers fewer states than keys', async () => {
    const claims = answering('reserved', (keys) => keys.slice(1).map(() => 'reserved'));
    await expect(claims.reserve(changes('a', 'b'))).rejects.toBeInstanceOf(FalkorRecordStoreError);
  });

  it('refuses a store whose reserve() answers undefined', async () => {
    const claims = answering(undefined as unknown as string, (keys) => keys.map(() => undefined));
    await expect(claims.reserve(changes('a'))).rejects.toBeInstanceOf(FalkorRecordStoreError);
    await expect(claims.reserve(changes('a', 'b'))).rejects.toBeInstanceOf(FalkorRecordStoreError);
  });

  it('never throws from settle: an outcome the store refuses is recorded when it is back', async () => {
    const store = new ControlledStore();
    const { claims, log } = claimsOver(store);
    const found = changes('a', 'b');
    const claim = await claims.reserve(found);
    store.mode = 'fail';
    await expect(claims.settle(claim, [true, true])).resolves.toBeUndefined();
    expect(log.at('error')).toHaveLength(1);
    store.mode = 'ok';
    // The last attempt made at shutdown records what waited.
    await claims.close();
    expect(log.at('warn')).toEqual([]);
    expect(await claimsOver(store).claims.reserve(found)).toMatchObject({
      held: [],
      alreadyDone: 2,
    });
  });

  it('gives back the keys a batch reserve did reserve before it failed', async () => {
    const store = new MemoryFalkorDeduplicationStore({ maxEntries: 2 });
    const { claims } = claimsOver(store);
    await expect(claims.reserve(changes('a', 'b', 'c'))).rejects.toBeInstanceOf(
      FalkorRecordStoreError,
    );
    const retry = await claimsOver(store).claims.reserve(changes('a', 'b'));
    expect(retry).toMatchObject({ inFlight: 0, alreadyDone: 0 });
    expect(retry.held).toHaveLength(2);
  });

  it('gives back the keys single reserves did reserve when one of them failed', async () => {
    const inner = new MemoryFalkorDeduplicationStore();
    let calls = 0;
    const store: FalkorDeduplicationStore = {
      reserve: (key, token, ttlMs) =>
        ++calls === 2 ? Promise.reject(new Error('down')) : inner.reserve(key, token, ttlMs),
      complete: (key, token, ttlMs) => inner.complete(key, token, ttlMs),
      release: (key, token) => inner.release(key, token),
    };
    await expect(claimsOver(store).claims.reserve(changes('a', 'b', 'c'))).rejects.toBeInstanceOf(
      FalkorRecordStoreError,
    );
    expect(inner.size).toBe(0);
  });
});
