import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import {
  type FalkorEventType,
  FalkorListenerError,
  type FalkorRecordEventType,
  type FalkorWebhookEvent,
  type FalkorWebhookReceipt,
  OnFalkorEvent,
} from '../../src/index.js';
import {
  dispatchFalkorEvent,
  falkorSampleAttendee,
  falkorSampleEvent,
  falkorSamplePayload,
  falkorSampleReward,
  falkorSampleVoucher,
  FalkorWebhookTestingModule,
} from '../../src/testing/index.js';
import { RecordingLogger } from '../support/apps.js';
import { ATTENDEE_STATES, VOUCHER_STATES } from './catalog.arbitraries.js';

// ---------------------------------------------------------------------------------------------
// Snapshots: records drawn from a small universe, so that sequences repeat and move them.

const JOINED = ['2021-01-01T09:00:00+00:00', '2022-06-01T09:00:00+00:00'];

interface EnrolmentDraw {
  readonly learner: number;
  /** Which letters of the address are sent in upper case. */
  readonly casing: number;
  readonly state: string;
  readonly progress: number;
  readonly joined: number;
  /** How `version` is sent: absent, `null` (both the same) or a value. */
  readonly version: 'absent' | 'null' | 'value';
  /** Orders the status's keys. */
  readonly order: number;
}

interface ChildDraw {
  readonly parent: number;
  readonly guid: number;
  readonly state: string;
}

type Snapshot =
  | { readonly type: 'enrolments'; readonly records: readonly EnrolmentDraw[] }
  | { readonly type: 'events'; readonly records: readonly ChildDraw[] }
  | { readonly type: 'rewards'; readonly records: readonly ChildDraw[] };

const enrolmentDraw: fc.Arbitrary<EnrolmentDraw> = fc.record({
  learner: fc.integer({ min: 0, max: 2 }),
  casing: fc.integer({ min: 0, max: 0x7fffffff }),
  state: fc.constantFrom('In Progress', 'Complete', 'Complete', 'Paused'),
  progress: fc.constantFrom(0, 50, 100),
  joined: fc.integer({ min: 0, max: 1 }),
  version: fc.constantFrom('absent' as const, 'null' as const, 'value' as const),
  order: fc.integer({ min: 0, max: 0x7fffffff }),
});

const childDraw = (states: readonly string[]): fc.Arbitrary<ChildDraw> =>
  fc.record({
    parent: fc.integer({ min: 0, max: 1 }),
    guid: fc.integer({ min: 0, max: 2 }),
    state: fc.constantFrom(...states),
  });

const snapshot: fc.Arbitrary<Snapshot> = fc.oneof(
  fc.record({
    type: fc.constant('enrolments' as const),
    records: fc.array(enrolmentDraw, { maxLength: 5 }),
  }),
  fc.record({
    type: fc.constant('events' as const),
    records: fc.array(childDraw([...ATTENDEE_STATES, 'waitlisted']), { maxLength: 6 }),
  }),
  fc.record({
    type: fc.constant('rewards' as const),
    records: fc.array(childDraw([...VOUCHER_STATES, 'cancelled']), { maxLength: 6 }),
  }),
);

const snapshots = fc.array(snapshot, { minLength: 1, maxLength: 8 });

function bit(seed: number, index: number): boolean {
  return ((seed >>> (index % 31)) & 1) === 1;
}

function shuffled(entries: [string, unknown][], seed: number): Record<string, unknown> {
  const rank = (key: string) => createHash('md5').update(`${seed}:${key}`).digest().readUInt32BE(0);
  return Object.fromEntries([...entries].sort(([a], [b]) => rank(a) - rank(b)));
}

/** One run's universe: its ids carry the run's number, so that runs never share a record. */
class Universe {
  constructor(readonly run: number) {}

  pathway = () => `P-${this.run}`;
  email = (learner: number) => `learner${learner}.r${this.run}@example.com`;
  event = (parent: number) => `E${parent}-${this.run}`;
  reward = (parent: number) => `R${parent}-${this.run}`;

  payload(snap: Snapshot): Record<string, unknown> {
    const pathway = { ID: this.pathway() };
    if (snap.type === 'enrolments') {
      const enrolments = snap.records.map((draw) => {
        const email = [...this.email(draw.learner)]
          .map((char, index) => (bit(draw.casing, index) ? char.toUpperCase() : char))
          .join('');
        const status: [string, unknown][] = [
          ['state', draw.state],
          ['progress', draw.progress],
          ['joined', JOINED[draw.joined]],
        ];
        if (draw.version !== 'absent') {
          status.push(['version', draw.version === 'null' ? null : '1.0']);
        }
        if (bit(draw.order, 3)) {
          status.push(['level', null]);
        }
        return { email, firstname: 'Learner', status: shuffled(status, draw.order) };
      });
      return falkorSamplePayload('enrolments', { data: { pathway, enrolments } });
    }
    const parents = [...new Set(snap.records.map((draw) => draw.parent))];
    if (snap.type === 'events') {
      const events = parents.map((parent) =>
        falkorSampleEvent({
          ID: this.event(parent),
          attendees: snap.records
            .filter((draw) => draw.parent === parent)
            .map((draw) => falkorSampleAttendee({ guid: `g${draw.guid}`, state: draw.state })),
        }),
      );
      return falkorSamplePayload('events', { data: { pathway, events } });
    }
    const rewards = parents.map((parent) =>
      falkorSampleReward({
        ID: this.reward(parent),
        vouchers: snap.records
          .filter((draw) => draw.parent === parent)
          .map((draw) => falkorSampleVoucher({ guid: `g${draw.guid}`, state: draw.state })),
      }),
    );
    return falkorSamplePayload('rewards', { data: { pathway, rewards } });
  }

  /** The model: each change of a snapshot, by id, with the record events it fires. */
  changes(snap: Snapshot): Map<string, FalkorRecordEventType[]> {
    const found = new Map<string, FalkorRecordEventType[]>();
    for (const draw of snap.records) {
      if (snap.type === 'enrolments') {
        const { learner, state, progress, joined, version } = draw as EnrolmentDraw;
        const status = [state, progress, JOINED[joined], version === 'value' ? '1.0' : ''];
        const email = this.email(learner);
        found.set(changeId('enrolment.updated', this.pathway(), email, ...status), [
          'enrolment.updated',
        ]);
        if (state === 'Complete') {
          found.set(changeId('enrolment.completed', this.pathway(), email, JOINED[joined]), [
            'enrolment.completed',
          ]);
        }
      } else {
        const { parent, guid, state } = draw as ChildDraw;
        const [kind, documented, id] =
          snap.type === 'events'
            ? (['attendee', ATTENDEE_STATES, this.event(parent)] as const)
            : (['voucher', VOUCHER_STATES, this.reward(parent)] as const);
        const events = [`${kind}.updated`];
        if (documented.includes(state)) {
          events.push(`${kind}.${state}`);
        }
        found.set(
          changeId(`${kind}.updated`, id, `g${guid}`, state),
          events as FalkorRecordEventType[],
        );
      }
    }
    return found;
  }
}

/** A change's id in the model and in what listeners receive: the identity with the state. */
function changeId(event: string, ...parts: readonly unknown[]): string {
  const kind = event === 'enrolment.completed' ? 'completion' : event.split('.')[0];
  return [kind, ...parts].join('|');
}

function observedId(event: FalkorWebhookEvent<FalkorEventType>): string {
  const payload = event.payload as unknown as Record<string, Record<string, unknown>>;
  if (event.type === 'enrolment.updated' || event.type === 'enrolment.completed') {
    const status = payload.enrolment.status as Record<string, unknown>;
    const email = String(payload.enrolment.email).toLowerCase();
    return event.type === 'enrolment.completed'
      ? changeId(event.type, payload.pathway.ID, email, status.joined)
      : changeId(
          event.type,
          payload.pathway.ID,
          email,
          status.state,
          status.progress,
          status.joined,
          status.version ?? '',
        );
  }
  const [parent, child] = event.type.startsWith('attendee.')
    ? [payload.event, payload.attendee]
    : [payload.reward, payload.voucher];
  return changeId(event.type, parent.ID, child.guid, child.state);
}

// ---------------------------------------------------------------------------------------------
// The listeners: every record event, each call kept with its delivery and how it ended.

interface Call {
  readonly delivery: number;
  readonly type: string;
  readonly change: string;
  readonly succeeded: boolean;
}

/** Decides whether a listener call fails; `attempt` counts the change's earlier deliveries. */
type Failure = (type: string, change: string, attempt: number) => boolean;

@Injectable()
class Listeners {
  calls: Call[] = [];
  delivery = 0;
  fails: Failure = () => false;

  private run(event: FalkorWebhookEvent<FalkorEventType>): void {
    const change = observedId(event);
    const attempt = new Set(
      this.calls
        .filter((call) => call.change === change && call.delivery !== this.delivery)
        .map((call) => call.delivery),
    ).size;
    const fails = this.fails(event.type, change, attempt);
    this.calls.push({ delivery: this.delivery, type: event.type, change, succeeded: !fails });
    if (fails) {
      throw new Error(`${event.type} failed for ${change}`);
    }
  }

  @OnFalkorEvent(['enrolment.updated', 'enrolment.completed'])
  enrolment(event: FalkorWebhookEvent<'enrolment.updated' | 'enrolment.completed'>): void {
    this.run(event);
  }

  @OnFalkorEvent(['attendee.updated', 'attendee.booked', 'attendee.attended', 'attendee.absent'])
  attendee(
    event: FalkorWebhookEvent<
      'attendee.updated' | 'attendee.booked' | 'attendee.attended' | 'attendee.absent'
    >,
  ): void {
    this.run(event);
  }

  @OnFalkorEvent([
    'voucher.updated',
    'voucher.pending',
    'voucher.notified',
    'voucher.verify',
    'voucher.redeemed',
    'voucher.expired',
  ])
  voucher(
    event: FalkorWebhookEvent<
      | 'voucher.updated'
      | 'voucher.pending'
      | 'voucher.notified'
      | 'voucher.verify'
      | 'voucher.redeemed'
      | 'voucher.expired'
    >,
  ): void {
    this.run(event);
  }
}

/** The multiset of `event change` lines, sorted. */
function lines(calls: readonly { type: string; change: string }[]): string[] {
  return calls.map(({ type, change }) => `${type} ${change}`).sort();
}

function expectedLines(changes: ReadonlyMap<string, readonly string[]>): string[] {
  return [...changes]
    .flatMap(([change, events]) => events.map((type) => `${type} ${change}`))
    .sort();
}

let runs = 0;

describe('record events over random sequences of snapshots', () => {
  let app: TestingModule;
  let listeners: Listeners;

  beforeAll(async () => {
    app = await Test.createTestingModule({
      imports: [FalkorWebhookTestingModule.forRoot()],
      providers: [Listeners],
    })
      .setLogger(new RecordingLogger())
      .compile();
    await app.init();
    listeners = app.get(Listeners);
  });
  afterAll(() => app.close());

  async function deliver(universe: Universe, snap: Snapshot) {
    listeners.delivery++;
    const before = listeners.calls.length;
    let receipt: FalkorWebhookReceipt | undefined;
    try {
      receipt = await dispatchFalkorEvent(app, snap.type, universe.payload(snap));
    } catch (error) {
      if (!(error instanceof FalkorListenerError)) {
        throw error;
      }
    }
    return { receipt, calls: listeners.calls.slice(before) };
  }

  it('fires exactly the first-seen changes of each snapshot, and no change twice', async () => {
    await fc.assert(
      fc.asyncProperty(snapshots, async (sequence) => {
        const universe = new Universe(++runs);
        listeners.calls = [];
        listeners.fails = () => false;
        const seen = new Set<string>();
        for (const snap of sequence) {
          const all = universe.changes(snap);
          const fresh = new Map([...all].filter(([change]) => !seen.has(change)));
          const { receipt, calls } = await deliver(universe, snap);
          expect(lines(calls)).toEqual(expectedLines(fresh));
          expect(receipt?.changes).toEqual({
            fired: fresh.size,
            alreadyDone: all.size - fresh.size,
          });
          for (const change of all.keys()) {
            seen.add(change);
          }
        }
        const fired = lines(listeners.calls);
        expect(new Set(fired).size).toBe(fired.length);
      }),
      { numRuns: 150 },
    );
  });

  it('converges after failing listeners: each change succeeds exactly once, with all its listeners', async () => {
    await fc.assert(
      fc.asyncProperty(
        snapshots,
        fc.integer({ min: 0, max: 0x7fffffff }),
        fc.integer({ min: 10, max: 70 }),
        async (sequence, seed, rate) => {
          const universe = new Universe(++runs);
          listeners.calls = [];
          // A call fails on a change's first two attempts only, so that redelivery converges.
          listeners.fails = (type, change, attempt) =>
            attempt < 2 &&
            createHash('md5').update(`${seed}|${type}|${change}|${attempt}`).digest()[0] % 100 <
              rate;
          const expected = new Map<string, readonly string[]>();
          for (const snap of sequence) {
            const all = universe.changes(snap);
            for (const [change, events] of all) {
              if (!expected.has(change)) {
                expected.set(change, events);
              }
            }
            let attempts = 0;
            for (;;) {
              const { receipt, calls } = await deliver(universe, snap);
              expect(receipt === undefined).toBe(calls.some((call) => !call.succeeded));
              if (receipt !== undefined) {
                const fired = new Set(calls.map((call) => call.change)).size;
                expect(receipt.changes).toEqual({ fired, alreadyDone: all.size - fired });
                break;
              }
              expect(++attempts).toBeLessThanOrEqual(2);
            }
          }
          // Every first-seen change was called, and nothing else.
          expect(new Set(listeners.calls.map((call) => call.change))).toEqual(
            new Set(expected.keys()),
          );
          for (const [change, events] of expected) {
            const byDelivery = new Map<number, Call[]>();
            for (const call of listeners.calls.filter((c) => c.change === change)) {
              byDelivery.set(call.delivery, [...(byDelivery.get(call.delivery) ?? []), call]);
            }
            const attempts = [...byDelivery.values()];
            // Each attempt runs all of the change's listeners, once each.
            for (const attempt of attempts) {
              expect(lines(attempt)).toEqual(events.map((type) => `${type} ${change}`).sort());
            }
            // Only the last attempt succeeded: once it did, the change never ran again.
            const succeeded = attempts.map((attempt) => attempt.every((call) => call.succeeded));
            expect(succeeded.filter(Boolean)).toHaveLength(1);
            expect(succeeded[succeeded.length - 1]).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
