import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  DEFAULT_FALKOR_DEDUPLICATION_MAX_ENTRIES,
  MemoryFalkorDeduplicationStore,
} from '../../src/index.js';
import { describeStoreContract } from '../support/store.contract.js';

const shared = new MemoryFalkorDeduplicationStore();
describeStoreContract('MemoryFalkorDeduplicationStore', () => shared);

function clocked(maxEntries?: number) {
  const clock = { now: 1_000 };
  const store = new MemoryFalkorDeduplicationStore({ maxEntries, now: () => clock.now });
  return { clock, store };
}

describe('MemoryFalkorDeduplicationStore', () => {
  it('lets an abandoned reservation expire after its TTL', async () => {
    const { clock, store } = clocked();
    await store.reserve('k', 'a', 500);
    clock.now += 499;
    expect(await store.reserve('k', 'b', 500)).toBe('in_flight');
    clock.now += 1;
    expect(await store.reserve('k', 'b', 500)).toBe('reserved');
    expect(await store.complete('k', 'a', 10_000)).toBe(false);
  });

  it('remembers a completed delivery for the completion TTL, counted from completion', async () => {
    const { clock, store } = clocked();
    await store.reserve('k', 'a', 500);
    clock.now += 400;
    await store.complete('k', 'a', 10_000);
    clock.now += 9_999;
    expect(await store.reserve('k', 'b', 500)).toBe('completed');
    clock.now += 1;
    expect(await store.reserve('k', 'b', 500)).toBe('reserved');
  });

  it('never holds more than maxEntries records, forgetting the oldest first', async () => {
    const { store } = clocked(3);
    for (const key of ['a', 'b', 'c', 'd']) {
      await store.reserve(key, key, 60_000);
      await store.complete(key, key, 60_000);
    }
    expect(store.size).toBe(3);
    expect(await store.reserve('a', 'again', 60_000)).toBe('reserved');
    expect(await store.reserve('d', 'again', 60_000)).toBe('completed');
  });

  it('drops expired records as new ones arrive, so idle memory does not build up', async () => {
    const { clock, store } = clocked();
    for (let i = 0; i < 100; i++) {
      await store.reserve(`old-${i}`, 't', 1_000);
      await store.complete(`old-${i}`, 't', 1_000);
    }
    clock.now += 1_000;
    for (let i = 0; i < 50; i++) {
      await store.reserve(`new-${i}`, 't', 1_000);
    }
    expect(store.size).toBe(50);
  });

  it('stays within its cap under any sequence of operations and clock moves', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.array(
          fc.record({
            operation: fc.constantFrom('reserve', 'complete', 'release', 'tick'),
            key: fc.integer({ min: 0, max: 20 }),
            ms: fc.integer({ min: 0, max: 2_000 }),
          }),
          { maxLength: 200 },
        ),
        async (maxEntries, operations) => {
          const { clock, store } = clocked(maxEntries);
          for (const { operation, key, ms } of operations) {
            if (operation === 'tick') {
              clock.now += ms;
            } else if (operation === 'reserve') {
              await store.reserve(String(key), 't', ms + 1);
            } else if (operation === 'complete') {
              await store.complete(String(key), 't', ms + 1);
            } else {
              await store.release(String(key), 't');
            }
            expect(store.size).toBeLessThanOrEqual(maxEntries);
          }
        },
      ),
    );
  });

  it('defaults to a cap of 100,000 records and refuses a cap that is not a positive integer', () => {
    expect(DEFAULT_FALKOR_DEDUPLICATION_MAX_ENTRIES).toBe(100_000);
    expect(() => new MemoryFalkorDeduplicationStore({ maxEntries: 0 })).toThrow('maxEntries');
    expect(() => new MemoryFalkorDeduplicationStore({ maxEntries: 1.5 })).toThrow('maxEntries');
  });
});
