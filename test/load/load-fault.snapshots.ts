import {
  createFalkorDelivery,
  falkorSampleAttendee,
  falkorSampleEnrolment,
  falkorSampleEvent,
  falkorSampleReward,
  falkorSampleVoucher,
} from '../../src/testing/index.js';
import type { Sendable } from '../support/http.sender.js';
import { expectedChanges } from '../support/record-fires.js';
import {
  learnerStages,
  RECORD_ATTENDEE_STATES,
  RECORD_VOUCHER_STATES,
} from '../support/record.stages.js';

/** The records every snapshot of a run lists (most of them, each in a state of its own). */
export const SNAPSHOT_RECORDS = {
  learners: 200,
  events: 4,
  attendeesPerEvent: 30,
  rewards: 4,
  vouchersPerReward: 30,
} as const;

/** The webhooks a snapshot can be of. */
export type SnapshotType = 'enrolments' | 'events' | 'rewards';

/** One snapshot delivery of the run's records pathway. */
export interface RecordSnapshot {
  /** Its webhook. */
  readonly type: SnapshotType;
  /** Its pathway `name`, unique to the snapshot (copies share it): what the ledger counts it by. */
  readonly name: string;
  /** The signed delivery. */
  readonly delivery: Sendable;
  /** Whether it is an exact copy of an earlier snapshot (the same bytes). */
  readonly redelivery: boolean;
}

/** What {@link recordSnapshots} plans. */
export interface RecordSnapshotPlan {
  /** The snapshots, each with bytes of its own. */
  readonly snapshots: readonly RecordSnapshot[];
  /** Exact copies of some of them (the same bytes), for the sender to place. */
  readonly redeliveries: readonly RecordSnapshot[];
  /** Every record-event fire the snapshots must give once: `<record event> <change>`. */
  readonly expected: ReadonlySet<string>;
  /** How many distinct changes they carry. */
  readonly changes: number;
  /** The fires whose first listener call fails. */
  readonly failing: ReadonlySet<string>;
}

/**
 * Overlapping snapshots of one pathway's records, a third of each webhook: each lists about 80%
 * of the same learners, attendees and vouchers, each in a state drawn at random (so a change is
 * carried by several snapshots, sent at once to either instance), and a share of them are exact
 * copies of an earlier one. The first `enrolment.completed` call of a share of the learners fails.
 *
 * @param pathwayId - the records pathway, unique to the run (a shared Redis keeps older runs)
 * @param count - how many snapshots, copies included
 * @param redeliveryShare - the share that are copies
 * @param failureShare - the share of learners whose completions fail on their first call
 * @param next - the run's seeded random numbers
 * @param secret - what they are signed with
 */
export function recordSnapshots(
  pathwayId: string,
  count: number,
  redeliveryShare: number,
  failureShare: number,
  next: () => number,
  secret: string,
): RecordSnapshotPlan {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const some = <T>(items: T[]) => items.filter(() => next() < 0.8);
  const copies = Math.round(count * redeliveryShare);
  const originals: (RecordSnapshot & { payload: unknown })[] = [];
  for (let index = 0; index < count - copies; index++) {
    const type = (['enrolments', 'events', 'rewards'] as const)[index % 3];
    const name = `Records snapshot ${index}`;
    const data =
      type === 'enrolments'
        ? {
            enrolments: some(Array.from({ length: SNAPSHOT_RECORDS.learners }, (_, i) => i)).map(
              (i) => {
                const email = `learner.${i}@records.example.com`;
                // The same address in capitals is the same learner.
                return falkorSampleEnrolment({
                  email: next() < 0.2 ? email.toUpperCase() : email,
                  status: pick(learnerStages(i, 3, '05')),
                });
              },
            ),
          }
        : type === 'events'
          ? {
              events: Array.from({ length: SNAPSHOT_RECORDS.events }, (_, e) =>
                falkorSampleEvent({
                  ID: `FABK-LOAD-${String(e).padStart(4, '0')}`,
                  attendees: some(
                    Array.from({ length: SNAPSHOT_RECORDS.attendeesPerEvent }, (_, a) =>
                      falkorSampleAttendee({
                        guid: `8bd0705f-c640-4191-9a1c-${String(e * 1000 + a).padStart(12, '0')}`,
                        state: pick(RECORD_ATTENDEE_STATES),
                      }),
                    ),
                  ),
                }),
              ),
            }
          : {
              rewards: Array.from({ length: SNAPSHOT_RECORDS.rewards }, (_, r) =>
                falkorSampleReward({
                  ID: `FARE-LOAD-${String(r).padStart(4, '0')}`,
                  vouchers: some(
                    Array.from({ length: SNAPSHOT_RECORDS.vouchersPerReward }, (_, v) =>
                      falkorSampleVoucher({
                        guid: `6c720133-3916-4172-94c9-${String(r * 1000 + v).padStart(12, '0')}`,
                        // Most vouchers are early in their life: many snapshots agree on them.
                        state:
                          RECORD_VOUCHER_STATES[
                            Math.floor(next() ** 2 * RECORD_VOUCHER_STATES.length)
                          ],
                      }),
                    ),
                  ),
                }),
              ),
            };
    const { body, headers, payload } = createFalkorDelivery(type, {
      secret,
      overrides: { data: { pathway: { name, ID: pathwayId }, ...data } },
    });
    originals.push({ type, name, delivery: { body, headers }, redelivery: false, payload });
  }
  const expected = new Set<string>();
  const changes = new Set<string>();
  for (const { type, payload } of originals) {
    for (const change of expectedChanges(type, payload).values()) {
      changes.add(change.change);
      change.fires.forEach((fire) => expected.add(fire));
    }
  }
  const failingLearners = new Set(
    Array.from({ length: SNAPSHOT_RECORDS.learners }, (_, i) => i).filter(
      () => next() < failureShare,
    ),
  );
  const failing = new Set(
    [...expected].filter((fire) => {
      const learner = /^enrolment\.completed completion\|[^|]+\|learner\.(\d+)@/.exec(fire);
      return learner !== null && failingLearners.has(Number(learner[1]));
    }),
  );
  const snapshots: RecordSnapshot[] = originals.map(({ payload: _, ...snapshot }) => snapshot);
  const redeliveries = Array.from({ length: copies }, (): RecordSnapshot => {
    const original = snapshots[Math.floor(next() * snapshots.length)];
    return { ...original, redelivery: true };
  });
  return { snapshots, redeliveries, expected, changes: changes.size, failing };
}
