import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, type INestApplication } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Redis } from 'ioredis';
import {
  type FalkorWebhookEvent,
  OnFalkorEvent,
  RedisFalkorDeduplicationStore,
} from '../../src/index.js';
import {
  createFalkorDelivery,
  falkorSampleAttendee,
  falkorSampleEnrolment,
  falkorSampleEvent,
  falkorSampleReward,
  falkorSampleVoucher,
} from '../../src/testing/index.js';
import { type AdapterName, createCustomApp, TEST_SECRET, webhookModule } from '../support/apps.js';
import { DeliverySender, type Sendable, type SentResponse } from '../support/http.sender.js';
import { startTestRedis, type TestRedis } from '../support/redis.server.js';
import { expectedChanges, RecordFireLedger, recordFireListener } from '../support/record-fires.js';
import {
  learnerStages,
  RECORD_ATTENDEE_STATES,
  RECORD_VOUCHER_STATES,
  recordTimestamp,
} from '../support/record.stages.js';
import { seededRandom } from '../support/seeded.random.js';

const at = (hour: number) => recordTimestamp('04', hour);

const SNAPSHOTS = 24;
const LEARNERS = 30;
const ATTENDEES_PER_EVENT = 12;
const VOUCHERS_PER_REWARD = 12;
const MAX_ATTEMPTS = 200;
/** The sender waits this many ms per second of `Retry-After`: the platform's policy, sped up. */
const RETRY_AFTER_SCALE_MS = 10;
/** The sender's pause before retrying a 500 (a listener failed), in ms. */
const RETRY_DELAY_MS = 5;

interface Snapshot {
  readonly type: 'enrolments' | 'events' | 'rewards';
  readonly payload: Record<string, unknown>;
  readonly delivery: Sendable;
}

/**
 * 24 snapshots of one pathway, 7 of each webhook and an exact copy of the first of each: every
 * snapshot of a type lists most of the same records, each in a state drawn at random, so that
 * many changes are carried by several snapshots at once.
 */
function snapshots(pathwayId: string, next: () => number): Snapshot[] {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const pathway = { name: 'Records under contention', ID: pathwayId };
  const build = (type: Snapshot['type'], data: Record<string, unknown>): Snapshot => {
    const { body, headers, payload } = createFalkorDelivery(type, {
      secret: TEST_SECRET,
      overrides: { data: { pathway, ...data } },
    });
    return { type, payload: payload as Record<string, unknown>, delivery: { body, headers } };
  };
  const enrolments = () => {
    const list: Record<string, unknown>[] = [];
    for (let i = 0; i < LEARNERS; i++) {
      if (next() < 0.8) {
        const email = `learner.${i}@records.example.com`;
        // The address in another letter case is the same learner.
        list.push(
          falkorSampleEnrolment({
            email: next() < 0.3 ? email.toUpperCase() : email,
            status: pick(learnerStages(i, 2, '04')),
          }),
        );
      }
    }
    // A learner listed twice in one snapshot, in the same state: one change.
    list.push({ ...list[0], email: String(list[0].email).toUpperCase() });
    return build('enrolments', { enrolments: list });
  };
  const events = () =>
    build('events', {
      events: ['FABK-RECS-000A', 'FABK-RECS-000B'].map((ID, e) =>
        falkorSampleEvent({
          ID,
          attendees: Array.from({ length: ATTENDEES_PER_EVENT }, (_, a) =>
            falkorSampleAttendee({
              guid: `8bd0705f-c640-4191-9a1c-${String(e * 100 + a).padStart(12, '0')}`,
              state: pick(RECORD_ATTENDEE_STATES),
            }),
          ).filter(() => next() < 0.85),
        }),
      ),
    });
  const rewards = () =>
    build('rewards', {
      rewards: [
        falkorSampleReward({
          ID: 'FARE-RECS-0001',
          vouchers: Array.from({ length: VOUCHERS_PER_REWARD }, (_, v) =>
            falkorSampleVoucher({
              guid: `6c720133-3916-4172-94c9-${String(v).padStart(12, '0')}`,
              // Most vouchers are early in their life: many snapshots agree on their state.
              state: RECORD_VOUCHER_STATES[Math.floor(next() ** 2 * RECORD_VOUCHER_STATES.length)],
            }),
          ).filter(() => next() < 0.85),
        }),
      ],
    });
  const originals = Array.from({ length: 7 }, () => [enrolments(), events(), rewards()]).flat();
  return [...originals, ...originals.slice(0, 3)];
}

/** The learner of an `enrolment.completed` fire whose first call fails: every third learner. */
function failsFirst(fire: string): boolean {
  const learner = /^enrolment\.completed completion\|[^|]+\|learner\.(\d+)@/i.exec(fire);
  return learner !== null && Number(learner[1]) % 3 === 0;
}

describe('record events: two instances (Express and Fastify) sharing one Redis', () => {
  const ledger = new RecordFireLedger();
  const keyPrefix = `records-e2e:${randomUUID()}:`;
  const adapters: readonly AdapterName[] = ['express', 'fastify'];
  const clients: Redis[] = [];
  const answers: { status: number; retryAfter: string | undefined }[] = [];
  const next = seededRandom(20261201);
  let apps: INestApplication[];
  let senders: DeliverySender[];
  let server: TestRedis;
  let redis: Redis;

  beforeAll(async () => {
    server = await startTestRedis();
    redis = new Redis(server.url);
    clients.push(redis);
    ledger.failFirst = failsFirst;
    apps = await Promise.all(
      adapters.map((adapter) => {
        const client = new Redis(server.url);
        clients.push(client);
        return createCustomApp(adapter, {
          imports: [
            EventEmitterModule.forRoot(),
            webhookModule({
              records: {
                store: new RedisFalkorDeduplicationStore(client, { keyPrefix }),
                retryAfterSeconds: 1,
              },
            }),
          ],
          providers: [recordFireListener(ledger, adapter)],
        });
      }),
    );
    senders = apps.map((app) => new DeliverySender(app, 50));
  });
  afterAll(async () => {
    senders?.forEach((sender) => sender.close());
    await Promise.all((apps ?? []).map((app) => app.close()));
    await Promise.all(clients.map((client) => client.quit()));
    await server?.stop();
  });

  /**
   * Sends a delivery to either instance at random until it is acknowledged, as a platform that
   * retries would: 409 and 503 after their `Retry-After` (scaled down), 500 after a short pause.
   */
  async function deliver(delivery: Sendable): Promise<SentResponse> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const response = await senders[Math.floor(next() * senders.length)].send(delivery);
      answers.push({ status: response.status, retryAfter: response.retryAfter });
      if (response.status >= 200 && response.status < 300) {
        return response;
      }
      if (response.status === 409 || response.status === 503) {
        await new Promise((resolve) =>
          setTimeout(resolve, Number(response.retryAfter) * RETRY_AFTER_SCALE_MS),
        );
      } else if (response.status === 500 && response.body.code === 'listener_failed') {
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
      } else {
        return response;
      }
    }
    throw new Error(`not acknowledged after ${MAX_ATTEMPTS} attempts`);
  }

  it('fires every change of 24 overlapping snapshots sent at once exactly once, and acknowledges each', async () => {
    const sent = snapshots(`FA-RECS-${randomUUID().slice(0, 8)}`, next);
    expect(sent).toHaveLength(SNAPSHOTS);
    const changesOf = sent.map((snapshot) => expectedChanges(snapshot.type, snapshot.payload));
    const expected = new Set(
      changesOf.flatMap((changes) => [...changes.values()].flatMap((c) => c.fires)),
    );
    const distinctChanges = new Set(changesOf.flatMap((changes) => [...changes.keys()]));
    const failing = [...expected].filter(failsFirst);

    const responses = await Promise.all(sent.map((snapshot) => deliver(snapshot.delivery)));

    // Each snapshot is acknowledged, its receipt counting every change it carries as fired by
    // this delivery or already done.
    responses.forEach((response, index) => {
      expect([index, response.status]).toEqual([index, 200]);
      const changes = response.body.changes as { fired: number; alreadyDone: number };
      expect([index, changes.fired + changes.alreadyDone]).toEqual([index, changesOf[index].size]);
    });
    expect(ledger.compare(expected)).toEqual({
      once: expected.size,
      twice: 0,
      lost: 0,
      unexpected: 0,
    });
    // The only listener calls made twice are the failed first calls of the chosen completions:
    // their siblings (the status change of the same enrolment, in the same delivery) are not.
    expect(failing.length).toBeGreaterThan(0);
    expect(ledger.injectedFailures).toBe(failing.length);
    for (const fire of expected) {
      expect([fire, ledger.attempts.get(fire)]).toEqual([fire, failsFirst(fire) ? 2 : 1]);
    }
    // Both instances fired changes, and deliveries met changes in flight on the other.
    expect(ledger.firedBy.get('express')).toBeGreaterThan(0);
    expect(ledger.firedBy.get('fastify')).toBeGreaterThan(0);
    const waited = answers.filter((answer) => answer.status === 409 || answer.status === 503);
    expect(waited.length).toBeGreaterThan(0);
    for (const answer of waited) {
      expect(answer.retryAfter).toBe('1');
    }

    // Redis holds each change once, completed.
    const stored: string[] = [];
    for await (const keys of redis.scanStream({ match: `${keyPrefix}*`, count: 1000 })) {
      stored.push(...(keys as string[]));
    }
    expect(stored).toHaveLength(distinctChanges.size);
    const values = await redis.mget(...stored);
    expect(values.filter((value) => !value?.startsWith('completed:'))).toEqual([]);

    // Sent again, every snapshot is acknowledged at once with nothing left to fire.
    const again = await Promise.all(sent.map((snapshot) => deliver(snapshot.delivery)));
    again.forEach((response, index) => {
      expect([index, response.status, response.body.changes]).toEqual([
        index,
        200,
        { fired: 0, alreadyDone: changesOf[index].size },
      ]);
    });
    expect(ledger.compare(expected)).toMatchObject({ once: expected.size, twice: 0 });
  });

  // Regression: a delivery answered 409 for a change in flight elsewhere had already run its
  // own listeners; de-duplication then released it, so its retry ran them again.
  it('runs the delivery listeners of a delivery answered 409 for a change in flight elsewhere once', async () => {
    const pathway = `FA-RECS-409-${randomUUID().slice(0, 8)}`;
    const ran = new Map<string, number>();
    let completions = 0;
    let entered: () => void = () => undefined;
    const completionEntered = new Promise<void>((resolve) => (entered = resolve));
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));

    @Injectable()
    class Listeners {
      @OnFalkorEvent('enrolments')
      onEnrolments(event: FalkorWebhookEvent<'enrolments'>): void {
        const name = String(event.payload.data.pathway.name);
        ran.set(name, (ran.get(name) ?? 0) + 1);
      }

      // The first completion is held until the test lets it go: its change stays in flight.
      @OnFalkorEvent('enrolment.completed')
      async onCompleted(): Promise<void> {
        if (++completions === 1) {
          entered();
          await released;
        }
      }
    }

    // The same completion (pathway, learner, `joined`) in two deliveries of other bytes.
    const delivery = (name: string, timestamp: string): Sendable => {
      const { body, headers } = createFalkorDelivery('enrolments', {
        secret: TEST_SECRET,
        overrides: {
          data: {
            pathway: { ID: pathway, name },
            enrolments: [
              falkorSampleEnrolment({
                email: 'learner.409@records.example.com',
                status: { level: 3, state: 'Complete', progress: 100, joined: at(1), timestamp },
              }),
            ],
          },
        },
      });
      return { body, headers };
    };
    const first = delivery('A', at(10));
    const second = delivery('B', at(11));

    const client = new Redis(server.url);
    clients.push(client);
    const app = await createCustomApp('express', {
      imports: [
        EventEmitterModule.forRoot(),
        webhookModule({
          deduplication: {},
          records: {
            store: new RedisFalkorDeduplicationStore(client, { keyPrefix: `${keyPrefix}409:` }),
            retryAfterSeconds: 1,
          },
        }),
      ],
      providers: [Listeners],
    });
    const sender = new DeliverySender(app, 4);
    try {
      const held = sender.send(first);
      await completionEntered;
      const refused = await sender.send(second);
      expect([refused.status, refused.retryAfter]).toEqual([409, '1']);
      // Answered 409, it ran none of its own listeners: they run on its retry.
      expect(ran.get('B')).toBeUndefined();

      release();
      expect((await held).status).toBe(200);
      const retried = await sender.send(second);
      expect([retried.status, retried.body.changes]).toEqual([200, { fired: 0, alreadyDone: 1 }]);
      expect(Object.fromEntries(ran)).toEqual({ A: 1, B: 1 });
      expect(completions).toBe(1);
    } finally {
      release();
      sender.close();
      await app.close();
    }
  });
});
