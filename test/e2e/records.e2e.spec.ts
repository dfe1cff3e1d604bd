import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { type INestApplication, Injectable, type Type } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import {
  FalkorAttendeeDto,
  FalkorConfigurationError,
  FalkorEnrolmentDto,
  FalkorEventDto,
  type FalkorEventType,
  FalkorPathwayDto,
  FalkorRewardDto,
  FalkorVoucherDto,
  type FalkorWebhookEvent,
  type FalkorWebhookModuleOptions,
  OnFalkorEvent,
  signFalkorPayload,
} from '../../src/index.js';
import {
  falkorSampleAttendee,
  falkorSampleEnrolment,
  falkorSampleEvent,
  falkorSamplePayload,
  falkorSampleReward,
  falkorSampleVoucher,
} from '../../src/testing/index.js';
import { ControlledStore } from '../support/controlled.store.js';
import {
  type AdapterName,
  adapters,
  createCustomApp,
  postRaw,
  RecordingLogger,
  TEST_SECRET,
  webhookModule,
} from '../support/apps.js';

const PATH = '/webhooks/falkor';
const MEMORY_LINE = "remembered in this process's memory";

/** One listener call: the event's name, the record it is about and what the listener got. */
interface Call {
  readonly type: string;
  /** `pathway/email` of an enrolment, `event/guid:state` of an attendee, `reward/guid:state` of a voucher. */
  readonly record: string;
  readonly event: FalkorWebhookEvent<FalkorEventType>;
  succeeded?: boolean;
}

type Behaviour = (call: Call) => void | Promise<void>;

function recordOf(event: FalkorWebhookEvent<FalkorEventType>): string {
  const payload = event.payload as unknown as Record<string, Record<string, unknown>>;
  if (event.type.startsWith('enrolment.')) {
    return `${payload.pathway.ID}/${String(payload.enrolment.email).toLowerCase()}`;
  }
  if (event.type.startsWith('attendee.')) {
    return `${payload.event.ID}/${payload.attendee.guid}:${payload.attendee.state}`;
  }
  if (event.type.startsWith('voucher.')) {
    return `${payload.reward.ID}/${payload.voucher.guid}:${payload.voucher.state}`;
  }
  return String((payload.data.pathway as Record<string, unknown>).ID);
}

/** Listens to every record event and to the three delivery types, and keeps each call. */
@Injectable()
class Recorder {
  readonly calls: Call[] = [];
  behaviour: Behaviour = () => undefined;

  /** The calls about records whose id contains `token`, as `[type, record]`, sorted. */
  of(token: string, filter: (call: Call) => boolean = () => true): [string, string][] {
    return this.calls
      .filter((call) => call.record.includes(token) && filter(call))
      .map((call): [string, string] => [call.type, call.record])
      .sort(([a, x], [b, y]) => (a + x).localeCompare(b + y));
  }

  private async run(event: FalkorWebhookEvent<FalkorEventType>): Promise<void> {
    const call: Call = { type: event.type, record: recordOf(event), event };
    this.calls.push(call);
    try {
      await this.behaviour(call);
      call.succeeded = true;
    } catch (error) {
      call.succeeded = false;
      throw error;
    }
  }

  @OnFalkorEvent(['enrolment.updated', 'enrolment.completed'])
  enrolment(event: FalkorWebhookEvent<'enrolment.updated' | 'enrolment.completed'>) {
    return this.run(event);
  }

  @OnFalkorEvent(['attendee.updated', 'attendee.booked', 'attendee.attended', 'attendee.absent'])
  attendee(
    event: FalkorWebhookEvent<
      'attendee.updated' | 'attendee.booked' | 'attendee.attended' | 'attendee.absent'
    >,
  ) {
    return this.run(event);
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
  ) {
    return this.run(event);
  }

  @OnFalkorEvent(['enrolments', 'events', 'rewards'])
  delivery(event: FalkorWebhookEvent<'enrolments' | 'events' | 'rewards'>) {
    return this.run(event);
  }
}

/** Listens to one record event and one delivery type only. */
@Injectable()
class BookingsOnly {
  readonly calls: string[] = [];

  @OnFalkorEvent('attendee.booked')
  booked(event: FalkorWebhookEvent<'attendee.booked'>): void {
    this.calls.push(`${event.type}:${event.payload.attendee.guid}`);
  }

  @OnFalkorEvent('rewards')
  rewards(event: FalkorWebhookEvent<'rewards'>): void {
    this.calls.push(`${event.type}:${event.payload.data.pathway.ID}`);
  }
}

/** Counts how many voucher changes run their listener at once. */
@Injectable()
class Overlap {
  active = 0;
  most = 0;
  readonly seen: string[] = [];

  @OnFalkorEvent('voucher.updated')
  async updated(event: FalkorWebhookEvent<'voucher.updated'>): Promise<void> {
    this.seen.push(event.payload.voucher.guid);
    this.active++;
    this.most = Math.max(this.most, this.active);
    // Lets every change that may start now start before this one ends.
    await new Promise((resolve) => setImmediate(resolve));
    this.active--;
  }
}

/** A promise with its resolver. */
function signal<T = void>(): { readonly promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

let tokens = 0;

/** A token unique to one test and adapter, part of every id its snapshots use. */
function unique(adapter: AdapterName): string {
  return `${adapter}${++tokens}`;
}

type States = readonly (readonly [guid: string, state: string])[];

function eventsSnapshot(token: string, attendees: States): Record<string, unknown> {
  return falkorSamplePayload('events', {
    data: {
      pathway: { ID: `P-${token}` },
      events: [
        falkorSampleEvent({
          ID: `E-${token}`,
          attendees: attendees.map(([guid, state]) => falkorSampleAttendee({ guid, state })),
        }),
      ],
    },
  });
}

function rewardsSnapshot(token: string, vouchers: States): Record<string, unknown> {
  return falkorSamplePayload('rewards', {
    data: {
      pathway: { ID: `P-${token}` },
      rewards: [
        falkorSampleReward({
          ID: `R-${token}`,
          vouchers: vouchers.map(([guid, state]) => falkorSampleVoucher({ guid, state })),
        }),
      ],
    },
  });
}

function enrolmentsSnapshot(
  token: string,
  ...enrolments: Record<string, unknown>[]
): Record<string, unknown> {
  return falkorSamplePayload('enrolments', {
    data: { pathway: { ID: `P-${token}` }, enrolments },
  });
}

function post(app: INestApplication, payload: object, headers: Record<string, string> = {}) {
  const body = JSON.stringify(payload);
  return postRaw(app, PATH, body, {
    'Content-Type': 'application/json',
    'Falkor-Webhook-Signature': signFalkorPayload(body, TEST_SECRET),
    ...headers,
  });
}

async function start(
  adapter: AdapterName,
  options: Partial<FalkorWebhookModuleOptions>,
  logger: RecordingLogger,
  providers: Type<unknown>[] = [Recorder],
): Promise<INestApplication> {
  return createCustomApp(adapter, {
    imports: [EventEmitterModule.forRoot(), webhookModule(options)],
    providers,
    appOptions: { logger },
  });
}

describe.each(adapters)('record events on %s', (adapter) => {
  // Nest's Logger is one per process: every app of the suite logs to the same lines.
  let log: RecordingLogger;
  let main: INestApplication;
  let recorder: Recorder;
  let store: ControlledStore;
  let controlled: INestApplication;
  let peer: INestApplication;
  let off: INestApplication;
  let partial: INestApplication;

  beforeAll(async () => {
    log = new RecordingLogger();
    store = new ControlledStore();
    [main, controlled, peer, off, partial] = await Promise.all([
      start(adapter, { secret: [{ id: 'current', secret: TEST_SECRET }] }, log),
      start(adapter, { records: { store } }, log),
      // Another instance sharing the store, answering 503 to changes in flight.
      start(adapter, { records: { store, inFlightStatus: 503, retryAfterSeconds: 9 } }, log),
      start(adapter, { records: false }, log),
      start(adapter, {}, log, [BookingsOnly]),
    ]);
    recorder = main.get(Recorder);
  });
  afterEach(() => {
    store.mode = 'ok';
    for (const app of [main, controlled, peer, off]) {
      app.get(Recorder).behaviour = () => undefined;
    }
  });
  afterAll(() => Promise.all([main, controlled, peer, off, partial].map((app) => app.close())));

  it('fires each change of a first snapshot once, besides the delivery event', async () => {
    const token = unique(adapter);
    const response = await post(
      main,
      eventsSnapshot(token, [
        ['a', 'booked'],
        ['b', 'attended'],
        ['c', 'absent'],
      ]),
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      received: true,
      type: 'events',
      listeners: 7,
      changes: { fired: 3, alreadyDone: 0 },
    });
    expect(recorder.of(token)).toEqual([
      ['attendee.absent', `E-${token}/c:absent`],
      ['attendee.attended', `E-${token}/b:attended`],
      ['attendee.booked', `E-${token}/a:booked`],
      ['attendee.updated', `E-${token}/a:booked`],
      ['attendee.updated', `E-${token}/b:attended`],
      ['attendee.updated', `E-${token}/c:absent`],
      ['events', `P-${token}`],
    ]);
  });

  it('fires no record event for the same snapshot again, and still fires the delivery event', async () => {
    const token = unique(adapter);
    const snapshot = rewardsSnapshot(token, [
      ['v1', 'pending'],
      ['v2', 'notified'],
    ]);
    expect((await post(main, snapshot)).body.changes).toEqual({ fired: 2, alreadyDone: 0 });
    const again = await post(main, snapshot);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({
      received: true,
      type: 'rewards',
      listeners: 1,
      changes: { fired: 0, alreadyDone: 2 },
    });
    const third = await post(main, snapshot);
    expect(third.body.changes).toEqual({ fired: 0, alreadyDone: 2 });
    expect(recorder.of(token, (call) => call.type.startsWith('voucher.'))).toHaveLength(4);
    expect(recorder.of(token, (call) => call.type === 'rewards')).toHaveLength(3);
  });

  it('fires exactly the added attendee and the moved voucher of a changed snapshot', async () => {
    const token = unique(adapter);
    await post(
      main,
      eventsSnapshot(token, [
        ['a', 'booked'],
        ['b', 'booked'],
      ]),
    );
    await post(
      main,
      rewardsSnapshot(token, [
        ['v1', 'notified'],
        ['v2', 'notified'],
      ]),
    );
    const before = recorder.calls.length;

    const added = await post(
      main,
      eventsSnapshot(token, [
        ['a', 'booked'],
        ['b', 'booked'],
        ['c', 'booked'],
      ]),
    );
    expect(added.body.changes).toEqual({ fired: 1, alreadyDone: 2 });
    const moved = await post(
      main,
      rewardsSnapshot(token, [
        ['v1', 'notified'],
        ['v2', 'redeemed'],
      ]),
    );
    expect(moved.body.changes).toEqual({ fired: 1, alreadyDone: 1 });
    const since = recorder.calls
      .slice(before)
      .filter((call) => call.type.includes('.'))
      .map((call) => [call.type, call.record])
      .sort();
    expect(since).toEqual([
      ['attendee.booked', `E-${token}/c:booked`],
      ['attendee.updated', `E-${token}/c:booked`],
      ['voucher.redeemed', `R-${token}/v2:redeemed`],
      ['voucher.updated', `R-${token}/v2:redeemed`],
    ]);
  });

  it('gives each record event its record, its name and the delivery details', async () => {
    const token = unique(adapter);
    const snapshot = eventsSnapshot(token, [
      ['a', 'booked'],
      ['b', 'absent'],
    ]);
    const body = JSON.stringify(snapshot);
    const response = await post(main, snapshot, { 'X-Delivery-Id': token });
    expect(response.status).toBe(200);
    const calls = recorder.calls.filter((call) => call.record.includes(token));
    const batch = calls.find((call) => call.type === 'events')?.event;
    const booked = calls.find((call) => call.type === 'attendee.booked')?.event;
    expect(batch).toBeDefined();
    expect(booked).toBeDefined();
    if (booked === undefined || batch === undefined) {
      return;
    }
    expect(booked.type).toBe('attendee.booked');
    const record = booked.payload as FalkorWebhookEvent<'attendee.booked'>['payload'];
    expect(Object.keys(record).sort()).toEqual(['attendee', 'event', 'pathway']);
    expect(record.pathway).toBeInstanceOf(FalkorPathwayDto);
    expect(record.pathway.ID).toBe(`P-${token}`);
    expect(record.event).toBeInstanceOf(FalkorEventDto);
    expect(record.event.ID).toBe(`E-${token}`);
    expect(record.event.attendees.map((attendee) => attendee.guid)).toEqual(['a', 'b']);
    expect(record.attendee).toBeInstanceOf(FalkorAttendeeDto);
    expect(record.attendee).toBe(record.event.attendees[0]);
    expect(record.attendee).toMatchObject({
      guid: 'a',
      state: 'booked',
      email: 'test@example.com',
    });
    // The records are the delivery's validated instances, not copies.
    const delivery = batch.payload as FalkorWebhookEvent<'events'>['payload'];
    expect(record.pathway).toBe(delivery.data.pathway);
    expect(record.event).toBe(delivery.data.events[0]);
    // The delivery details, as the delivery event has them.
    expect(Buffer.isBuffer(booked.rawBody)).toBe(true);
    expect(booked.rawBody.toString('utf8')).toBe(body);
    expect(booked).toMatchObject({
      platform: 'Falkor',
      signatureHeader: 'Falkor-Webhook-Signature',
      secretIndex: 0,
      secretId: 'current',
    });
    expect(booked.headers['x-delivery-id']).toBe(token);
    expect(booked.receivedAt).toBeInstanceOf(Date);
    expect(booked.receivedAt).toEqual(batch.receivedAt);
    expect(booked.params).toEqual(batch.params);
  });

  it('gives voucher and enrolment events their own records', async () => {
    const token = unique(adapter);
    await post(main, rewardsSnapshot(token, [['v1', 'verify']]));
    const enrolment = falkorSampleEnrolment({ email: `ada.${token}@example.com` });
    await post(main, enrolmentsSnapshot(token, enrolment));
    const calls = recorder.calls.filter((call) => call.record.includes(token));
    const verify = calls.find((call) => call.type === 'voucher.verify')?.event;
    const updated = calls.find((call) => call.type === 'enrolment.updated')?.event;
    const voucher = verify?.payload as FalkorWebhookEvent<'voucher.verify'>['payload'];
    expect(Object.keys(voucher).sort()).toEqual(['pathway', 'reward', 'voucher']);
    expect(voucher.reward).toBeInstanceOf(FalkorRewardDto);
    expect(voucher.reward.ID).toBe(`R-${token}`);
    expect(voucher.voucher).toBeInstanceOf(FalkorVoucherDto);
    expect(voucher.voucher).toBe(voucher.reward.vouchers[0]);
    expect(voucher.pathway).toBeInstanceOf(FalkorPathwayDto);
    const learner = updated?.payload as FalkorWebhookEvent<'enrolment.updated'>['payload'];
    expect(updated?.type).toBe('enrolment.updated');
    expect(Object.keys(learner).sort()).toEqual(['enrolment', 'pathway']);
    expect(learner.enrolment).toBeInstanceOf(FalkorEnrolmentDto);
    expect(learner.enrolment).toMatchObject({ ...enrolment, status: enrolment.status });
    expect(learner.pathway.ID).toBe(`P-${token}`);
  });

  it('answers 5xx when a listener fails, and its redelivery fires again only that change, to all its listeners', async () => {
    const token = unique(adapter);
    const snapshot = rewardsSnapshot(token, [
      ['v1', 'pending'],
      ['v2', 'notified'],
      ['v3', 'redeemed'],
    ]);
    let failures = 0;
    main.get(Recorder).behaviour = (call) => {
      if (call.type === 'voucher.notified' && failures++ === 0) {
        throw new Error('mail server down');
      }
    };
    const failed = await post(main, snapshot);
    expect(failed.status).toBe(500);
    expect(failed.body.code).toBe('listener_failed');
    expect(recorder.of(token, (call) => call.succeeded === false)).toEqual([
      ['voucher.notified', `R-${token}/v2:notified`],
    ]);
    const firstAttempt = recorder.calls.length;

    const retry = await post(main, snapshot);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({
      received: true,
      type: 'rewards',
      listeners: 3,
      changes: { fired: 1, alreadyDone: 2 },
    });
    // The change is one: voucher.updated succeeded the first time, and runs again with it.
    expect(
      recorder.calls
        .slice(firstAttempt)
        .map((call) => [call.type, call.record])
        .sort(),
    ).toEqual([
      ['rewards', `P-${token}`],
      ['voucher.notified', `R-${token}/v2:notified`],
      ['voucher.updated', `R-${token}/v2:notified`],
    ]);
    expect((await post(main, snapshot)).body.changes).toEqual({ fired: 0, alreadyDone: 3 });
    // Each change succeeded exactly once.
    const succeeded = recorder.of(
      token,
      (call) => call.succeeded === true && call.type !== 'rewards',
    );
    expect(succeeded).toEqual([
      ['voucher.notified', `R-${token}/v2:notified`],
      ['voucher.pending', `R-${token}/v1:pending`],
      ['voucher.redeemed', `R-${token}/v3:redeemed`],
      ['voucher.updated', `R-${token}/v1:pending`],
      ['voucher.updated', `R-${token}/v2:notified`],
      ['voucher.updated', `R-${token}/v2:notified`],
      ['voucher.updated', `R-${token}/v3:redeemed`],
    ]);
  });

  it('remembers the changes whose listeners succeeded even when the delivery listener failed', async () => {
    const token = unique(adapter);
    const snapshot = eventsSnapshot(token, [['a', 'attended']]);
    let failures = 0;
    main.get(Recorder).behaviour = (call) => {
      if (call.type === 'events' && failures++ === 0) {
        throw new Error('batch import failed');
      }
    };
    expect((await post(main, snapshot)).status).toBe(500);
    const retry = await post(main, snapshot);
    expect(retry.status).toBe(200);
    expect(retry.body.changes).toEqual({ fired: 0, alreadyDone: 1 });
    expect(recorder.of(token, (call) => call.type === 'events')).toHaveLength(2);
    expect(recorder.of(token, (call) => call.type === 'attendee.attended')).toHaveLength(1);
  });

  it('keeps enrolment.updated and enrolment.completed two changes: a failed completion fires alone again', async () => {
    const token = unique(adapter);
    const snapshot = enrolmentsSnapshot(
      token,
      falkorSampleEnrolment({
        email: `ada.${token}@example.com`,
        status: { state: 'Complete', progress: 100 },
      }),
    );
    let failures = 0;
    main.get(Recorder).behaviour = (call) => {
      if (call.type === 'enrolment.completed' && failures++ === 0) {
        throw new Error('certificate service down');
      }
    };
    expect((await post(main, snapshot)).status).toBe(500);
    const retry = await post(main, snapshot);
    expect(retry.status).toBe(200);
    expect(retry.body.changes).toEqual({ fired: 1, alreadyDone: 1 });
    const learner = `P-${token}/ada.${token}@example.com`;
    expect(recorder.of(token, (call) => call.type.startsWith('enrolment.'))).toEqual([
      ['enrolment.completed', learner],
      ['enrolment.completed', learner],
      ['enrolment.updated', learner],
    ]);
  });

  it('fires no new enrolment.updated for the same status under an e-mail in another letter case', async () => {
    const token = unique(adapter);
    const status = { state: 'In Progress', progress: 40 };
    const lower = `ada.${token}@example.com`;
    await post(main, enrolmentsSnapshot(token, falkorSampleEnrolment({ email: lower, status })));
    const shouted = await post(
      main,
      enrolmentsSnapshot(token, falkorSampleEnrolment({ email: lower.toUpperCase(), status })),
    );
    expect(shouted.body.changes).toEqual({ fired: 0, alreadyDone: 1 });
    expect(recorder.of(token, (call) => call.type === 'enrolment.updated')).toHaveLength(1);
    const progressed = await post(
      main,
      enrolmentsSnapshot(
        token,
        falkorSampleEnrolment({ email: `Ada.${token}@Example.com`, status: { progress: 60 } }),
      ),
    );
    expect(progressed.body.changes).toEqual({ fired: 1, alreadyDone: 0 });
  });

  it('fires only attendee.updated and voucher.updated for states the docs do not list', async () => {
    const token = unique(adapter);
    const attendees = await post(main, eventsSnapshot(token, [['a', 'waitlisted']]));
    const vouchers = await post(main, rewardsSnapshot(token, [['v', 'cancelled']]));
    expect(attendees.body).toMatchObject({ listeners: 2, changes: { fired: 1, alreadyDone: 0 } });
    expect(vouchers.body).toMatchObject({ listeners: 2, changes: { fired: 1, alreadyDone: 0 } });
    expect(recorder.of(token, (call) => call.type.includes('.'))).toEqual([
      ['attendee.updated', `E-${token}/a:waitlisted`],
      ['voucher.updated', `R-${token}/v:cancelled`],
    ]);
  });

  it('fires enrolment.completed once per joined date, and again after a re-enrolment', async () => {
    const token = unique(adapter);
    const email = `ada.${token}@example.com`;
    const learner = (status: Record<string, unknown>) =>
      enrolmentsSnapshot(token, falkorSampleEnrolment({ email, status }));
    const firstJoined = '2021-01-01T09:00:00+00:00';
    const secondJoined = '2022-06-01T09:00:00+00:00';
    const steps = [
      learner({ state: 'Complete', progress: 100, joined: firstJoined }),
      // Still complete, a later timestamp: the status changed, the completion did not.
      learner({
        state: 'Complete',
        progress: 100,
        joined: firstJoined,
        timestamp: '2021-02-01T09:00:00+00:00',
      }),
      learner({ state: 'In Progress', progress: 5, joined: secondJoined }),
      learner({ state: 'Complete', progress: 100, joined: secondJoined }),
      // The first completion again, sent late.
      learner({ state: 'Complete', progress: 100, joined: firstJoined }),
    ];
    const counts: unknown[] = [];
    for (const step of steps) {
      const response = await post(main, step);
      expect(response.status).toBe(200);
      counts.push(response.body.changes);
    }
    expect(counts).toEqual([
      { fired: 2, alreadyDone: 0 },
      { fired: 1, alreadyDone: 1 },
      { fired: 1, alreadyDone: 0 },
      { fired: 2, alreadyDone: 0 },
      { fired: 0, alreadyDone: 2 },
    ]);
    const completed = recorder.calls.filter(
      (call) => call.type === 'enrolment.completed' && call.record.includes(token),
    );
    expect(
      completed.map(
        (call) =>
          (call.event.payload as FalkorWebhookEvent<'enrolment.completed'>['payload']).enrolment
            .status.joined,
      ),
    ).toEqual([firstJoined, secondJoined]);
    expect(recorder.of(token, (call) => call.type === 'enrolment.updated')).toHaveLength(4);
  });

  it('answers 409 with Retry-After for a change in flight, after firing the changes it held', async () => {
    const token = unique(adapter);
    const entered = signal();
    const gate = signal();
    main.get(Recorder).behaviour = async (call) => {
      if (call.type === 'attendee.updated' && call.record === `E-${token}/x:booked`) {
        entered.resolve();
        await gate.promise;
      }
    };
    const first = post(main, eventsSnapshot(token, [['x', 'booked']])).then((response) => response);
    await entered.promise;
    const second = await post(
      main,
      eventsSnapshot(token, [
        ['x', 'booked'],
        ['y', 'absent'],
      ]),
    );
    expect(second.status).toBe(409);
    expect(second.headers['retry-after']).toBe('5');
    expect(second.body).toMatchObject({ error: 'Conflict', code: 'delivery_in_progress' });
    // y was fired before the answer; x was not fired a second time.
    expect(recorder.of(token, (call) => call.type.includes('.'))).toEqual([
      ['attendee.absent', `E-${token}/y:absent`],
      ['attendee.booked', `E-${token}/x:booked`],
      ['attendee.updated', `E-${token}/x:booked`],
      ['attendee.updated', `E-${token}/y:absent`],
    ]);
    gate.resolve();
    expect((await first).status).toBe(200);
    const retry = await post(
      main,
      eventsSnapshot(token, [
        ['x', 'booked'],
        ['y', 'absent'],
      ]),
    );
    expect(retry.body.changes).toEqual({ fired: 0, alreadyDone: 2 });
    expect(recorder.of(token, (call) => call.type.includes('.'))).toHaveLength(4);
  });

  it('answers inFlightStatus 503 for a change another instance holds in the shared store', async () => {
    const token = unique(adapter);
    const entered = signal();
    const gate = signal();
    controlled.get(Recorder).behaviour = async (call) => {
      if (call.type === 'voucher.pending') {
        entered.resolve();
        await gate.promise;
      }
    };
    const first = post(controlled, rewardsSnapshot(token, [['v1', 'pending']])).then(
      (response) => response,
    );
    await entered.promise;
    const snapshot = rewardsSnapshot(token, [
      ['v1', 'pending'],
      ['v2', 'expired'],
    ]);
    const elsewhere = await post(peer, snapshot);
    expect(elsewhere.status).toBe(503);
    expect(elsewhere.headers['retry-after']).toBe('9');
    expect(elsewhere.body).toMatchObject({
      error: 'Service Unavailable',
      code: 'delivery_in_progress',
    });
    expect(peer.get(Recorder).of(token, (call) => call.type.includes('.'))).toEqual([
      ['voucher.expired', `R-${token}/v2:expired`],
      ['voucher.updated', `R-${token}/v2:expired`],
    ]);
    gate.resolve();
    expect((await first).status).toBe(200);
    const retry = await post(peer, snapshot);
    expect(retry.status).toBe(200);
    expect(retry.body.changes).toEqual({ fired: 0, alreadyDone: 2 });
    expect(peer.get(Recorder).of(token, (call) => call.record.includes('v1'))).toEqual([]);
  });

  it('answers 503 with Retry-After while the store is down, and fires every change once it is back', async () => {
    const token = unique(adapter);
    const snapshot = eventsSnapshot(token, [
      ['a', 'booked'],
      ['b', 'attended'],
    ]);
    const listener = controlled.get(Recorder);
    store.mode = 'fail';
    const down = await post(controlled, snapshot);
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toBe('5');
    expect(down.body).toMatchObject({ code: 'records_unavailable' });
    expect(listener.of(token, (call) => call.type.includes('.'))).toEqual([]);
    expect(
      log.at('error').some((line) => line.includes('record events store is unavailable')),
    ).toBe(true);

    store.mode = 'ok';
    const back = await post(controlled, snapshot);
    expect(back.status).toBe(200);
    expect(back.body.changes).toEqual({ fired: 2, alreadyDone: 0 });
    expect(listener.of(token, (call) => call.type.includes('.'))).toEqual([
      ['attendee.attended', `E-${token}/b:attended`],
      ['attendee.booked', `E-${token}/a:booked`],
      ['attendee.updated', `E-${token}/a:booked`],
      ['attendee.updated', `E-${token}/b:attended`],
    ]);
    expect((await post(controlled, snapshot)).body.changes).toEqual({ fired: 0, alreadyDone: 2 });
    // The keys the store saw hold no identity in clear.
    const keys = store.calls.map(({ key }) => key);
    expect(keys.some((key) => key.startsWith('falkor-record:attendee:'))).toBe(true);
    expect(keys.some((key) => key.includes(token) || key.includes('test@example.com'))).toBe(false);
  });

  it('fires no record event with records: false, and the receipt has no changes', async () => {
    const token = unique(adapter);
    const response = await post(off, eventsSnapshot(token, [['a', 'booked']]));
    expect(response.body).toEqual({ received: true, type: 'events', listeners: 1 });
    expect((await post(off, eventsSnapshot(token, [['a', 'booked']]))).body.listeners).toBe(1);
    expect(off.get(Recorder).of(token)).toEqual([
      ['events', `P-${token}`],
      ['events', `P-${token}`],
    ]);
  });

  it('tracks only the record events that have a listener, and counts changes for their type only', async () => {
    const token = unique(adapter);
    const listener = partial.get(BookingsOnly);
    const rewards = await post(partial, rewardsSnapshot(token, [['v', 'pending']]));
    expect(rewards.body).toEqual({ received: true, type: 'rewards', listeners: 1 });
    const attended = await post(partial, eventsSnapshot(token, [['a', 'attended']]));
    expect(attended.body).toEqual({
      received: true,
      type: 'events',
      listeners: 0,
      changes: { fired: 0, alreadyDone: 0 },
    });
    const booked = await post(partial, eventsSnapshot(token, [['a', 'booked']]));
    expect(booked.body).toEqual({
      received: true,
      type: 'events',
      listeners: 1,
      changes: { fired: 1, alreadyDone: 0 },
    });
    expect(
      listener.calls.filter((call) => call.endsWith(token) || call === 'attendee.booked:a'),
    ).toEqual([`rewards:P-${token}`, 'attendee.booked:a']);
  });

  it('keeps its changes in the deduplication store when that one is shared and records.store is not set', async () => {
    const shared = new ControlledStore();
    const app = await start(adapter, { deduplication: { store: shared } }, log);
    try {
      const token = unique(adapter);
      const snapshot = eventsSnapshot(token, [['a', 'booked']]);
      expect((await post(app, snapshot)).body.changes).toEqual({ fired: 1, alreadyDone: 0 });
      const keys = shared.calls.map(({ key }) => key);
      expect(keys.some((key) => /^falkor-record:attendee:[0-9a-f]{64}$/.test(key))).toBe(true);
      // The same bytes again are a duplicate delivery: nothing runs.
      expect((await post(app, snapshot)).body).toMatchObject({ duplicate: true, listeners: 0 });
      // The same snapshot in other bytes is a new delivery whose change is already done.
      const respelled = { data: snapshot.data, type: snapshot.type };
      const again = await post(app, respelled);
      expect(again.body).toEqual({
        received: true,
        type: 'events',
        listeners: 1,
        changes: { fired: 0, alreadyDone: 1 },
      });
      expect(app.get(Recorder).of(token, (call) => call.type === 'attendee.booked')).toHaveLength(
        1,
      );
    } finally {
      await app.close();
    }
  });

  it.each([
    [2, 2],
    [undefined, 6],
  ])(
    'runs at most records.concurrency (%s) changes at once, with the records.keyPrefix',
    async (concurrency, most) => {
      const tuned = new ControlledStore();
      const app = await start(
        adapter,
        { records: { store: tuned, keyPrefix: 'tenant-9:', concurrency } },
        log,
        [Overlap],
      );
      try {
        const token = unique(adapter);
        const states = ['a', 'b', 'c', 'd', 'e', 'f'].map((guid) => [guid, 'cancelled'] as const);
        const response = await post(app, rewardsSnapshot(token, states));
        expect(response.body).toEqual({
          received: true,
          type: 'rewards',
          listeners: 6,
          changes: { fired: 6, alreadyDone: 0 },
        });
        const overlap = app.get(Overlap);
        expect(overlap.seen.sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
        expect(overlap.most).toBe(most);
        expect(overlap.active).toBe(0);
        const reserved = tuned.calls.filter(({ operation }) => operation === 'reserve');
        expect(reserved).toHaveLength(6);
        for (const { key } of reserved) {
          expect(key).toMatch(/^tenant-9:voucher:[0-9a-f]{64}$/);
        }
      } finally {
        await app.close();
      }
    },
  );

  it('says once per app at start-up that record events are remembered in memory, naming them', () => {
    const lines = log.at('log').filter((line) => line.includes(MEMORY_LINE));
    // The default app and the one listening to attendee.booked only; not those with a configured
    // store (shared, nothing to warn about) nor the one with records: false.
    expect(lines).toHaveLength(2);
    const all = lines.find((line) => line.includes('enrolment.completed'));
    expect(all).toContain('attendee.booked');
    expect(all).toContain('voucher.expired');
    expect(all).toContain('"records.store"');
    expect(lines).toContainEqual(expect.stringContaining('(attendee.booked)'));
  });

  it('warns at start-up when record events are off on an app that listens to them', () => {
    const lines = log.at('warn').filter((line) => line.includes('"records: false"'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('attendee.booked');
    expect(lines[0]).toContain('remove "records: false"');
  });

  it('fails at start-up when a record event is named in the events option', async () => {
    class BookingDto {}
    const failure = await createCustomApp(adapter, {
      imports: [
        EventEmitterModule.forRoot(),
        webhookModule({ events: { 'attendee.booked': BookingDto } }),
      ],
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FalkorConfigurationError);
    expect((failure as Error).message).toContain('"events.attendee.booked" names a record event');
  });
});
