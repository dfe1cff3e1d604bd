import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Injectable, type INestApplication, type LoggerService, type Type } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { type Job, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import {
  FalkorDeliveryQueue,
  FalkorEnrolmentDto,
  FalkorEnrolmentsPayloadDto,
  FalkorEnrolmentStatusDto,
  type FalkorQueueOptions,
  type FalkorQueuedDelivery,
  type FalkorWebhookEvent,
  FalkorWebhookModule,
  type FalkorWebhookModuleOptions,
  OnFalkorEvent,
  openFalkorQueue,
  signFalkorPayload,
} from '../../src/index.js';
import { FalkorWebhookReceiver } from '../../src/nest/http/falkor-webhook.receiver.js';
import {
  createFalkorDelivery,
  falkorSampleAttendee,
  falkorSampleEnrolment,
  falkorSampleEvent,
  falkorSamplePayload,
  type SignedFalkorDelivery,
} from '../../src/testing/index.js';
import {
  type AdapterName,
  adapters,
  createCustomApp,
  postRaw,
  RecordingLogger,
  TEST_SECRET,
  webhookModule,
} from '../support/apps.js';
import { type BuiltPackage, buildPackage, runNode } from '../support/built-package.js';
import { enrolmentDelivery, gate, uniqueEnrolmentId } from '../support/enrolment.ledger.js';
import { RedisServer, startTestRedis, type TestRedis } from '../support/redis.server.js';

const PATH = '/webhooks/falkor';
/** How long a wait for something the test caused may take before the test fails, not hangs. */
const DEADLINE_MS = 10_000;

/** Waits for `promise`, failing (not hanging) the test once {@link DEADLINE_MS} passed. */
async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`still waiting, after ${DEADLINE_MS} ms, for ${what}`)),
      DEADLINE_MS,
    );
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** The ioredis options of a Redis URL, as BullMQ takes them. */
function connectionOf(url: string) {
  const parsed = new URL(url);
  const db = parsed.pathname.replace(/^\//, '');
  return {
    host: parsed.hostname,
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    ...(parsed.password === '' ? {} : { password: decodeURIComponent(parsed.password) }),
    ...(db === '' ? {} : { db: Number(db) }),
  };
}

let names = 0;
/** A queue name no other suite, test or run uses. */
function uniqueQueueName(adapter: AdapterName): string {
  names++;
  return `falkor-queue-e2e-${adapter}-${process.pid}-${Date.now().toString(36)}-${names}`;
}

/** The job id of a delivery: the SHA-256 of its exact body. */
function jobIdOf(body: string | Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

/** One listener call as a {@link Tracker} saw it. */
interface Call {
  readonly listener: string;
  readonly key: string;
  readonly attempt: number;
  readonly event: FalkorWebhookEvent<'enrolments' | 'attendee.booked'>;
  outcome: 'running' | 'succeeded' | 'failed';
}

/**
 * Counts the calls of the test's listeners, per listener and delivery key, and lets the test
 * decide what each call does (throw to fail it, return a promise to hold it) and wait for calls.
 */
class Tracker {
  readonly calls: Call[] = [];
  behaviour: (listener: string, key: string, attempt: number) => unknown = () => undefined;
  private readonly waiters = new Set<() => void>();

  async run(
    listener: string,
    key: string,
    event: FalkorWebhookEvent<'enrolments' | 'attendee.booked'>,
  ): Promise<void> {
    const call: Call = {
      listener,
      key,
      event,
      attempt: this.count(listener, key) + 1,
      outcome: 'running',
    };
    this.calls.push(call);
    this.changed();
    try {
      await this.behaviour(listener, key, call.attempt);
      call.outcome = 'succeeded';
    } catch (error) {
      call.outcome = 'failed';
      throw error;
    } finally {
      this.changed();
    }
  }

  /** The calls of a listener for a key, optionally only those that ended so. */
  count(listener: string, key: string, outcome?: Call['outcome']): number {
    return this.calls.filter(
      (call) =>
        call.listener === listener &&
        call.key === key &&
        (outcome === undefined || call.outcome === outcome),
    ).length;
  }

  /** Resolves once `test` holds (checked at every call's start and end). */
  until(test: () => boolean, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (test()) {
          this.waiters.delete(check);
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`still waiting, after ${DEADLINE_MS} ms, for ${what}`));
      }, DEADLINE_MS);
      this.waiters.add(check);
      check();
    });
  }

  private changed(): void {
    for (const check of [...this.waiters]) {
      check();
    }
  }
}

/** The listeners of the test apps: two of `enrolments`, one of the record event `attendee.booked`. */
function listenersOf(tracker: Tracker): Type<unknown>[] {
  const keyOf = (event: FalkorWebhookEvent<'enrolments'>) => event.payload.data.enrolments[0].email;

  @Injectable()
  class Mailer {
    @OnFalkorEvent('enrolments')
    send(event: FalkorWebhookEvent<'enrolments'>): Promise<void> {
      return tracker.run('Mailer.send', keyOf(event), event);
    }
  }

  @Injectable()
  class Crm {
    @OnFalkorEvent('enrolments')
    sync(event: FalkorWebhookEvent<'enrolments'>): Promise<void> {
      return tracker.run('Crm.sync', keyOf(event), event);
    }
  }

  @Injectable()
  class Bookings {
    @OnFalkorEvent('attendee.booked')
    booked(event: FalkorWebhookEvent<'attendee.booked'>): Promise<void> {
      return tracker.run('Bookings.booked', event.payload.attendee.guid, event);
    }
  }
  return [Mailer, Crm, Bookings];
}

/** A signed `enrolments` delivery for learner `id` on pathway `pathwayId`. */
function pathwayDelivery(id: string, pathwayId: string): SignedFalkorDelivery {
  return createFalkorDelivery('enrolments', {
    secret: TEST_SECRET,
    overrides: {
      data: { pathway: { ID: pathwayId }, enrolments: [falkorSampleEnrolment({ email: id })] },
    },
  });
}

function send(app: INestApplication, delivery: { body: string; headers: Record<string, string> }) {
  return postRaw(app, PATH, delivery.body, delivery.headers);
}

/** One test's apps, queues and clients, all closed after it. */
class Harness {
  private readonly apps: INestApplication[] = [];
  private readonly events: QueueEvents[] = [];
  private readonly queues = new Set<string>();
  private readonly closed = new Set<INestApplication>();
  private readonly gates: (() => void)[] = [];

  constructor(
    private readonly adapter: AdapterName,
    private readonly url: () => string,
  ) {}

  /** Starts an app in queue mode with the test's listeners. */
  async app(
    tracker: Tracker,
    queue: Partial<FalkorQueueOptions> & { readonly name: string },
    options: Partial<FalkorWebhookModuleOptions> = {},
    logger: LoggerService | false = false,
  ): Promise<INestApplication> {
    this.queues.add(queue.name);
    const app = await createCustomApp(this.adapter, {
      appOptions: { logger },
      imports: [
        EventEmitterModule.forRoot(),
        webhookModule({
          ...options,
          queue: { connection: connectionOf(this.url()), backoff: 10, ...queue },
        }),
      ],
      providers: listenersOf(tracker),
    });
    this.apps.push(app);
    return app;
  }

  /** A promise the test resolves to release a held listener; released anyway after the test. */
  gate(): ReturnType<typeof gate> {
    const held = gate();
    this.gates.push(held.open);
    return held;
  }

  /** A fresh queue name for this test. */
  name(): string {
    const name = uniqueQueueName(this.adapter);
    this.queues.add(name);
    return name;
  }

  /** BullMQ's event stream of a queue, listening before the test sends anything. */
  async queueEvents(name: string): Promise<QueueEvents> {
    const events = new QueueEvents(name, { connection: connectionOf(this.url()) });
    this.events.push(events);
    await events.waitUntilReady();
    return events;
  }

  /** Closes an app now (it is not closed again after the test). */
  async close(app: INestApplication): Promise<void> {
    this.closed.add(app);
    await app.close();
  }

  async dispose(): Promise<void> {
    // A failed test may leave a listener held: the worker would wait for it at close.
    this.gates.forEach((open) => open());
    await Promise.all(this.apps.filter((app) => !this.closed.has(app)).map((app) => app.close()));
    await Promise.all(this.events.map((events) => events.close()));
    // A shared Redis (REDIS_URL) keeps nothing of the test.
    for (const name of this.queues) {
      const client = await openFalkorQueue({ connection: connectionOf(this.url()), name });
      await client.queue.obliterate({ force: true });
      await client.close();
    }
  }
}

/** The job of a 202's receipt, once it is finished: its outcome and result or failed reason. */
async function finished(
  app: INestApplication,
  events: QueueEvents,
  id: string,
): Promise<{ readonly state: 'completed' | 'failed'; readonly job: Job<FalkorQueuedDelivery> }> {
  const queue = app.get(FalkorDeliveryQueue).queue;
  const job = await queue.getJob(id);
  if (job === undefined) {
    throw new Error(`no job ${id}`);
  }
  const state = await job.waitUntilFinished(events, DEADLINE_MS).then(
    () => 'completed' as const,
    () => 'failed' as const,
  );
  return { state, job: (await queue.getJob(id))! };
}

describe.each(adapters)('queue mode on %s', (adapter) => {
  let redis: TestRedis;
  let harness: Harness;

  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(() => redis.stop());
  beforeEach(() => {
    harness = new Harness(adapter, () => redis.url);
  });
  afterEach(() => harness.dispose());

  it('answers 202 while a listener is still held, then runs it to the end in the worker', async () => {
    const tracker = new Tracker();
    const name = harness.name();
    const events = await harness.queueEvents(name);
    const app = await harness.app(tracker, { name });
    const hold = harness.gate();
    tracker.behaviour = (listener) => (listener === 'Mailer.send' ? hold.opened : undefined);
    const first = uniqueEnrolmentId();
    const second = uniqueEnrolmentId();

    const delivery = enrolmentDelivery(first);
    const accepted = await send(app, delivery);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({
      received: true,
      type: 'enrolments',
      listeners: 0,
      queued: true,
      id: jobIdOf(delivery.body),
    });
    await tracker.until(
      () => tracker.count('Mailer.send', first, 'running') === 1,
      'the held listener to start',
    );
    // The listener of the first delivery is held on a promise only the test resolves: a
    // second delivery is still acknowledged at once.
    const next = await send(app, enrolmentDelivery(second));
    expect(next.status).toBe(202);
    expect(tracker.count('Mailer.send', first, 'succeeded')).toBe(0);

    hold.open();
    const outcome = await finished(app, events, accepted.body.id as string);
    expect(outcome.state).toBe('completed');
    expect(outcome.job.returnvalue).toEqual({ received: true, type: 'enrolments', listeners: 2 });
    expect(tracker.count('Mailer.send', first, 'succeeded')).toBe(1);
    expect(tracker.count('Crm.sync', first, 'succeeded')).toBe(1);
    expect((await finished(app, events, next.body.id as string)).state).toBe('completed');
    expect(tracker.count('Mailer.send', second)).toBe(1);
  });

  it('retries only the listener that failed: it succeeds on its third attempt, its sibling ran once', async () => {
    const tracker = new Tracker();
    const name = harness.name();
    const events = await harness.queueEvents(name);
    const app = await harness.app(tracker, { name, attempts: 5, backoff: 10 });
    const id = uniqueEnrolmentId();
    tracker.behaviour = (listener, _key, attempt) => {
      if (listener === 'Mailer.send' && attempt <= 2) {
        throw new Error(`smtp refused attempt ${attempt}`);
      }
    };

    const accepted = await send(app, enrolmentDelivery(id));
    expect(accepted.status).toBe(202);
    const outcome = await finished(app, events, accepted.body.id as string);

    expect(outcome.state).toBe('completed');
    expect(tracker.count('Mailer.send', id)).toBe(3);
    expect(tracker.count('Mailer.send', id, 'failed')).toBe(2);
    expect(tracker.count('Mailer.send', id, 'succeeded')).toBe(1);
    expect(tracker.count('Crm.sync', id)).toBe(1);
    expect(outcome.job.attemptsMade).toBe(3);
    expect(outcome.job.data.done).toEqual(['Crm.sync']);
    // The last attempt ran the failed listener only.
    expect(outcome.job.returnvalue).toEqual({ received: true, type: 'enrolments', listeners: 1 });
  });

  it('lists an exhausted delivery with its failed listener, and replays only that listener', async () => {
    const tracker = new Tracker();
    const name = harness.name();
    const events = await harness.queueEvents(name);
    const app = await harness.app(tracker, { name, attempts: 2, backoff: 10 });
    const deliveries = app.get(FalkorDeliveryQueue);
    const id = uniqueEnrolmentId();
    let smtpUp = false;
    tracker.behaviour = (listener) => {
      if (listener === 'Mailer.send' && !smtpUp) {
        throw new Error('smtp.example.com refused the connection');
      }
    };

    const delivery = pathwayDelivery(id, 'FA-QUEUE-0003');
    const accepted = await send(app, delivery);
    expect(accepted.status).toBe(202);
    const jobId = accepted.body.id as string;
    expect((await finished(app, events, jobId)).state).toBe('failed');

    const failed = await deliveries.failed();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      id: jobId,
      type: 'enrolments',
      pathway: 'FA-QUEUE-0003',
      attempts: 2,
      failedListeners: [
        { listener: 'Mailer.send', error: 'smtp.example.com refused the connection' },
      ],
    });
    // The failed reason names each failed listener with its own error; the delivery was
    // acknowledged (202), so it does not repeat the route's "not acknowledged".
    expect(failed[0].lastError).toBe(
      '1 listener call(s) failed for "enrolments": Mailer.send: smtp.example.com refused the connection',
    );
    expect(failed[0].failedAt).toBeInstanceOf(Date);
    expect(tracker.count('Mailer.send', id)).toBe(2);
    expect(tracker.count('Crm.sync', id)).toBe(1);
    expect(await deliveries.queue.getJobCounts('failed')).toEqual({ failed: 1 });

    smtpUp = true;
    expect(await deliveries.replay('no-such-job')).toBe(false);
    expect(await deliveries.replay(jobId)).toBe(true);
    const replayed = await finished(app, events, jobId);
    expect(replayed.state).toBe('completed');
    expect(tracker.count('Mailer.send', id)).toBe(3);
    expect(tracker.count('Mailer.send', id, 'succeeded')).toBe(1);
    expect(tracker.count('Crm.sync', id)).toBe(1);
    expect(await deliveries.failed()).toEqual([]);
    // A completed delivery is not failed: it cannot be replayed.
    expect(await deliveries.replay(jobId)).toBe(false);
  });

  it('replays every exhausted delivery with replayAll', async () => {
    const tracker = new Tracker();
    const name = harness.name();
    const events = await harness.queueEvents(name);
    const app = await harness.app(tracker, { name, attempts: 2, backoff: 10 });
    const deliveries = app.get(FalkorDeliveryQueue);
    const ids = [uniqueEnrolmentId(), uniqueEnrolmentId(), uniqueEnrolmentId()];
    let crmUp = false;
    tracker.behaviour = (listener) => {
      if (listener === 'Crm.sync' && !crmUp) {
        throw new Error('crm timed out');
      }
    };

    const jobIds: string[] = [];
    for (const id of ids) {
      const accepted = await send(app, enrolmentDelivery(id));
      expect(accepted.status).toBe(202);
      jobIds.push(accepted.body.id as string);
    }
    for (const jobId of jobIds) {
      expect((await finished(app, events, jobId)).state).toBe('failed');
    }
    const failed = await deliveries.failed();
    expect(failed.map((delivery) => delivery.id).sort()).toEqual([...jobIds].sort());
    expect(await deliveries.failed(2)).toHaveLength(2);
    for (const delivery of failed) {
      expect(delivery.failedListeners).toEqual([{ listener: 'Crm.sync', error: 'crm timed out' }]);
    }

    crmUp = true;
    expect(await deliveries.replayAll()).toBe(3);
    for (const jobId of jobIds) {
      expect((await finished(app, events, jobId)).state).toBe('completed');
    }
    for (const id of ids) {
      expect(tracker.count('Mailer.send', id)).toBe(1);
      expect(tracker.count('Crm.sync', id)).toBe(3);
    }
    expect(await deliveries.failed()).toEqual([]);
    expect(await deliveries.replayAll()).toBe(0);
  });

  it('splits the work: a receiver-only app stores, a worker-only app processes and answers 404', async () => {
    const received = new Tracker();
    const processed = new Tracker();
    const name = harness.name();
    const events = await harness.queueEvents(name);
    const receiver = await harness.app(received, { name, role: 'receiver' });
    const id = uniqueEnrolmentId();

    const delivery = enrolmentDelivery(id);
    const accepted = await send(receiver, delivery);
    expect(accepted.status).toBe(202);
    // No worker anywhere yet: the delivery waits in the queue.
    expect(await receiver.get(FalkorDeliveryQueue).queue.getJobCounts('wait', 'active')).toEqual({
      wait: 1,
      active: 0,
    });

    // A worker-only app needs no secret: the receiver verified the delivery.
    const worker = await harness.app(processed, { name, role: 'worker' }, { secret: undefined });
    expect((await finished(worker, events, accepted.body.id as string)).state).toBe('completed');
    expect(processed.count('Mailer.send', id, 'succeeded')).toBe(1);
    expect(processed.count('Crm.sync', id, 'succeeded')).toBe(1);
    expect(received.calls).toEqual([]);

    const refused = await send(worker, enrolmentDelivery(uniqueEnrolmentId()));
    const unknown = await postRaw(worker, '/no-such-route', delivery.body, delivery.headers);
    expect(refused.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(refused.body).toEqual({ ...unknown.body, message: `Cannot POST ${PATH}` });
    const unsigned = await postRaw(worker, PATH, '{"type":"enrolments"}', {
      'Content-Type': 'application/json',
    });
    expect(unsigned.status).toBe(404);
    expect(
      await worker.get(FalkorDeliveryQueue).queue.getJobCounts('completed', 'wait', 'failed'),
    ).toEqual({ completed: 1, wait: 0, failed: 0 });
  });

  it('refuses with 401, 400, 413 and 415 before anything is stored', async () => {
    const tracker = new Tracker();
    const name = harness.name();
    const app = await harness.app(tracker, { name }, { maxBodyBytes: 4096 });
    const queue = app.get(FalkorDeliveryQueue).queue;
    const id = uniqueEnrolmentId();
    const valid = enrolmentDelivery(id);
    const big = JSON.stringify(
      falkorSamplePayload('enrolments', {
        data: {
          enrolments: Array.from({ length: 40 }, (_, index) =>
            falkorSampleEnrolment({ email: `big.${index}@example.com` }),
          ),
        },
      }),
    );
    expect(Buffer.byteLength(big)).toBeGreaterThan(4096);

    const forged = await send(app, enrolmentDelivery(id, {}, 'not-the-secret'));
    const invalid = await send(app, enrolmentDelivery(id, { status: { progress: 'ninety' } }));
    const malformed = await postRaw(app, PATH, '{"type":', {
      'Content-Type': 'application/json',
      'Falkor-Webhook-Signature': signFalkorPayload('{"type":', TEST_SECRET),
    });
    const tooLarge = await postRaw(app, PATH, big, {
      'Content-Type': 'application/json',
      'Falkor-Webhook-Signature': signFalkorPayload(big, TEST_SECRET),
    });
    const compressed = await postRaw(app, PATH, valid.body, {
      ...valid.headers,
      'Content-Encoding': 'gzip',
    });
    const xml = await postRaw(app, PATH, valid.body, {
      ...valid.headers,
      'Content-Type': 'application/xml',
    });

    expect(forged.status).toBe(401);
    expect(forged.body.code).toBe('signature_invalid');
    expect(invalid.status).toBe(400);
    expect(malformed.status).toBe(400);
    expect(tooLarge.status).toBe(413);
    // Express's own body parser may refuse the compressed body (400) before the module's 415.
    expect([400, 415]).toContain(compressed.status);
    expect(xml.status).toBe(415);
    const empty = await queue.getJobCounts();
    expect(Object.values(empty).every((count) => count === 0)).toBe(true);
    expect(tracker.calls).toEqual([]);

    // The same route stores the valid delivery: the counts above could have moved.
    expect((await send(app, valid)).status).toBe(202);
    const counts = await queue.getJobCounts();
    expect(Object.values(counts).reduce((sum, count) => sum + count, 0)).toBe(1);
  });

  it('answers a duplicate as before with deduplication: the listeners run once', async () => {
    const tracker = new Tracker();
    const name = harness.name();
    const events = await harness.queueEvents(name);
    const app = await harness.app(tracker, { name }, { deduplication: {} });
    const id = uniqueEnrolmentId();
    const delivery = enrolmentDelivery(id);

    const accepted = await send(app, delivery);
    expect(accepted.status).toBe(202);
    expect((await finished(app, events, accepted.body.id as string)).state).toBe('completed');
    const duplicate = await send(app, delivery);
    expect(duplicate.status).toBe(200);
    expect(duplicate.body).toEqual({
      received: true,
      type: 'enrolments',
      listeners: 0,
      duplicate: true,
    });
    expect(tracker.count('Mailer.send', id)).toBe(1);
    expect(tracker.count('Crm.sync', id)).toBe(1);
    expect(await app.get(FalkorDeliveryQueue).queue.getJobCounts('completed')).toEqual({
      completed: 1,
    });
  });

  it('fires a record event once in the worker across two deliveries carrying the same change', async () => {
    const tracker = new Tracker();
    const name = harness.name();
    const events = await harness.queueEvents(name);
    const app = await harness.app(tracker, { name, backoff: 10 });
    const guid = `attendee-${process.pid}-${Date.now()}`;
    const payload = falkorSamplePayload('events', {
      data: {
        events: [
          falkorSampleEvent({ attendees: [falkorSampleAttendee({ guid, state: 'booked' })] }),
        ],
      },
    });
    // The same change in other bytes: two deliveries, two jobs.
    const bodies = [JSON.stringify(payload), JSON.stringify(payload, null, 2)];
    const ids: string[] = [];
    for (const body of bodies) {
      const response = await postRaw(app, PATH, body, {
        'Content-Type': 'application/json',
        'Falkor-Webhook-Signature': signFalkorPayload(body, TEST_SECRET),
      });
      expect(response.status).toBe(202);
      ids.push(response.body.id as string);
    }
    expect(new Set(ids).size).toBe(2);
    const results = [];
    for (const id of ids) {
      const outcome = await finished(app, events, id);
      expect(outcome.state).toBe('completed');
      results.push(outcome.job.returnvalue as { changes: { fired: number; alreadyDone: number } });
    }
    expect(tracker.count('Bookings.booked', guid)).toBe(1);
    expect(tracker.count('Bookings.booked', guid, 'succeeded')).toBe(1);
    expect(results.map((result) => result.changes).sort((a, b) => b.fired - a.fired)).toEqual([
      { fired: 1, alreadyDone: 0 },
      { fired: 0, alreadyDone: 1 },
    ]);
  });

  it('processes at most `concurrency` deliveries at once', async () => {
    const tracker = new Tracker();
    const name = harness.name();
    const app = await harness.app(tracker, { name, concurrency: 2 });
    const hold = harness.gate();
    tracker.behaviour = (listener) => (listener === 'Mailer.send' ? hold.opened : undefined);
    const ids = [uniqueEnrolmentId(), uniqueEnrolmentId(), uniqueEnrolmentId()];
    for (const id of ids) {
      expect((await send(app, enrolmentDelivery(id))).status).toBe(202);
    }
    const running = () => tracker.calls.filter((call) => call.listener === 'Mailer.send');
    await tracker.until(() => running().length === 2, 'two deliveries in the worker');
    const queue = app.get(FalkorDeliveryQueue).queue;
    expect(await queue.getJobCounts('active', 'wait')).toEqual({ active: 2, wait: 1 });
    hold.open();
    await tracker.until(
      () => ids.every((id) => tracker.count('Mailer.send', id, 'succeeded') === 1),
      'the three deliveries to be processed',
    );
  });

  it('stores each job with the attempts and backoff of the options, default 5 and exponential from 1 s', async () => {
    const tracker = new Tracker();
    const defaults = harness.name();
    const custom = harness.name();
    // Receivers only: the jobs wait, as stored.
    const plain = await harness.app(tracker, {
      name: defaults,
      role: 'receiver',
      backoff: undefined,
    });
    const tuned = await harness.app(tracker, {
      name: custom,
      role: 'receiver',
      attempts: 3,
      backoff: { type: 'fixed', delay: 250 },
    });
    const first = await send(plain, enrolmentDelivery(uniqueEnrolmentId()));
    const second = await send(tuned, enrolmentDelivery(uniqueEnrolmentId()));
    const stored = await plain.get(FalkorDeliveryQueue).queue.getJob(first.body.id as string);
    const tunedJob = await tuned.get(FalkorDeliveryQueue).queue.getJob(second.body.id as string);
    expect(stored?.name).toBe('enrolments');
    expect(stored?.opts).toMatchObject({
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000 },
    });
    expect(tunedJob?.opts).toMatchObject({ attempts: 3, backoff: { type: 'fixed', delay: 250 } });
    // Kept an hour (the last 10,000 at most) once completed, until replayed once failed.
    expect(stored?.opts).toMatchObject({
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: false,
    });
    expect(stored?.data).toMatchObject({
      type: 'enrolments',
      pathway: 'FA-HCPG-06RF',
      platform: 'Falkor',
      signatureHeader: 'Falkor-Webhook-Signature',
      secretIndex: 0,
      done: [],
    });
    expect(tracker.calls).toEqual([]);
  });

  it('stores the same bytes sent twice as one job: its id is their SHA-256', async () => {
    const tracker = new Tracker();
    const name = harness.name();
    const events = await harness.queueEvents(name);
    const app = await harness.app(tracker, { name });
    const id = uniqueEnrolmentId();
    const delivery = enrolmentDelivery(id);
    const first = await send(app, delivery);
    expect((await finished(app, events, first.body.id as string)).state).toBe('completed');
    const again = await send(app, delivery);
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(first.body.id);
    expect(await app.get(FalkorDeliveryQueue).queue.getJobCounts('completed', 'wait')).toEqual({
      completed: 1,
      wait: 0,
    });
    expect(tracker.count('Mailer.send', id)).toBe(1);
  });

  it('fails at once, without retries, a delivery the worker no longer validates', async () => {
    const received = new Tracker();
    const processed = new Tracker();
    const name = harness.name();
    const events = await harness.queueEvents(name);
    // The receiver runs an older configuration than the worker, which refuses undocumented values.
    const receiver = await harness.app(received, { name, role: 'receiver' });
    const worker = await harness.app(
      processed,
      { name, role: 'worker', attempts: 5 },
      { strictValues: true },
    );
    const id = uniqueEnrolmentId();
    const accepted = await send(receiver, enrolmentDelivery(id, { status: { state: 'Paused' } }));
    expect(accepted.status).toBe(202);
    const outcome = await finished(worker, events, accepted.body.id as string);
    expect(outcome.state).toBe('failed');
    expect(outcome.job.attemptsMade).toBe(1);
    const [failed] = await worker.get(FalkorDeliveryQueue).failed();
    expect(failed).toMatchObject({ id: accepted.body.id, attempts: 1, failedListeners: [] });
    expect(failed.lastError).toContain('failed validation at data.enrolments.0.status.state');
    expect(processed.calls).toEqual([]);
    expect(received.calls).toEqual([]);
  });

  it('retries a record event whose listener failed, and fires it once it succeeded', async () => {
    const tracker = new Tracker();
    const name = harness.name();
    const events = await harness.queueEvents(name);
    const app = await harness.app(tracker, { name, attempts: 3, backoff: 10 });
    const guid = `attendee-retry-${process.pid}-${Date.now()}`;
    tracker.behaviour = (listener, _key, attempt) => {
      if (listener === 'Bookings.booked' && attempt === 1) {
        throw new Error('calendar unavailable');
      }
    };
    const body = JSON.stringify(
      falkorSamplePayload('events', {
        data: {
          events: [
            falkorSampleEvent({ attendees: [falkorSampleAttendee({ guid, state: 'booked' })] }),
          ],
        },
      }),
    );
    const accepted = await postRaw(app, PATH, body, {
      'Content-Type': 'application/json',
      'Falkor-Webhook-Signature': signFalkorPayload(body, TEST_SECRET),
    });
    expect(accepted.status).toBe(202);
    const outcome = await finished(app, events, accepted.body.id as string);
    expect(outcome.state).toBe('completed');
    expect(outcome.job.attemptsMade).toBe(2);
    expect(tracker.count('Bookings.booked', guid)).toBe(2);
    expect(tracker.count('Bookings.booked', guid, 'succeeded')).toBe(1);
  });

  it('is configured with forRootAsync too', async () => {
    const tracker = new Tracker();
    const name = harness.name();
    const events = await harness.queueEvents(name);
    const app = await createCustomApp(adapter, {
      imports: [
        EventEmitterModule.forRoot(),
        FalkorWebhookModule.forRootAsync({
          useFactory: async () => ({
            secret: TEST_SECRET,
            queue: { connection: connectionOf(redis.url), name, attempts: 2, backoff: 10 },
          }),
        }),
      ],
      providers: listenersOf(tracker),
    });
    try {
      const id = uniqueEnrolmentId();
      tracker.behaviour = (listener, _key, attempt) => {
        if (listener === 'Crm.sync' && attempt === 1) {
          throw new Error('crm busy');
        }
      };
      const accepted = await send(app, enrolmentDelivery(id));
      expect(accepted.status).toBe(202);
      expect(accepted.body.queued).toBe(true);
      expect((await finished(app, events, accepted.body.id as string)).state).toBe('completed');
      expect(tracker.count('Crm.sync', id)).toBe(2);
      expect(tracker.count('Mailer.send', id)).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('closes only once the job a listener holds is finished, refusing deliveries meanwhile with 503', async () => {
    const tracker = new Tracker();
    const name = harness.name();
    const app = await harness.app(tracker, { name });
    const hold = harness.gate();
    tracker.behaviour = (listener) => (listener === 'Mailer.send' ? hold.opened : undefined);
    const id = uniqueEnrolmentId();
    const accepted = await send(app, enrolmentDelivery(id));
    expect(accepted.status).toBe(202);
    await tracker.until(
      () => tracker.count('Mailer.send', id, 'running') === 1,
      'the held listener to start',
    );

    const receiver = app.get(FalkorWebhookReceiver, { strict: false });
    const destroy = receiver.onModuleDestroy.bind(receiver);
    const closing = new Promise<void>((resolve) => {
      receiver.onModuleDestroy = () => {
        destroy();
        resolve();
      };
    });
    let closedYet = false;
    const closed = harness.close(app).then(() => {
      closedYet = true;
    });
    await within(closing, 'the route to start refusing while the worker holds a job');
    const late = enrolmentDelivery(uniqueEnrolmentId());
    const refused = await send(app, late);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.body).toMatchObject({ code: 'shutting_down' });
    expect(closedYet).toBe(false);
    expect(tracker.count('Mailer.send', id, 'succeeded')).toBe(0);

    hold.open();
    await closed;
    expect(tracker.count('Mailer.send', id, 'succeeded')).toBe(1);
    const client = await openFalkorQueue({ connection: connectionOf(redis.url), name });
    try {
      expect(await (await client.queue.getJob(accepted.body.id as string))?.getState()).toBe(
        'completed',
      );
      expect(await client.queue.getJob(jobIdOf(late.body))).toBeUndefined();
    } finally {
      await client.close();
    }
  });

  it('applies listenerTimeoutMs to each listener in the worker: one that never settles fails the attempt', async () => {
    const tracker = new Tracker();
    const name = harness.name();
    const events = await harness.queueEvents(name);
    const app = await harness.app(
      tracker,
      { name, attempts: 2, backoff: 10 },
      { listenerTimeoutMs: 150 },
    );
    tracker.behaviour = (listener) =>
      listener === 'Mailer.send' ? new Promise(() => undefined) : undefined;
    const id = uniqueEnrolmentId();

    const accepted = await send(app, enrolmentDelivery(id));
    expect(accepted.status).toBe(202);
    expect((await finished(app, events, accepted.body.id as string)).state).toBe('failed');
    const [failed] = await app.get(FalkorDeliveryQueue).failed();
    expect(failed.id).toBe(accepted.body.id);
    expect(failed.attempts).toBe(2);
    expect(failed.failedListeners).toHaveLength(1);
    expect(failed.failedListeners[0].listener).toBe('Mailer.send');
    expect(failed.failedListeners[0].error).toMatch(/150 ms/);
    expect(tracker.count('Mailer.send', id)).toBe(2);
    expect(tracker.count('Crm.sync', id)).toBe(1);
  });

  it('gives a listener in the worker the typed, validated payload and the delivery as received', async () => {
    const tracker = new Tracker();
    const name = harness.name();
    const events = await harness.queueEvents(name);
    const app = await harness.app(
      tracker,
      { name },
      {
        secret: [
          { id: 'previous', secret: 'previous-secret-0123456789' },
          { id: 'current', secret: TEST_SECRET },
        ],
        platformName: ['Falkor', 'ByteKast'],
      },
    );
    const id = uniqueEnrolmentId();
    const payload = falkorSamplePayload('enrolments', {
      data: {
        enrolments: [falkorSampleEnrolment({ email: id, firstname: 'Zoë', lastname: '李' })],
      },
    });
    // Bytes JSON.stringify would never give back: a BOM, pretty printing, a final newline.
    const body = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(`${JSON.stringify(payload, null, 3)}\n`),
    ]);
    const response = await postRaw(app, PATH, body, {
      'Content-Type': 'application/json',
      'ByteKast-Webhook-Signature': signFalkorPayload(body, TEST_SECRET),
      'X-Request-Id': 'req-42',
      Authorization: 'Bearer not-for-redis',
      Cookie: 'session=not-for-redis',
      'Proxy-Authorization': 'Basic bm90LWZvci1yZWRpcw==',
    });
    expect(response.status).toBe(202);
    expect(response.body.id).toBe(jobIdOf(body));
    expect((await finished(app, events, response.body.id as string)).state).toBe('completed');

    const call = tracker.calls.find((c) => c.listener === 'Mailer.send' && c.key === id);
    const event = call!.event as FalkorWebhookEvent<'enrolments'>;
    expect(event.type).toBe('enrolments');
    expect(event.payload).toBeInstanceOf(FalkorEnrolmentsPayloadDto);
    expect(event.payload.data.enrolments[0]).toBeInstanceOf(FalkorEnrolmentDto);
    expect(event.payload.data.enrolments[0].status).toBeInstanceOf(FalkorEnrolmentStatusDto);
    expect(event.payload.data.enrolments[0].firstname).toBe('Zoë');
    expect(event.payload.data.enrolments[0].lastname).toBe('李');
    expect(event.payload.data.enrolments[0].status.progress).toBe(90);
    expect(event.payload.data.pathway.ID).toBe('FA-HCPG-06RF');
    expect(Buffer.isBuffer(event.rawBody)).toBe(true);
    expect(event.rawBody.equals(body)).toBe(true);
    expect(event.platform).toBe('ByteKast');
    expect(event.signatureHeader).toBe('ByteKast-Webhook-Signature');
    expect(event.secretIndex).toBe(1);
    expect(event.secretId).toBe('current');
    expect(event.headers['x-request-id']).toBe('req-42');
    expect(event.headers['bytekast-webhook-signature']).toBe(signFalkorPayload(body, TEST_SECRET));
    expect(event.params).toEqual({});
    // The request's credentials are not stored in the job, so the worker does not see them.
    expect(event.headers.authorization).toBeUndefined();
    expect(event.headers.cookie).toBeUndefined();
    expect(event.headers['proxy-authorization']).toBeUndefined();
    const stored = await app.get(FalkorDeliveryQueue).queue.getJob(response.body.id as string);
    expect(JSON.stringify(stored?.data)).not.toContain('not-for-redis');
    expect(JSON.stringify(stored?.data)).not.toContain('bm90LWZvci1yZWRpcw==');
    expect(stored?.data.headers['x-request-id']).toBe('req-42');
    expect(event.receivedAt).toBeInstanceOf(Date);
    expect(Math.abs(Date.now() - event.receivedAt.getTime())).toBeLessThan(DEADLINE_MS);
  });
});

describe.each(adapters)('queue mode on %s while Redis stops and starts again', (adapter) => {
  let server: RedisServer;
  let harness: Harness;
  let down = false;

  beforeAll(async () => {
    server = await RedisServer.start({ persistent: true });
  });
  afterAll(() => server.dispose());
  beforeEach(() => {
    harness = new Harness(adapter, () => server.url);
  });
  afterEach(async () => {
    if (down) {
      await server.restart();
      down = false;
    }
    await harness.dispose();
  });

  it("answers 503 while Redis is too slow, and the sender's retry is the same job, processed once", async () => {
    const tracker = new Tracker();
    const name = harness.name();
    const events = await harness.queueEvents(name);
    const app = await harness.app(tracker, { name, enqueueTimeoutMs: 200, retryAfterSeconds: 3 });
    const admin = new Redis(connectionOf(server.url));
    try {
      const id = uniqueEnrolmentId();
      const delivery = enrolmentDelivery(id);
      // Every write waits until the pause ends: storing the delivery takes longer than allowed.
      await admin.call('CLIENT', 'PAUSE', '2000', 'WRITE');
      const started = Date.now();
      const refused = await send(app, delivery);
      expect(Date.now() - started).toBeLessThan(1500);
      await admin.call('CLIENT', 'UNPAUSE');
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('3');
      expect(refused.body).toMatchObject({ code: 'queue_unavailable' });

      // The store that timed out may still land: the retry is then the same job.
      const retried = await send(app, delivery);
      expect(retried.status).toBe(202);
      expect((await finished(app, events, retried.body.id as string)).state).toBe('completed');
      expect(await app.get(FalkorDeliveryQueue).queue.getJobCounts('completed', 'wait')).toEqual({
        completed: 1,
        wait: 0,
      });
      expect(tracker.count('Mailer.send', id)).toBe(1);
      expect(tracker.count('Crm.sync', id)).toBe(1);
    } finally {
      await admin.call('CLIENT', 'UNPAUSE').catch(() => undefined);
      admin.disconnect();
    }
  });

  it('answers 503 with Retry-After while Redis is down, 202 once it is back, and loses nothing acknowledged', async () => {
    const tracker = new Tracker();
    const name = harness.name();
    const logger = new RecordingLogger();
    const app = await harness.app(
      tracker,
      { name, enqueueTimeoutMs: 300, retryAfterSeconds: 7, concurrency: 2 },
      {},
      logger,
    );
    const hold = harness.gate();
    tracker.behaviour = (listener) => (listener === 'Mailer.send' ? hold.opened : undefined);

    // Acknowledged before the outage, and still held (active) or waiting when Redis stops.
    const before = Array.from({ length: 4 }, () => uniqueEnrolmentId());
    for (const id of before) {
      expect((await send(app, enrolmentDelivery(id))).status).toBe(202);
    }
    await tracker.until(
      () => tracker.calls.filter((call) => call.outcome === 'running').length === 2,
      'two held listeners',
    );

    await server.stop();
    down = true;
    const during = Array.from({ length: 3 }, () => uniqueEnrolmentId());
    for (const id of during) {
      const started = Date.now();
      const refused = await send(app, enrolmentDelivery(id));
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('7');
      expect(refused.body).toMatchObject({
        error: 'Service Unavailable',
        code: 'queue_unavailable',
      });
      expect(Date.now() - started).toBeLessThan(2000);
    }

    await server.restart();
    down = false;
    // The sender retries what was refused after its Retry-After (here: at once, each try taking
    // at most enqueueTimeoutMs) until the queue has reconnected.
    const deadline = Date.now() + DEADLINE_MS;
    let retried = await send(app, enrolmentDelivery(during[0]));
    while (retried.status === 503 && Date.now() < deadline) {
      retried = await send(app, enrolmentDelivery(during[0]));
    }
    expect(retried.status).toBe(202);
    // Then the rest, and one delivery that arrives for the first time.
    const after = uniqueEnrolmentId();
    for (const id of [...during.slice(1), after]) {
      expect((await send(app, enrolmentDelivery(id))).status).toBe(202);
    }
    hold.open();

    const acknowledged = [...before, ...during, after];
    await tracker.until(
      () => acknowledged.every((id) => tracker.count('Mailer.send', id, 'succeeded') >= 1),
      'every acknowledged delivery to be processed',
    );
    for (const id of acknowledged) {
      expect(tracker.count('Crm.sync', id, 'succeeded')).toBe(1);
      expect(tracker.count('Mailer.send', id, 'succeeded')).toBe(1);
    }
    // The outage is logged once (not once per refused delivery), and so is the recovery.
    const unavailable = logger.at('error').filter((line) => line.startsWith('The queue is'));
    expect(unavailable).toHaveLength(1);
    expect(unavailable[0]).toMatch(/^The queue is unavailable \(.+\): deliveries are answered 503/);
    expect(
      logger.at('log').filter((line) => line.startsWith('The queue is available again')),
    ).toHaveLength(1);
  });
});

/**
 * An app holding a delivery in its worker when Redis goes away, closed then: run in a process of
 * its own, as BullMQ's worker may never end its own close after such an outage (it awaits the
 * 'end' of a connection it stopped reconnecting) and would keep a test process alive. It prints
 * how its close went, as JSON, and exits.
 */
const OUTAGE_SHUTDOWN_PROGRAM = `
await import('reflect-metadata');
const { Injectable, Module } = await import('@nestjs/common');
const { NestFactory } = await import('@nestjs/core');
const { EventEmitterModule } = await import('@nestjs/event-emitter');
const { Redis } = await import('ioredis');
const falkor = await import(process.argv[2]);
const { createFalkorDelivery } = await import(process.argv[3]);
const redisUrl = new URL(process.env.FALKOR_REDIS_URL);
const connection = { host: redisUrl.hostname, port: Number(redisUrl.port || 6379) };
let entered;
const inListener = new Promise((resolve) => (entered = resolve));
let release;
const released = new Promise((resolve) => (release = resolve));
const outcome = { listenerDone: false, siblingDone: false };
class Mailer {
  async send() {
    entered();
    await released;
    outcome.listenerDone = true;
  }
  sync() {
    outcome.siblingDone = true;
  }
}
Injectable()(Mailer);
for (const method of ['send', 'sync']) {
  falkor.OnFalkorEvent('enrolments')(Mailer.prototype, method, Object.getOwnPropertyDescriptor(Mailer.prototype, method));
}
class AppModule {}
Module({
  imports: [
    EventEmitterModule.forRoot(),
    falkor.FalkorWebhookModule.forRoot({
      secret: 'test-secret-0123456789',
      queue: { connection, name: process.env.FALKOR_QUEUE_NAME },
    }),
  ],
  providers: [Mailer],
})(AppModule);
const app = await NestFactory.create(AppModule, { logger: false, rawBody: true });
await app.listen(0, '127.0.0.1');
const delivery = createFalkorDelivery('enrolments', { secret: 'test-secret-0123456789' });
const response = await fetch((await app.getUrl()).replace('[::1]', '127.0.0.1') + '/webhooks/falkor', {
  method: 'POST',
  headers: delivery.headers,
  body: delivery.body,
});
outcome.status = response.status;
await inListener;
// Redis goes away while the worker holds the delivery.
const admin = new Redis({ ...connection, retryStrategy: () => null });
admin.on('error', () => undefined);
await admin.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
admin.disconnect();
let closed = false;
const closing = app.close().then(() => (closed = true));
await new Promise((resolve) => setTimeout(resolve, 200));
outcome.closedWhileHeld = closed;
const releasedAt = Date.now();
setTimeout(() => {
  outcome.closedMs = 'still closing after 15 s';
  console.log(JSON.stringify(outcome));
  process.exit(0);
}, 15_000).unref();
release();
await closing;
outcome.closedMs = Date.now() - releasedAt;
console.log(JSON.stringify(outcome));
process.exit(0);
`;

// The worker's shutdown does not depend on the HTTP adapter: Express is enough.
describe('queue mode shutting down while Redis is down', () => {
  let server: RedisServer;
  let build: BuiltPackage;

  beforeAll(async () => {
    [server, build] = await Promise.all([RedisServer.start(), buildPackage()]);
    await writeFile(join(build.dir, 'outage-shutdown.program.mjs'), OUTAGE_SHUTDOWN_PROGRAM);
  });
  afterAll(async () => {
    await server?.dispose();
    await build?.remove();
  });

  it('finishes the listener it holds, then closes without waiting for Redis forever', async () => {
    const result = await runNode(
      join(build.dir, 'outage-shutdown.program.mjs'),
      [
        pathToFileURL(join(build.dir, 'index.js')).href,
        pathToFileURL(join(build.dir, 'testing', 'index.js')).href,
      ],
      { env: { FALKOR_REDIS_URL: server.url, FALKOR_QUEUE_NAME: uniqueQueueName('express') } },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const outcome = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(outcome).toMatchObject({
      status: 202,
      // The close waited for the delivery it held, Redis or not...
      closedWhileHeld: false,
      listenerDone: true,
      siblingDone: true,
    });
    // ...then gave BullMQ its grace period (5 s) to record it, and closed without it.
    expect(outcome.closedMs).toBeGreaterThanOrEqual(4_500);
    expect(outcome.closedMs).toBeLessThan(8_000);
  });
});

// What the worker logs of an outage does not depend on the HTTP adapter: Express is enough.
describe('a worker-only app while Redis stops and starts again', () => {
  let server: RedisServer;
  let harness: Harness;
  let down = false;

  beforeAll(async () => {
    server = await RedisServer.start({ persistent: true });
  });
  afterAll(() => server.dispose());
  beforeEach(() => {
    harness = new Harness('express', () => server.url);
  });
  afterEach(async () => {
    if (down) {
      await server.restart();
      down = false;
    }
    await harness.dispose();
  });

  it('logs the outage once, as a worker, and that it is back once it fetches a delivery again', async () => {
    const tracker = new Tracker();
    const name = harness.name();
    const logger = new RecordingLogger();
    const logged = new Tracker();
    const error = logger.error.bind(logger);
    logger.error = (message: unknown) => {
      error(message);
      void logged.run('log', 'error', undefined as never);
    };
    // Reconnects every 100 ms, so that the outage is seen at once and its end soon.
    const connection = { ...connectionOf(server.url), retryStrategy: () => 100 };
    // Nest's logger is the process's: both apps log to the same one.
    const receiver = await harness.app(new Tracker(), { name, role: 'receiver' }, {}, logger);
    await harness.app(tracker, { name, role: 'worker', connection }, {}, logger);

    await server.stop();
    down = true;
    await logged.until(
      () => logger.at('error').some((line) => line.startsWith('The queue worker is unavailable')),
      'the worker to log the outage',
    );
    await server.restart();
    down = false;
    const id = uniqueEnrolmentId();
    // The receiver's own connection reconnects within a second (BullMQ's default): the sender
    // retries until it is stored.
    const deadline = Date.now() + DEADLINE_MS;
    let accepted = await send(receiver, enrolmentDelivery(id));
    while (accepted.status === 503 && Date.now() < deadline) {
      accepted = await send(receiver, enrolmentDelivery(id));
    }
    expect(accepted.status).toBe(202);
    await tracker.until(() => tracker.count('Mailer.send', id, 'succeeded') === 1, 'the delivery');

    const outage = logger.at('error').filter((line) => line.startsWith('The queue worker'));
    expect(outage).toHaveLength(1);
    // A worker answers no delivery: its line says what the outage means for it.
    expect(outage[0]).toMatch(
      /^The queue worker is unavailable \(.+\): the stored deliveries wait in Redis until it is back \(\d+ error\(s\) so far\)\.$/,
    );
    expect(
      logger.at('log').filter((line) => line.startsWith('The queue worker is available again')),
    ).toHaveLength(1);
  });
});

describe('FalkorDeliveryQueue without the queue option', () => {
  it('is disabled, and its methods reject naming the option to set', async () => {
    const app = await createCustomApp('express', {
      imports: [EventEmitterModule.forRoot(), webhookModule()],
    });
    try {
      const deliveries = app.get(FalkorDeliveryQueue);
      expect(deliveries.enabled).toBe(false);
      const message = 'FalkorDeliveryQueue needs the "queue" option of FalkorWebhookModule';
      // Promises that reject, not methods that throw: `.catch()` sees the error.
      await expect(deliveries.failed()).rejects.toThrow(message);
      await expect(deliveries.replay('id')).rejects.toThrow(message);
      await expect(deliveries.replayAll()).rejects.toThrow(message);
      expect(() => deliveries.queue).toThrow(message);
      // Deliveries are processed inline, as without the queue mode.
      const delivery = enrolmentDelivery(uniqueEnrolmentId());
      const response = await send(app, delivery);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ received: true, type: 'enrolments', listeners: 0 });
    } finally {
      await app.close();
    }
  });
});
