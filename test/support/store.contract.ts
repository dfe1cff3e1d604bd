import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { FalkorDeduplicationStore, FalkorReservationResult } from '../../src/index.js';

const LONG_TTL_MS = 60_000;

let sequence = 0;

/** A key no other test of the run uses. */
export function uniqueKey(label = 'key'): string {
  sequence++;
  return `${label}-${process.pid}-${Date.now()}-${sequence}`;
}

interface ModelEntry {
  token: string;
  completed: boolean;
}

type Model = Map<string, ModelEntry>;

/** What any correct store answers, on a model without time. */
function expected(
  model: Model,
  operation: 'reserve' | 'complete' | 'release',
  key: string,
  token: string,
): FalkorReservationResult | boolean {
  const entry = model.get(key);
  switch (operation) {
    case 'reserve':
      if (entry === undefined) {
        model.set(key, { token, completed: false });
        return 'reserved';
      }
      return entry.completed ? 'completed' : entry.token === token ? 'reserved' : 'in_flight';
    case 'complete':
      if (entry === undefined || entry.token !== token) {
        return false;
      }
      entry.completed = true;
      return true;
    case 'release':
      if (entry === undefined || entry.completed || entry.token !== token) {
        return false;
      }
      model.delete(key);
      return true;
  }
}

/** What a batch method answers, on the model: each key as its single-key method, in order. */
function expectedBatch(
  model: Model,
  operation: 'reserve' | 'complete' | 'release',
  keys: readonly string[],
  token: string,
): (FalkorReservationResult | boolean)[] {
  return keys.map((key) => expected(model, operation, key, token));
}

/** A store with the three optional `…Many` methods. */
type BatchStore = FalkorDeduplicationStore &
  Required<Pick<FalkorDeduplicationStore, 'reserveMany' | 'completeMany' | 'releaseMany'>>;

/** Options of {@link describeStoreContract}. */
export interface StoreContractOptions {
  /**
   * The store implements `reserveMany`, `completeMany` and `releaseMany`: the suite checks that
   * it does, and that they agree with the single-key methods. Default `false`.
   */
  readonly batchMethods?: boolean;
}

/**
 * The behaviour every {@link FalkorDeduplicationStore} must have, run against a real store.
 *
 * @param name - the store's name, for the suite's title
 * @param createStore - gives a store; several calls share one record (as two instances would)
 * @param options - which optional parts of the contract the store implements
 */
export function describeStoreContract(
  name: string,
  createStore: () => FalkorDeduplicationStore,
  options: StoreContractOptions = {},
): void {
  if (options.batchMethods) {
    describeBatchContract(name, createStore);
  }
  describe(`${name}: the store contract`, () => {
    it('reserves a free key once, and tells other tokens it is in flight', async () => {
      const store = createStore();
      const key = uniqueKey();
      expect(await store.reserve(key, 'a', LONG_TTL_MS)).toBe('reserved');
      expect(await store.reserve(key, 'b', LONG_TTL_MS)).toBe('in_flight');
      expect(await store.reserve(key, 'a', LONG_TTL_MS)).toBe('reserved');
    });

    it('remembers a completed key, and completing it again with its token is idempotent', async () => {
      const store = createStore();
      const key = uniqueKey();
      await store.reserve(key, 'a', LONG_TTL_MS);
      expect(await store.complete(key, 'a', LONG_TTL_MS)).toBe(true);
      expect(await store.reserve(key, 'b', LONG_TTL_MS)).toBe('completed');
      expect(await store.reserve(key, 'a', LONG_TTL_MS)).toBe('completed');
      expect(await store.complete(key, 'a', LONG_TTL_MS)).toBe(true);
      expect(await store.release(key, 'a')).toBe(false);
      expect(await store.reserve(key, 'c', LONG_TTL_MS)).toBe('completed');
    });

    it('frees a released key for the next attempt', async () => {
      const store = createStore();
      const key = uniqueKey();
      await store.reserve(key, 'a', LONG_TTL_MS);
      expect(await store.release(key, 'a')).toBe(true);
      expect(await store.reserve(key, 'b', LONG_TTL_MS)).toBe('reserved');
    });

    it('lets no other token complete or release a reservation', async () => {
      const store = createStore();
      const key = uniqueKey();
      await store.reserve(key, 'owner', LONG_TTL_MS);
      expect(await store.complete(key, 'intruder', LONG_TTL_MS)).toBe(false);
      expect(await store.release(key, 'intruder')).toBe(false);
      expect(await store.reserve(key, 'other', LONG_TTL_MS)).toBe('in_flight');
      expect(await store.complete(key, 'owner', LONG_TTL_MS)).toBe(true);
    });

    it('answers false to completing or releasing a key nobody reserved', async () => {
      const store = createStore();
      expect(await store.complete(uniqueKey(), 'a', LONG_TTL_MS)).toBe(false);
      expect(await store.release(uniqueKey(), 'a')).toBe(false);
    });

    it('grants exactly one of 50 concurrent reservations, across store instances', async () => {
      const stores = [createStore(), createStore()];
      const key = uniqueKey();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => stores[i % 2].reserve(key, `token-${i}`, LONG_TTL_MS)),
      );
      expect(results.filter((result) => result === 'reserved')).toHaveLength(1);
      expect(results.filter((result) => result === 'in_flight')).toHaveLength(49);
    });

    it('agrees with the model on any sequence of operations', async () => {
      const store = createStore();
      const operation = fc.record({
        operation: fc.constantFrom('reserve' as const, 'complete' as const, 'release' as const),
        key: fc.integer({ min: 0, max: 3 }),
        token: fc.constantFrom('t1', 't2', 't3'),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(operation, { maxLength: 30 }), async (operations) => {
          const prefix = uniqueKey('model');
          const model: Model = new Map();
          for (const { operation: name, key, token } of operations) {
            const storeKey = `${prefix}-${key}`;
            const actual =
              name === 'reserve'
                ? await store.reserve(storeKey, token, LONG_TTL_MS)
                : name === 'complete'
                  ? await store.complete(storeKey, token, LONG_TTL_MS)
                  : await store.release(storeKey, token);
            expect(actual).toBe(expected(model, name, storeKey, token));
          }
        }),
        { numRuns: 60 },
      );
    });
  });
}

/** The state a key is put in before a batch call, by single-key calls of other tokens or its own. */
type KeyState = 'free' | 'held' | 'held-by-other' | 'done' | 'done-by-other';

const KEY_STATES: readonly KeyState[] = ['free', 'held', 'held-by-other', 'done', 'done-by-other'];

/** Puts `key` in `state` for `token` with the single-key methods. */
async function prepare(
  store: FalkorDeduplicationStore,
  key: string,
  state: KeyState,
  token: string,
): Promise<void> {
  const owner = state.endsWith('by-other') ? `other-${token}` : token;
  if (state !== 'free') {
    await store.reserve(key, owner, LONG_TTL_MS);
  }
  if (state.startsWith('done')) {
    await store.complete(key, owner, LONG_TTL_MS);
  }
}

/** What each batch method answers for a key in a state, asked with `token`. */
const BATCH_ANSWERS: Readonly<
  Record<KeyState, { reserve: FalkorReservationResult; complete: boolean; release: boolean }>
> = {
  free: { reserve: 'reserved', complete: false, release: false },
  held: { reserve: 'reserved', complete: true, release: true },
  'held-by-other': { reserve: 'in_flight', complete: false, release: false },
  done: { reserve: 'completed', complete: true, release: false },
  'done-by-other': { reserve: 'completed', complete: false, release: false },
};

function asBatchStore(store: FalkorDeduplicationStore): BatchStore {
  expect(typeof store.reserveMany).toBe('function');
  expect(typeof store.completeMany).toBe('function');
  expect(typeof store.releaseMany).toBe('function');
  return store as BatchStore;
}

/** The `…Many` part of the contract: each key as its single-key method would, in key order. */
function describeBatchContract(name: string, createStore: () => FalkorDeduplicationStore): void {
  describe(`${name}: the store contract of the …Many methods`, () => {
    it('implements reserveMany, completeMany and releaseMany', () => {
      asBatchStore(createStore());
    });

    it('answers each key in the order of the keys, as its single-key method would', async () => {
      const store = asBatchStore(createStore());
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.constantFrom(...KEY_STATES), { minLength: 1, maxLength: 12 }),
          fc.constantFrom('reserve' as const, 'complete' as const, 'release' as const),
          async (states, operation) => {
            const prefix = uniqueKey('order');
            const keys = states.map((_, index) => `${prefix}-${index}`);
            await Promise.all(keys.map((key, index) => prepare(store, key, states[index], 't')));
            const answers =
              operation === 'reserve'
                ? await store.reserveMany(keys, 't', LONG_TTL_MS)
                : operation === 'complete'
                  ? await store.completeMany(keys, 't', LONG_TTL_MS)
                  : await store.releaseMany(keys, 't');
            expect(answers).toEqual(states.map((state) => BATCH_ANSWERS[state][operation]));
          },
        ),
        { numRuns: 40 },
      );
    });

    it('is idempotent per token: the same batch sent again answers the same', async () => {
      const store = asBatchStore(createStore());
      const prefix = uniqueKey('again');
      const keys = Array.from({ length: 5 }, (_, index) => `${prefix}-${index}`);
      const all = <T>(value: T) => keys.map(() => value);
      expect(await store.reserveMany(keys, 'a', LONG_TTL_MS)).toEqual(all('reserved'));
      expect(await store.reserveMany(keys, 'a', LONG_TTL_MS)).toEqual(all('reserved'));
      expect(await store.reserveMany(keys, 'b', LONG_TTL_MS)).toEqual(all('in_flight'));
      expect(await store.completeMany(keys, 'a', LONG_TTL_MS)).toEqual(all(true));
      expect(await store.completeMany(keys, 'a', LONG_TTL_MS)).toEqual(all(true));
      expect(await store.releaseMany(keys, 'a')).toEqual(all(false));
      expect(await store.reserveMany(keys, 'b', LONG_TTL_MS)).toEqual(all('completed'));
      expect(await store.reserveMany(keys, 'a', LONG_TTL_MS)).toEqual(all('completed'));
      // A release sent again finds the key free: `false`, and the key stays free for anyone.
      const freed = keys.map((key) => `${key}-freed`);
      await store.reserveMany(freed, 'a', LONG_TTL_MS);
      expect(await store.releaseMany(freed, 'a')).toEqual(all(true));
      expect(await store.releaseMany(freed, 'a')).toEqual(all(false));
      expect(await store.reserveMany(freed, 'b', LONG_TTL_MS)).toEqual(all('reserved'));
    });

    it('answers an empty batch with an empty list', async () => {
      const store = asBatchStore(createStore());
      expect(await store.reserveMany([], 'a', LONG_TTL_MS)).toEqual([]);
      expect(await store.completeMany([], 'a', LONG_TTL_MS)).toEqual([]);
      expect(await store.releaseMany([], 'a')).toEqual([]);
    });

    it('takes a batch of 1,000 keys, the changes of a snapshot', async () => {
      const store = asBatchStore(createStore());
      const prefix = uniqueKey('snapshot');
      const keys = Array.from({ length: 1_000 }, (_, index) => `${prefix}-${index}`);
      const all = <T>(value: T) => keys.map(() => value);
      expect(await store.reserveMany(keys, 'a', LONG_TTL_MS)).toEqual(all('reserved'));
      const [done, failed] = [keys.slice(0, 600), keys.slice(600)];
      expect(await store.completeMany(done, 'a', LONG_TTL_MS)).toEqual(done.map(() => true));
      expect(await store.releaseMany(failed, 'a')).toEqual(failed.map(() => true));
      const again = await store.reserveMany(keys, 'b', LONG_TTL_MS);
      expect(again.slice(0, 600)).toEqual(done.map(() => 'completed'));
      expect(again.slice(600)).toEqual(failed.map(() => 'reserved'));
    });

    it('grants each key of overlapping concurrent batches to exactly one, across instances', async () => {
      const stores = [createStore(), createStore()].map(asBatchStore);
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 15 }), { maxLength: 10 }), {
            minLength: 2,
            maxLength: 8,
          }),
          async (batches) => {
            const prefix = uniqueKey('race');
            const answers = await Promise.all(
              batches.map((batch, index) =>
                stores[index % 2].reserveMany(
                  batch.map((key) => `${prefix}-${key}`),
                  `token-${index}`,
                  LONG_TTL_MS,
                ),
              ),
            );
            const granted = new Map<number, number>();
            batches.forEach((batch, index) =>
              batch.forEach((key, position) => {
                const answer = answers[index][position];
                expect(answer === 'reserved' || answer === 'in_flight').toBe(true);
                if (answer === 'reserved') {
                  granted.set(key, (granted.get(key) ?? 0) + 1);
                }
              }),
            );
            for (const key of new Set(batches.flat())) {
              expect([key, granted.get(key)]).toEqual([key, 1]);
            }
          },
        ),
        { numRuns: 30 },
      );
    });

    it('agrees with the single-key model on any sequence of single and batch operations', async () => {
      const store = asBatchStore(createStore());
      const operation = fc.record({
        operation: fc.constantFrom('reserve' as const, 'complete' as const, 'release' as const),
        // The ledger never repeats a key within a batch: the contract says nothing of repeats.
        keys: fc.uniqueArray(fc.integer({ min: 0, max: 4 }), { maxLength: 5 }),
        batch: fc.boolean(),
        token: fc.constantFrom('t1', 't2', 't3'),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(operation, { maxLength: 25 }), async (operations) => {
          const prefix = uniqueKey('batch-model');
          const model: Model = new Map();
          for (const { operation: name, keys, batch, token } of operations) {
            const storeKeys = keys.map((key) => `${prefix}-${key}`);
            let actual: (FalkorReservationResult | boolean)[];
            if (batch) {
              actual =
                name === 'reserve'
                  ? await store.reserveMany(storeKeys, token, LONG_TTL_MS)
                  : name === 'complete'
                    ? await store.completeMany(storeKeys, token, LONG_TTL_MS)
                    : await store.releaseMany(storeKeys, token);
            } else {
              actual = [];
              for (const key of storeKeys) {
                actual.push(
                  name === 'reserve'
                    ? await store.reserve(key, token, LONG_TTL_MS)
                    : name === 'complete'
                      ? await store.complete(key, token, LONG_TTL_MS)
                      : await store.release(key, token),
                );
              }
            }
            expect(actual).toEqual(expectedBatch(model, name, storeKeys, token));
          }
        }),
        { numRuns: 60 },
      );
    });
  });
}
