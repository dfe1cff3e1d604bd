import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  DEFAULT_FALKOR_DEDUPLICATION_MAX_ENTRIES,
  DEFAULT_FALKOR_RECORDS_KEY_PREFIX,
  FalkorRecordStoreError,
  MemoryFalkorDeduplicationStore,
} from '../../src/index.js';
import { prepareFalkorRecords } from '../../src/nest/falkor-webhook.settings.js';
import { type FalkorRecordChange, falkorRecordChanges } from '../../src/records/record.changes.js';
import { FalkorRecordClaims } from '../../src/records/record.claims.js';
import { FalkorDeduplicationStoreFullError } from '../../src/store/memory-deduplication.store.js';
import {
  falkorSampleAttendee,
  falkorSampleEvent,
  falkorSamplePayload,
} from '../../src/testing/index.js';
import { describeStoreContract } from '../support/store.contract.js';

const shared = new MemoryFalkorDeduplicationStore();
describeStoreContract('MemoryFalkorDeduplicationStore', () => shared, { batchMethods: true });

/** One record change per attendee guid, all booked at one event: what the module reserves. */
function attendeeChanges(...guids: string[]): FalkorRecordChange[] {
  const payload = falkorSamplePayload('events', {
    data: {
      events: [
        falkorSampleEvent({
          ID: 'FABK-FULL',
          attendees: guids.map((guid) => falkorSampleAttendee({ guid })),
        }),
      ],
    },
  });
  return falkorRecordChanges('events', payload, () => true, DEFAULT_FALKOR_RECORDS_KEY_PREFIX);
}

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
              await store.reserve(String(key), 't', ms + 1).catch((error: unknown) => {
                // A store full of reservations in flight refuses; nothing else may throw.
                expect(error).toBeInstanceOf(FalkorDeduplicationStoreFullError);
              });
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

  describe('when full', () => {
    it('forgets the record completed longest ago, never a reservation in flight', async () => {
      const { store } = clocked(3);
      await store.reserve('running', 'r', 60_000);
      for (const key of ['done-1', 'done-2']) {
        await store.reserve(key, key, 60_000);
        await store.complete(key, key, 60_000);
      }
      expect(await store.reserve('new', 'n', 60_000)).toBe('reserved');
      expect(store.size).toBe(3);
      // The oldest record of all is the running one: it stays held, done-1 went.
      expect(await store.reserve('running', 'copy', 60_000)).toBe('in_flight');
      expect(await store.reserve('done-2', 'again', 60_000)).toBe('completed');
      expect(await store.complete('running', 'r', 60_000)).toBe(true);
    });

    it('forgets by completion, not by reservation: a long run completed last stays longest', async () => {
      const { store } = clocked(2);
      await store.reserve('long', 'l', 60_000);
      await store.reserve('short', 's', 60_000);
      await store.complete('short', 's', 60_000);
      await store.complete('long', 'l', 60_000);
      await store.reserve('next', 'n', 60_000);
      expect(await store.reserve('long', 'again', 60_000)).toBe('completed');
      expect(await store.reserve('short', 'again', 60_000)).not.toBe('completed');
    });

    it('refuses a new reservation with an error naming the cause when all are in flight', async () => {
      const { store } = clocked(2);
      await store.reserve('a', 'a', 60_000);
      await store.reserve('b', 'b', 60_000);
      const refused = store.reserve('c', 'c', 60_000);
      await expect(refused).rejects.toBeInstanceOf(FalkorDeduplicationStoreFullError);
      await expect(store.reserve('c', 'c', 60_000)).rejects.toThrow(
        /full of deliveries in flight: all 2 .*"maxEntries"/,
      );
      expect(store.size).toBe(2);
      expect(await store.reserve('a', 'copy', 60_000)).toBe('in_flight');
      expect(await store.reserve('b', 'copy', 60_000)).toBe('in_flight');
      // Asking again for a key it holds is no new record, and still answered.
      expect(await store.reserve('a', 'a', 60_000)).toBe('reserved');
    });

    it('takes new reservations again once one in flight completes, is released or expires', async () => {
      const { clock, store } = clocked(2);
      await store.reserve('a', 'a', 1_000);
      await store.reserve('b', 'b', 60_000);
      await store.complete('b', 'b', 60_000);
      expect(await store.reserve('c', 'c', 60_000)).toBe('reserved');
      await store.release('c', 'c');
      expect(await store.reserve('d', 'd', 60_000)).toBe('reserved');
      await expect(store.reserve('e', 'e', 60_000)).rejects.toBeInstanceOf(
        FalkorDeduplicationStoreFullError,
      );
      clock.now += 1_000;
      expect(await store.reserve('e', 'e', 60_000)).toBe('reserved');
      expect(await store.reserve('d', 'copy', 60_000)).toBe('in_flight');
    });

    // Regression: the module's ledger left the keys a refused batch had reserved "in flight"
    // under a token nobody settles, so the delivery's retry met 409 until inFlightTtlSeconds.
    it('a batch refused as full holds none of its keys once the refusal reaches the module', async () => {
      const store = new MemoryFalkorDeduplicationStore({ maxEntries: 4 });
      const settings = prepareFalkorRecords({ store }, undefined);
      if (settings === undefined) {
        throw new Error('records are on');
      }
      const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
      const claims = new FalkorRecordClaims(settings, quiet);
      const [x, y, a, b, c] = attendeeChanges('x', 'y', 'a', 'b', 'c');

      const running = await claims.reserve([x, y]);
      expect(running.held).toEqual([x, y]);
      // Room for two more: a and b are reserved, c is refused, the batch fails.
      const refusal = await claims.reserve([a, b, c]).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(FalkorRecordStoreError);
      expect((refusal as Error).cause).toBeInstanceOf(FalkorDeduplicationStoreFullError);
      // Only the running delivery's two keys are left once the refusal is reported.
      expect(store.size).toBe(2);

      await claims.settle(running, [true, true]);
      const retry = await claims.reserve([a, b, c]);
      expect(retry).toMatchObject({ inFlight: 0, alreadyDone: 0 });
      expect(retry.held).toEqual([a, b, c]);
      expect(retry.hold?.states).toEqual(['reserved', 'reserved', 'reserved']);
    });

    it('never forgets a reservation in flight before its TTL, under any sequence', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 6 }),
          fc.array(
            fc.record({
              operation: fc.constantFrom('reserve', 'complete', 'release', 'tick'),
              key: fc.integer({ min: 0, max: 12 }),
              ms: fc.integer({ min: 0, max: 500 }),
            }),
            { maxLength: 150 },
          ),
          async (maxEntries, operations) => {
            const { clock, store } = clocked(maxEntries);
            // What the test holds in flight: key → [token, expiresAt].
            const held = new Map<string, [string, number]>();
            let attempt = 0;
            for (const { operation, key, ms } of operations) {
              const name = String(key);
              if (operation === 'tick') {
                clock.now += ms;
                continue;
              }
              const token = held.get(name)?.[0] ?? `t${++attempt}`;
              if (operation === 'reserve') {
                const result = await store.reserve(name, token, 1_000).catch(() => 'full');
                if (result === 'reserved' && !held.has(name)) {
                  held.set(name, [token, clock.now + 1_000]);
                }
              } else if (operation === 'complete') {
                await store.complete(name, token, 1_000);
                held.delete(name);
              } else {
                await store.release(name, token);
                held.delete(name);
              }
              for (const [heldKey, [heldToken, expiresAt]] of held) {
                if (expiresAt <= clock.now) {
                  held.delete(heldKey);
                } else {
                  expect(await store.reserve(heldKey, 'intruder', 1_000)).toBe('in_flight');
                  expect(await store.reserve(heldKey, heldToken, 1_000)).toBe('reserved');
                }
              }
            }
          },
        ),
      );
    });
  });
});
