import { createHash, randomUUID } from 'node:crypto';
import { type INestApplicationContext, Module, type Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import type { JobType } from 'bullmq';
import { Redis } from 'ioredis';
import {
  type FalkorQueueOptions,
  openFalkorQueue,
  RedisFalkorDeduplicationStore,
} from '../../src/index.js';
import { type AdapterName, createQuickStartApp, webhookModule } from '../support/apps.js';
import { DeliverySender, type SentResponse } from '../support/http.sender.js';
import type { RedisServer } from '../support/redis.server.js';
import { DELIVERY_RECORDS } from './load-fault.deliveries.js';
import {
  ListenerLedger,
  QUEUE_LISTENERS,
  type QueueListener,
  queueListeners,
} from './load-fault.ledger.js';
import {
  DEFAULT_LOAD_FAULT_OPTIONS,
  type Kind,
  type Planned,
  planLoadFault,
} from './load-fault.run.js';

/** What the queue run sends, to what, and the Redis restart it makes. */
export interface QueueLoadFaultOptions {
  /** Deliveries sent, second copies included (retries are extra requests). */
  readonly deliveries: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Share of deliveries with a forged signature. */
  readonly forgedShare: number;
  /** Share of deliveries that are a second copy (the same bytes) of a valid one. */
  readonly duplicateShare: number;
  /** Share of valid deliveries one of whose two listeners fails on its first call. */
  readonly failureShare: number;
  /** Share of valid deliveries that are a snapshot of 1,000 enrolments rather than 3. */
  readonly snapshotShare: number;
  /** The receivers (role `receiver`) behind the round-robin load balancer, by adapter. */
  readonly receivers: readonly AdapterName[];
  /** How many worker apps (role `worker`) process the queue. */
  readonly workers: number;
  /** Deliveries one worker processes at once (the `queue.concurrency` option). */
  readonly workerConcurrency: number;
  /** Attempts per job (`queue.attempts`). */
  readonly attempts: number;
  /** The fixed delay between a job's attempts, in ms (`queue.backoff`). */
  readonly backoffMs: number;
  /** The most attempts per delivery before the sender gives up. */
  readonly maxAttempts: number;
  /** The sender's pause before retrying an answer without `Retry-After`, in ms. */
  readonly retryDelayMs: number;
  /** The sender waits this many ms per second of `Retry-After`: the platform's policy, sped up. */
  readonly retryAfterScaleMs: number;
  /** How long the workers may take to drain the queue after the last answer, in ms. */
  readonly drainTimeoutMs: number;
  /** Seed of the plan's pseudo-random choices. */
  readonly seed: number;
  /** The dedicated, persistent Redis of the queue and the de-duplication store. */
  readonly server: RedisServer;
  /** Stop Redis once this many answers have been received. */
  readonly stopAfterAnswers: number;
  /** Start it again once this many 503 answers have been received while it was down… */
  readonly restartAfterUnavailable: number;
  /** … or this many ms after it stopped, whichever comes first. */
  readonly restartAfterMs: number;
}

/** The defaults: the full run. */
export const DEFAULT_QUEUE_LOAD_FAULT_OPTIONS: Omit<QueueLoadFaultOptions, 'server'> = {
  deliveries: 10_000,
  concurrency: 100,
  forgedShare: 0.1,
  duplicateShare: 0.1,
  failureShare: 0.05,
  snapshotShare: 0.02,
  receivers: ['express', 'fastify'],
  workers: 2,
  workerConcurrency: 16,
  attempts: 5,
  backoffMs: 50,
  maxAttempts: 200,
  retryDelayMs: 5,
  retryAfterScaleMs: 10,
  drainTimeoutMs: 180_000,
  seed: 20261128,
  stopAfterAnswers: 3_333,
  restartAfterUnavailable: 500,
  restartAfterMs: 5_000,
};

/** How one listener fared over the valid unique deliveries. */
export interface ListenerCounts {
  readonly processedOnce: number;
  readonly processedMoreThanOnce: number;
  readonly neverProcessed: number;
}

/** Counts of one queue run. */
export interface QueueLoadFaultReport {
  readonly options: QueueLoadFaultOptions;
  readonly planned: {
    readonly deliveries: number;
    readonly validUnique: number;
    readonly snapshots: number;
    readonly duplicates: number;
    readonly forged: number;
    readonly failingFirstCalls: Readonly<Record<QueueListener, number>>;
  };
  /** HTTP requests made, retries included. */
  readonly requests: number;
  /** Answers by kind: `202 queued`, `200 duplicate`, `401`, `409`, `503`, … `network error`. */
  readonly answers: Readonly<Record<string, number>>;
  /** The last answer of each send, by what was sent. */
  readonly finals: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Valid unique deliveries answered 202 with their job id (the SHA-256 of their body). */
  readonly acknowledged: number;
  /** 202 answers whose job id was not the SHA-256 of the body sent. */
  readonly wrongJobIds: number;
  /** Per listener, over the valid unique deliveries. */
  readonly listeners: Readonly<Record<QueueListener, ListenerCounts>>;
  readonly injectedFailures: number;
  /** Deliveries whose failing listener was called exactly twice (failed, then succeeded). */
  readonly failedThenSucceeded: number;
  /** … whose other listener (the sibling) was called exactly once. */
  readonly siblingsCalledOnce: number;
  /** Listener calls, beyond one per listener of a valid delivery and the injected failures. */
  readonly extraCalls: number;
  /** Listener calls for forged deliveries. */
  readonly forgedCalls: number;
  /** Listener calls that succeeded, by app (receivers included: they must make none). */
  readonly processedBy: Readonly<Record<string, number>>;
  /** Listener calls made in receiver apps. */
  readonly receiverCalls: number;
  /** The queue once drained (or at the deadline). */
  readonly jobs: {
    readonly completed: number;
    readonly failed: number;
    readonly pending: number;
    /** Completed jobs that took more than one attempt. */
    readonly retried: number;
    /**
     * Completed jobs BullMQ found stalled (active with an expired lock) and moved back to wait:
     * moved to active while Redis went away, they wait for its stalled-job check (every 30 s).
     */
    readonly stalled: number;
    /** Completed jobs of no valid delivery, and valid deliveries without a completed job. */
    readonly unmatched: number;
  };
  readonly drained: boolean;
  readonly gaveUp: number;
  /** Whether Redis was stopped and started again during the run. */
  readonly restarted: boolean;
  /** 503 answers received while Redis was down. */
  readonly unavailableWhileDown: number;
  /** Connection errors the de-duplication stores' Redis clients reported. */
  readonly redisErrors: number;
  /** From the first send to the last answer. */
  readonly sendingMs: number;
  /** From the last answer to the queue drained. */
  readonly drainingMs: number;
  readonly elapsedMs: number;
}

/** The ioredis options of a Redis URL, as BullMQ takes them. */
function connectionOf(url: string): FalkorQueueOptions['connection'] {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
}

function jobIdOf(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

function answerKind(response: SentResponse): string {
  if (response.status === 202 && response.body.queued === true) {
    return '202 queued';
  }
  if (response.status === 200 && response.body.duplicate === true) {
    return '200 duplicate';
  }
  return String(response.status);
}

const RETRIED = new Set([409, 500, 502, 503, 504]);
const PENDING_STATES: JobType[] = ['wait', 'active', 'delayed', 'prioritized', 'waiting-children'];
const PAGE = 1_000;

/**
 * A worker: a Nest application context (no HTTP server) with the module in role `worker` and the
 * run's listeners.
 */
async function createWorker(
  queue: FalkorQueueOptions,
  providers: Provider[],
): Promise<INestApplicationContext> {
  @Module({
    imports: [EventEmitterModule.forRoot(), webhookModule({ queue })],
    providers,
  })
  class WorkerModule {}
  return NestFactory.createApplicationContext(WorkerModule, { logger: false });
}

/**
 * Starts two receivers and two workers on one persistent Redis, sends the planned deliveries
 * through a round-robin load balancer with the platform's retry behaviour (409 and 5xx are
 * retried, after their `Retry-After` scaled down), stops Redis and starts it again mid-run, waits
 * for the workers to drain the queue, and counts what each listener processed.
 */
export async function runQueueLoadFault(
  options: QueueLoadFaultOptions,
): Promise<QueueLoadFaultReport> {
  const run = randomUUID().slice(0, 8);
  const { sends, valid, failing, planned } = planLoadFault(
    {
      ...DEFAULT_LOAD_FAULT_OPTIONS,
      deliveries: options.deliveries,
      forgedShare: options.forgedShare,
      invalidShare: 0,
      duplicateShare: options.duplicateShare,
      failureShare: options.failureShare,
      snapshotShare: options.snapshotShare,
      seed: options.seed,
      recordSnapshots: 0,
    },
    run,
  );
  // Of the deliveries planned to fail first, every other one fails its mailer, the rest their CRM.
  const failingListener = new Map<string, QueueListener>();
  valid
    .filter((item) => failing.has(item.id))
    .forEach((item, index) => failingListener.set(item.id, QUEUE_LISTENERS[index % 2]));

  const ledger = new ListenerLedger();
  let injectedFailures = 0;
  ledger.behaviour = (listener, id, attempt) => {
    if (attempt === 1 && failingListener.get(id) === listener) {
      injectedFailures++;
      throw new Error(`injected failure of ${listener} for ${id}`);
    }
  };

  const connection = connectionOf(options.server.url);
  const queue = {
    connection,
    name: `load-fault-${run}`,
    attempts: options.attempts,
    backoff: options.backoffMs,
  };
  const clients: Redis[] = [];
  let redisErrors = 0;
  const receivers = await Promise.all(
    options.receivers.map((adapter) => {
      const redis = new Redis(options.server.url);
      redis.on('error', () => redisErrors++);
      clients.push(redis);
      const store = new RedisFalkorDeduplicationStore(redis, { keyPrefix: `load-fault:${run}:` });
      // The same listeners as the workers, as one code base deployed in two roles: a receiver
      // must call none of them.
      return createQuickStartApp(
        adapter,
        [
          webhookModule({
            deduplication: { store, storeTimeoutMs: 250 },
            queue: { ...queue, role: 'receiver', enqueueTimeoutMs: 500 },
          }),
        ],
        queueListeners(ledger, `receiver ${adapter}`),
      );
    }),
  );
  const workers = await Promise.all(
    Array.from({ length: options.workers }, (_, index) =>
      createWorker(
        { ...queue, role: 'worker', concurrency: options.workerConcurrency },
        queueListeners(ledger, `worker ${index + 1}`),
      ),
    ),
  );
  const senders = receivers.map((app) => new DeliverySender(app, options.concurrency));

  const answers: Record<string, number> = {};
  const finals: Record<Kind, Record<string, number>> = {
    valid: {},
    duplicate: {},
    forged: {},
    invalid: {},
    snapshot: {},
  };
  const acknowledged = new Set<string>();
  let wrongJobIds = 0;
  let requests = 0;
  let answered = 0;
  let gaveUp = 0;
  let redisDown = false;
  let restarted = false;
  let unavailableWhileDown = 0;
  let outageStep: Promise<void> = Promise.resolve();
  let restartTimer: NodeJS.Timeout | undefined;
  const restart = () => {
    clearTimeout(restartTimer);
    if (!redisDown || restarted) {
      return;
    }
    restarted = true;
    outageStep = outageStep
      .then(() => options.server.restart())
      .then(() => {
        redisDown = false;
      });
  };
  const count = (kind: string) => {
    answers[kind] = (answers[kind] ?? 0) + 1;
    answered++;
    if (answered === options.stopAfterAnswers) {
      redisDown = true;
      outageStep = options.server.stop();
      restartTimer = setTimeout(restart, options.restartAfterMs);
    } else if (
      redisDown &&
      kind === '503' &&
      ++unavailableWhileDown === options.restartAfterUnavailable
    ) {
      restart();
    }
  };

  const pause = (retryAfter: string | undefined) => {
    const seconds = Number(retryAfter);
    const ms =
      retryAfter !== undefined && Number.isFinite(seconds)
        ? seconds * options.retryAfterScaleMs
        : options.retryDelayMs;
    return new Promise((resolve) => setTimeout(resolve, ms));
  };
  const deliver = async (item: Planned) => {
    const jobId = jobIdOf(item.delivery.body);
    for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
      const sender = senders[requests++ % senders.length];
      let retryAfter: string | undefined;
      try {
        const response = await sender.send(item.delivery);
        const kind = answerKind(response);
        count(kind);
        if (kind === '202 queued') {
          if (response.body.id === jobId) {
            acknowledged.add(item.id);
          } else {
            wrongJobIds++;
          }
        }
        if (!RETRIED.has(response.status)) {
          finals[item.kind][kind] = (finals[item.kind][kind] ?? 0) + 1;
          return;
        }
        retryAfter = response.retryAfter;
      } catch {
        count('network error');
      }
      await pause(retryAfter);
    }
    gaveUp++;
  };

  const started = performance.now();
  let cursor = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (cursor < sends.length) {
        await deliver(sends[cursor++]);
      }
    }),
  );
  const sent = performance.now();
  // A run whose answers all came before the restart still starts Redis again for the drain.
  restart();
  await outageStep;

  // The workers drain the queue: its counts are polled until nothing is pending and every valid
  // delivery's job has finished, or the deadline passes.
  const client = await openFalkorQueue({ connection, name: queue.name });
  const deadline = Date.now() + options.drainTimeoutMs;
  let counts: Record<string, number> = {};
  let drained = false;
  while (!drained && Date.now() < deadline) {
    counts = await client.queue.getJobCounts(...PENDING_STATES, 'completed', 'failed');
    const pending = PENDING_STATES.reduce((total, state) => total + (counts[state] ?? 0), 0);
    drained = pending === 0 && counts.completed + counts.failed >= valid.length;
    if (!drained) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const drainedAt = performance.now();

  // Every completed job, by id: each must be a valid delivery's, and each valid delivery's there.
  const expectedIds = new Set(valid.map((item) => jobIdOf(item.delivery.body)));
  const completedIds = new Set<string>();
  let retried = 0;
  let stalled = 0;
  for (let start = 0; ; start += PAGE) {
    const jobs = await client.queue.getCompleted(start, start + PAGE - 1);
    for (const job of jobs.filter(Boolean)) {
      completedIds.add(String(job.id));
      if (job.attemptsMade > 1) {
        retried++;
      }
      if (job.stalledCounter > 0) {
        stalled++;
      }
    }
    if (jobs.length < PAGE) {
      break;
    }
  }
  const unmatched =
    [...completedIds].filter((id) => !expectedIds.has(id)).length +
    [...expectedIds].filter((id) => !completedIds.has(id)).length;
  await client.close();

  await Promise.all(workers.map((worker) => worker.close()));
  senders.forEach((sender) => sender.close());
  await Promise.all(receivers.map((app) => app.close()));
  await Promise.all(clients.map((redis) => redis.quit()));
  const finished = performance.now();

  const listeners = Object.fromEntries(
    QUEUE_LISTENERS.map((listener): [QueueListener, ListenerCounts] => {
      const processed = valid.map((item) => ledger.processed.get(`${listener} ${item.id}`) ?? 0);
      return [
        listener,
        {
          processedOnce: processed.filter((n) => n === 1).length,
          processedMoreThanOnce: processed.filter((n) => n > 1).length,
          neverProcessed: processed.filter((n) => n === 0).length,
        },
      ];
    }),
  ) as Record<QueueListener, ListenerCounts>;
  const attempts = (listener: QueueListener, id: string) =>
    ledger.attempts.get(`${listener} ${id}`) ?? 0;
  let failedThenSucceeded = 0;
  let siblingsCalledOnce = 0;
  for (const [id, listener] of failingListener) {
    const sibling = QUEUE_LISTENERS.find((other) => other !== listener) as QueueListener;
    failedThenSucceeded += attempts(listener, id) === 2 ? 1 : 0;
    siblingsCalledOnce += attempts(sibling, id) === 1 ? 1 : 0;
  }
  const totalCalls = [...ledger.attempts.values()].reduce((total, n) => total + n, 0);
  const forged = sends.filter((item) => item.kind === 'forged');
  const failingFirstCalls = Object.fromEntries(
    QUEUE_LISTENERS.map((listener) => [
      listener,
      [...failingListener.values()].filter((name) => name === listener).length,
    ]),
  ) as Record<QueueListener, number>;
  const processedBy = Object.fromEntries(ledger.processedBy);
  return {
    options,
    planned: {
      deliveries: planned.deliveries,
      validUnique: planned.validUnique,
      snapshots: planned.snapshots,
      duplicates: planned.duplicates,
      forged: planned.forged,
      failingFirstCalls,
    },
    requests,
    answers,
    finals: Object.fromEntries(
      Object.entries(finals).filter(([, kinds]) => Object.keys(kinds).length > 0),
    ),
    acknowledged: valid.filter((item) => acknowledged.has(item.id)).length,
    wrongJobIds,
    listeners,
    injectedFailures,
    failedThenSucceeded,
    siblingsCalledOnce,
    extraCalls: totalCalls - valid.length * QUEUE_LISTENERS.length - injectedFailures,
    forgedCalls: forged.filter((item) =>
      QUEUE_LISTENERS.some((listener) => attempts(listener, item.id) > 0),
    ).length,
    processedBy,
    receiverCalls: Object.entries(processedBy)
      .filter(([app]) => app.startsWith('receiver'))
      .reduce((total, [, n]) => total + n, 0),
    jobs: {
      completed: counts.completed ?? 0,
      failed: counts.failed ?? 0,
      pending: PENDING_STATES.reduce((total, state) => total + (counts[state] ?? 0), 0),
      retried,
      stalled,
      unmatched,
    },
    drained,
    gaveUp,
    restarted,
    unavailableWhileDown,
    redisErrors,
    sendingMs: sent - started,
    drainingMs: drainedAt - sent,
    elapsedMs: finished - started,
  };
}

const ANSWER_ORDER = ['202 queued', '200 duplicate', '401', '409', '503'];

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The report as a Markdown table of counts. */
export function formatQueueLoadFaultReport(report: QueueLoadFaultReport): string {
  const { options, planned, answers } = report;
  const kinds = [
    ...ANSWER_ORDER.filter((kind) => answers[kind] !== undefined),
    ...Object.keys(answers)
      .filter((kind) => !ANSWER_ORDER.includes(kind))
      .sort(),
  ];
  const other = Object.entries(answers)
    .filter(([kind]) => !['202 queued', '401', '503'].includes(kind))
    .reduce((total, [, n]) => total + n, 0);
  const finals = Object.entries(report.finals)
    .map(
      ([kind, ends]) =>
        `${kind}: ${Object.entries(ends)
          .map(([answer, n]) => `${answer} ×${n}`)
          .join(', ')}`,
    )
    .join('; ');
  const listenerRows = QUEUE_LISTENERS.flatMap((listener): [string, number][] => [
    [
      `\`${listener}\` listener: valid unique deliveries processed exactly once`,
      report.listeners[listener].processedOnce,
    ],
    ['… processed more than once', report.listeners[listener].processedMoreThanOnce],
    ['… never processed', report.listeners[listener].neverProcessed],
  ]);
  const failing = QUEUE_LISTENERS.map(
    (listener) => `${listener} ${planned.failingFirstCalls[listener]}`,
  ).join(', ');
  const processedBy = Object.entries(report.processedBy)
    .sort()
    .map(([app, n]) => `${app} ${n}`)
    .join(', ');
  const rows: [string, string | number][] = [
    ['deliveries sent (second copies included)', planned.deliveries],
    ['… valid and unique', planned.validUnique],
    [
      `… … of which snapshots of ${DELIVERY_RECORDS.snapshot.toLocaleString('en')} enrolments`,
      planned.snapshots,
    ],
    ['… second copies of a valid delivery (the same bytes)', planned.duplicates],
    ['… forged signature', planned.forged],
    ['valid deliveries with a listener failing its first call, by listener', failing],
    ['HTTP requests (retries included)', report.requests],
    ...kinds.map((kind): [string, number] => [`answers ${kind}`, answers[kind]]),
    [
      'answers 202 / 401 / 503 / other',
      `${answers['202 queued'] ?? 0} / ${answers['401'] ?? 0} / ${answers['503'] ?? 0} / ${other}`,
    ],
    ['last answer of each send, by what was sent', finals],
    ['valid unique deliveries acknowledged 202 with their job id', report.acknowledged],
    ['… never acknowledged 202 (lost)', planned.validUnique - report.acknowledged],
    ['202 answers with another job id', report.wrongJobIds],
    ['listener failures injected (first calls)', report.injectedFailures],
    ...listenerRows,
    ['failing listeners called exactly twice (failed, then succeeded)', report.failedThenSucceeded],
    ['… their sibling listener called exactly once', report.siblingsCalledOnce],
    [
      'listener calls beyond one per listener and delivery, and the injected failures',
      report.extraCalls,
    ],
    ['forged deliveries processed', report.forgedCalls],
    ['listener calls made by the receivers', report.receiverCalls],
    ['listener calls that succeeded, by app', processedBy],
    ['jobs completed', report.jobs.completed],
    ['… of which after a retry', report.jobs.retried],
    ['… of which recovered as stalled by BullMQ', report.jobs.stalled],
    ['jobs failed (attempts used up)', report.jobs.failed],
    ['jobs still pending at the end', report.jobs.pending],
    ['completed jobs and valid deliveries not matching one to one', report.jobs.unmatched],
    ['503 answers while Redis was down', report.unavailableWhileDown],
    ['connection errors reported by the de-duplication stores’ Redis clients', report.redisErrors],
    ['deliveries the sender gave up on', report.gaveUp],
    ['sending, first request to last answer', seconds(report.sendingMs)],
    [
      `draining, last answer to empty queue${report.drained ? '' : ' (deadline passed)'}`,
      seconds(report.drainingMs),
    ],
    ['elapsed', seconds(report.elapsedMs)],
  ];
  return [
    `${options.receivers.join(' + ')} receivers and ${options.workers} workers ` +
      `(concurrency ${options.workerConcurrency} each) sharing one persistent Redis, ` +
      `concurrency ${options.concurrency}; job backoff ${options.backoffMs} ms; Redis stopped ` +
      `after ${options.stopAfterAnswers} answers and started again after ` +
      `${options.restartAfterUnavailable} answers 503 (at most ${seconds(options.restartAfterMs)})`,
    '',
    '| count | value |',
    '| --- | ---: |',
    ...rows.map(([label, value]) => `| ${label} | ${value} |`),
  ].join('\n');
}

/** Whether the queue run kept every guarantee: the list of broken ones (empty when all held). */
export function brokenQueueGuarantees(report: QueueLoadFaultReport): string[] {
  const broken: string[] = [];
  const { planned } = report;
  for (const listener of QUEUE_LISTENERS) {
    if (report.listeners[listener].processedOnce !== planned.validUnique) {
      broken.push(`the ${listener} listener did not process every valid delivery exactly once`);
    }
  }
  const failing = QUEUE_LISTENERS.reduce(
    (total, name) => total + planned.failingFirstCalls[name],
    0,
  );
  if (report.injectedFailures !== failing) {
    broken.push('not every planned listener failure happened');
  }
  if (report.failedThenSucceeded !== failing || report.siblingsCalledOnce !== failing) {
    broken.push('a failed listener or its sibling was not called the planned number of times');
  }
  if (report.extraCalls !== 0) {
    broken.push('listeners were called more often than planned');
  }
  if (report.forgedCalls > 0) {
    broken.push('a forged delivery was processed');
  }
  if (report.receiverCalls > 0) {
    broken.push('a receiver called a listener');
  }
  if (report.acknowledged !== planned.validUnique || report.wrongJobIds > 0) {
    broken.push('not every valid delivery was acknowledged 202 with its job id');
  }
  const ends = (kind: string, allowed: readonly string[]) =>
    Object.keys(report.finals[kind] ?? {}).every((answer) => allowed.includes(answer));
  if (
    !ends('valid', ['202 queued', '200 duplicate']) ||
    !ends('duplicate', ['202 queued', '200 duplicate']) ||
    !ends('forged', ['401'])
  ) {
    broken.push('a send ended with an answer other than 202, 200 duplicate or (forged) 401');
  }
  if (report.gaveUp > 0) {
    broken.push('the sender gave up on some deliveries');
  }
  if (!report.drained || report.jobs.pending > 0) {
    broken.push('the workers did not drain the queue before the deadline');
  }
  if (
    report.jobs.failed > 0 ||
    report.jobs.completed !== planned.validUnique ||
    report.jobs.unmatched > 0
  ) {
    broken.push('the completed jobs are not the valid deliveries, one each');
  }
  if (!report.restarted || report.unavailableWhileDown === 0) {
    broken.push('Redis was not restarted while deliveries were answered 503');
  }
  return broken;
}
