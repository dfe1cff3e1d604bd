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

/**
 * The behaviour every {@link FalkorDeduplicationStore} must have, run against a real store.
 *
 * @param createStore - gives a store; several calls share one record (as two instances would)
 */
export function describeStoreContract(
  name: string,
  createStore: () => FalkorDeduplicationStore,
): void {
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
