import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import {
  type FalkorDeduplicationOptions,
  type FalkorRecordsOptions,
  type FalkorWebhookEvent,
  MemoryFalkorDeduplicationStore,
  RedisFalkorDeduplicationStore,
} from '../../src/index.js';
import { DeliverySender, type Sendable } from '../support/http.sender.js';
import {
  type AdapterName,
  createQuickStartApp,
  TEST_SECRET,
  webhookModule,
} from '../support/apps.js';
import type { RedisServer } from '../support/redis.server.js';
import { expectedChanges, RecordFireLedger, recordFireListener } from '../support/record-fires.js';
import { DELIVERY_RECORDS, enrolmentsDelivery } from './load-fault.deliveries.js';
import { DeliveryLedger, ledgerListener } from './load-fault.ledger.js';
import { recordSnapshots, SNAPSHOT_RECORDS } from './load-fault.snapshots.js';
import { seededRandom } from '../support/seeded.random.js';

/** Stops a Redis in the middle of the run, and starts it again once it has been noticed. */
export interface RedisOutage {
  /** The dedicated Redis the instances use (persistent, so that a restart keeps its records). */
  readonly server: RedisServer;
  /** Stop Redis once this many answers have been received. */
  readonly stopAfterAnswers: number;
  /** Start it again once this many 503 answers have been received while it was down. */
  readonly restartAfterUnavailable: number;
}

/** What to send and how. */
export interface LoadFaultOptions {
  /** Deliveries sent, duplicates included (retries are extra requests). */
  readonly deliveries: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Share of deliveries with a forged signature. */
  readonly forgedShare: number;
  /** Share of correctly signed deliveries whose payload fails validation. */
  readonly invalidShare: number;
  /**
   * Share of deliveries that are a second copy of a valid delivery: half are sent right after the
   * original (so both are in flight at once), half at a random later time.
   */
  readonly duplicateShare: number;
  /** Share of valid deliveries whose listener fails on the first attempt. */
  readonly failureShare: number;
  /**
   * Share of valid unique deliveries that are a snapshot of the whole pathway (1,000 enrolments,
   * about 280 KB) rather than a small delivery of 3; the docs leave either possible.
   */
  readonly snapshotShare: number;
  /** Where the instances record deliveries: one memory store, or one shared Redis. */
  readonly store: 'memory' | 'redis';
  /** The instances behind the load balancer, by adapter (one only with the memory store). */
  readonly instances: readonly AdapterName[];
  /** The Redis URL (store `redis`). */
  readonly redisUrl?: string;
  /** A Redis outage to inject (store `redis`). */
  readonly outage?: RedisOutage;
  /** The most attempts per delivery before the sender gives up. */
  readonly maxAttempts: number;
  /** The sender's pause before a retry, in ms. */
  readonly retryDelayMs: number;
  /** Seed of the plan's pseudo-random choices. */
  readonly seed: number;
  /**
   * Overlapping snapshots of one records pathway (enrolments, events and rewards in turn) sent
   * among the other deliveries, with listeners of every record event on every instance; 0 (the
   * default) mounts no record-event listener, as the runs before record events.
   */
  readonly recordSnapshots: number;
  /** Share of the record snapshots that are exact copies of an earlier one. */
  readonly recordRedeliveryShare: number;
  /** Share of the snapshots' learners whose `enrolment.completed` listener fails its first call. */
  readonly recordFailureShare: number;
}

/** The record snapshots `npm run load-fault` sends unless told otherwise. */
export const DEFAULT_RECORD_SNAPSHOTS = 240;

/** The defaults: the full run. */
export const DEFAULT_LOAD_FAULT_OPTIONS: LoadFaultOptions = {
  deliveries: 10_000,
  concurrency: 100,
  forgedShare: 0.1,
  invalidShare: 0.05,
  duplicateShare: 0.1,
  failureShare: 0.05,
  snapshotShare: 0.02,
  store: 'redis',
  instances: ['express', 'fastify'],
  maxAttempts: 200,
  retryDelayMs: 5,
  seed: 20261128,
  recordSnapshots: 0,
  recordRedeliveryShare: 0.1,
  recordFailureShare: 0.1,
};

/** What a run found of record events (when it sent record snapshots). */
export interface RecordEventsReport {
  /** Record snapshots sent, copies included. */
  readonly snapshots: number;
  /** … of which exact copies of an earlier one. */
  readonly redeliveries: number;
  /** Record snapshots answered 2xx in the end. */
  readonly acknowledged: number;
  /** Distinct changes expected, over the record snapshots and the other valid deliveries. */
  readonly changes: number;
  /** Record events expected to fire once, one per listened event of each change. */
  readonly expected: number;
  /** … of which carried by the record snapshots. */
  readonly expectedInSnapshots: number;
  readonly firedOnce: number;
  readonly firedMoreThanOnce: number;
  readonly lost: number;
  /** Fires of no expected change. */
  readonly unexpected: number;
  /** Record-event listener calls planned to fail (the first call of some completions). */
  readonly plannedFailures: number;
  readonly injectedFailures: number;
  /** 500 answers to record snapshots, each for one or more injected failures. */
  readonly failedAnswers: number;
  /** Record events fired by each instance. */
  readonly firedBy: Readonly<Record<string, number>>;
  /**
   * Snapshots of enrolments (distinct bytes) whose `enrolments` listener ran more than once: a
   * snapshot answered 409 (a change in flight elsewhere) or 500 (a record-event listener failed)
   * is not acknowledged, so de-duplication lets its retry run the delivery again.
   */
  readonly deliveryListenerRanAgain: number;
}

/** Counts of one run. */
export interface LoadFaultReport {
  readonly options: LoadFaultOptions;
  readonly planned: {
    readonly deliveries: number;
    readonly validUnique: number;
    readonly snapshots: number;
    readonly duplicates: number;
    readonly forged: number;
    readonly invalid: number;
    readonly failingFirstAttempts: number;
  };
  /** HTTP requests made, retries included. */
  readonly requests: number;
  /** Answers by kind: `200 processed`, `200 duplicate`, `400`, `401`, `409`, `500`, `503`, `network error`. */
  readonly answers: Readonly<Record<string, number>>;
  /** Listener failures injected. */
  readonly injectedFailures: number;
  readonly validProcessedOnce: number;
  readonly validProcessedMoreThanOnce: number;
  readonly validNeverProcessed: number;
  readonly forgedOrInvalidDispatched: number;
  /** Deliveries whose sender gave up (attempts exhausted). */
  readonly gaveUp: number;
  /** 5xx answers that were not injected listener failures (503s of a Redis outage included). */
  readonly otherServerErrors: number;
  /** 503 answers received while Redis was down. */
  readonly unavailableWhileDown: number;
  /** Connection errors the Redis clients reported. */
  readonly redisErrors: number;
  /** Record events, when the run sent record snapshots. */
  readonly records?: RecordEventsReport;
  readonly elapsedMs: number;
}

/** What a planned send is. */
export type Kind = 'valid' | 'duplicate' | 'forged' | 'invalid' | 'snapshot';

/** One planned send: what it is, the id its listeners count it by, and its bytes. */
export interface Planned {
  readonly kind: Kind;
  readonly id: string;
  readonly delivery: Sendable;
}

function shuffle<T>(items: T[], next: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/**
 * The sends of a run, in order, with the valid deliveries and those whose listener fails first.
 *
 * @param options - the shares and the seed
 * @param run - unique to the run: part of every pathway id
 */
export function planLoadFault(options: LoadFaultOptions, run: string) {
  const next = seededRandom(options.seed);
  const forged = Math.round(options.deliveries * options.forgedShare);
  const invalid = Math.round(options.deliveries * options.invalidShare);
  const duplicates = Math.round(options.deliveries * options.duplicateShare);
  const validUnique = options.deliveries - forged - invalid - duplicates;
  // Each delivery is told apart by its pathway id, unique to the run (a shared Redis keeps the
  // records of earlier runs).
  const ids = Array.from({ length: validUnique }, (_, i) => `FA-${run}-V${i}`);
  const snapshots = new Set(
    shuffle([...ids], next).slice(0, Math.round(validUnique * options.snapshotShare)),
  );
  const valid: Planned[] = ids.map((id) => {
    const records = snapshots.has(id) ? DELIVERY_RECORDS.snapshot : DELIVERY_RECORDS.small;
    return {
      kind: 'valid',
      id,
      delivery: enrolmentsDelivery(id, { secret: TEST_SECRET, records }),
    };
  });
  const failing = new Set(
    shuffle(
      valid.map((item) => item.id),
      next,
    ).slice(0, Math.round(validUnique * options.failureShare)),
  );
  const copy = (): Planned => ({ ...valid[Math.floor(next() * validUnique)], kind: 'duplicate' });
  const alongside = Array.from({ length: Math.ceil(duplicates / 2) }, copy);
  const sends: Planned[] = [
    ...valid,
    ...Array.from({ length: duplicates - alongside.length }, copy),
    ...Array.from({ length: forged }, (_, i): Planned => {
      const id = `FA-${run}-F${i}`;
      return {
        kind: 'forged',
        id,
        delivery: enrolmentsDelivery(id, { secret: 'a-forger-secret' }),
      };
    }),
    ...Array.from({ length: invalid }, (_, i): Planned => {
      const id = `FA-${run}-I${i}`;
      const delivery = enrolmentsDelivery(id, { secret: TEST_SECRET, invalid: true });
      return { kind: 'invalid', id, delivery };
    }),
  ];
  // Record snapshots draw from a generator of their own, so that the other deliveries (their
  // ids, copies and failures) are the same with them as without.
  const records =
    options.recordSnapshots > 0
      ? recordSnapshots(
          `FA-${run}-R`,
          options.recordSnapshots,
          options.recordRedeliveryShare,
          options.recordFailureShare,
          seededRandom(options.seed ^ 0x5eed),
          TEST_SECRET,
        )
      : undefined;
  const snapshot = (item: { name: string; delivery: Sendable }): Planned => ({
    kind: 'snapshot',
    id: item.name,
    delivery: item.delivery,
  });
  const redeliveries = (records?.redeliveries ?? []).map(snapshot);
  // Half the snapshot copies go right after their original, so that both are in flight at once.
  const snapshotsAlongside = redeliveries.filter((_, index) => index % 2 === 0);
  sends.push(
    ...(records?.snapshots ?? []).map(snapshot),
    ...redeliveries.filter((_, index) => index % 2 === 1),
  );
  const shuffled = shuffle(sends, next);
  for (const duplicate of [...alongside, ...snapshotsAlongside]) {
    shuffled.splice(shuffled.findIndex((item) => item.id === duplicate.id) + 1, 0, duplicate);
  }
  return {
    sends: shuffled,
    valid,
    failing,
    records,
    planned: {
      deliveries: options.deliveries,
      validUnique,
      snapshots: snapshots.size,
      duplicates,
      forged,
      invalid,
      failingFirstAttempts: failing.size,
    },
  };
}

function answerKind(status: number, body: Readonly<Record<string, unknown>>): string {
  if (status === 200) {
    return body.duplicate === true ? '200 duplicate' : '200 processed';
  }
  return String(status);
}

const RETRIED = new Set([409, 500, 502, 503, 504]);

/**
 * Starts the instances, sends the planned deliveries through a round-robin load balancer with the
 * platform's retry behaviour (5xx and 409 are retried, other answers are final), and counts what
 * was answered and what the listeners processed.
 */
export async function runLoadFault(options: LoadFaultOptions): Promise<LoadFaultReport> {
  const run = randomUUID().slice(0, 8);
  const { sends, valid, failing, records, planned } = planLoadFault(options, run);
  const recordsPathway = `FA-${run}-R`;
  const ledger = new DeliveryLedger();
  let injectedFailures = 0;
  ledger.behaviour = (id, attempt) => {
    if (attempt === 1 && failing.has(id)) {
      injectedFailures++;
      throw new Error(`injected failure of ${id}`);
    }
  };

  const recordLedger = new RecordFireLedger();
  recordLedger.failFirst = (fire) => records?.failing.has(fire) === true;

  const clients: Redis[] = [];
  let redisErrors = 0;
  const keyPrefix = `load-fault:${run}:`;
  const stores = (): {
    deduplication: FalkorDeduplicationOptions;
    records?: FalkorRecordsOptions;
  } => {
    if (options.store === 'memory') {
      // The run completes about 212,000 changes, over the memory store's default cap of 100,000:
      // with it, the oldest would be forgotten early (by design) and fire again on a later
      // snapshot. The cap is raised so that the run checks firing, not eviction.
      return records
        ? {
            deduplication: {},
            records: { store: new MemoryFalkorDeduplicationStore({ maxEntries: 1_000_000 }) },
          }
        : { deduplication: {} };
    }
    const redis = new Redis(options.redisUrl ?? (process.env.REDIS_URL as string));
    redis.on('error', () => redisErrors++);
    clients.push(redis);
    // A short timeout makes an outage show at once; without one, the module's default (1 s)
    // applies, which rides out the event loop pauses of a busy machine handling snapshots
    // (250 ms gave stray 503s under jest at load average 5 on 2 cores).
    const store = new RedisFalkorDeduplicationStore(redis, { keyPrefix });
    const timeout = options.outage ? { storeTimeoutMs: 250 } : {};
    return {
      deduplication: { store, ...timeout },
      ...(records ? { records: { store, ...timeout } } : {}),
    };
  };
  // The records pathway's snapshots are counted apart, by their pathway name.
  const deliveryId = (event: FalkorWebhookEvent<'enrolments'>) =>
    event.payload.data.pathway.ID === recordsPathway
      ? String(event.payload.data.pathway.name)
      : event.payload.data.pathway.ID;
  const instances = options.store === 'memory' ? options.instances.slice(0, 1) : options.instances;
  const apps: INestApplication[] = await Promise.all(
    instances.map((adapter) =>
      // The README's Quick start set-up, which takes a snapshot on either adapter.
      createQuickStartApp(
        adapter,
        [webhookModule(stores())],
        [
          ledgerListener(ledger, deliveryId),
          ...(records ? [recordFireListener(recordLedger, adapter)] : []),
        ],
      ),
    ),
  );
  const senders = apps.map((app) => new DeliverySender(app, options.concurrency));

  const answers: Record<string, number> = {};
  let requests = 0;
  let answered = 0;
  let gaveUp = 0;
  let redisDown = false;
  let unavailableWhileDown = 0;
  let outageStep: Promise<void> = Promise.resolve();
  const count = (kind: string) => {
    answers[kind] = (answers[kind] ?? 0) + 1;
    answered++;
    const outage = options.outage;
    if (outage === undefined) {
      return;
    }
    if (answered === outage.stopAfterAnswers) {
      redisDown = true;
      outageStep = outage.server.stop();
    } else if (
      redisDown &&
      kind === '503' &&
      ++unavailableWhileDown === outage.restartAfterUnavailable
    ) {
      outageStep = outageStep
        .then(() => outage.server.restart())
        .then(() => {
          redisDown = false;
        });
    }
  };

  let snapshotsAcknowledged = 0;
  let snapshotFailedAnswers = 0;
  const pause = () => new Promise((resolve) => setTimeout(resolve, options.retryDelayMs));
  const deliver = async (item: Planned) => {
    for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
      const sender = senders[requests++ % senders.length];
      try {
        const response = await sender.send(item.delivery);
        count(answerKind(response.status, response.body));
        if (item.kind === 'snapshot' && response.body.code === 'listener_failed') {
          snapshotFailedAnswers++;
        }
        if (!RETRIED.has(response.status)) {
          if (item.kind === 'snapshot' && response.status >= 200 && response.status < 300) {
            snapshotsAcknowledged++;
          }
          return;
        }
      } catch {
        count('network error');
      }
      await pause();
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
  const elapsedMs = performance.now() - started;
  await outageStep;

  senders.forEach((sender) => sender.close());
  await Promise.all(apps.map((app) => app.close()));
  await Promise.all(clients.map((redis) => redis.quit()));

  const processed = valid.map((item) => ledger.processed.get(item.id) ?? 0);
  const serverErrors = Object.entries(answers)
    .filter(([kind]) => kind.startsWith('5'))
    .reduce((total, [, n]) => total + n, 0);
  const recordEvents = (): RecordEventsReport | undefined => {
    if (records === undefined) {
      return undefined;
    }
    // The other valid deliveries carry changes too (their pathways are their own): every one is
    // expected once, whatever copies and retries of its delivery came.
    const expected = new Set(records.expected);
    let changes = records.changes;
    for (const item of valid) {
      for (const change of expectedChanges('enrolments', JSON.parse(item.delivery.body)).values()) {
        changes++;
        change.fires.forEach((fire) => expected.add(fire));
      }
    }
    const { once, twice, lost, unexpected } = recordLedger.compare(expected);
    const enrolmentSnapshots = records.snapshots.filter((item) => item.type === 'enrolments');
    return {
      snapshots: records.snapshots.length + records.redeliveries.length,
      redeliveries: records.redeliveries.length,
      acknowledged: snapshotsAcknowledged,
      changes,
      expected: expected.size,
      expectedInSnapshots: records.expected.size,
      firedOnce: once,
      firedMoreThanOnce: twice,
      lost,
      unexpected,
      plannedFailures: records.failing.size,
      injectedFailures: recordLedger.injectedFailures,
      failedAnswers: snapshotFailedAnswers,
      firedBy: Object.fromEntries(recordLedger.firedBy),
      deliveryListenerRanAgain: enrolmentSnapshots.filter(
        (item) => (ledger.processed.get(item.name) ?? 0) > 1,
      ).length,
    };
  };
  return {
    options,
    planned,
    requests,
    answers,
    injectedFailures,
    validProcessedOnce: processed.filter((n) => n === 1).length,
    validProcessedMoreThanOnce: processed.filter((n) => n > 1).length,
    validNeverProcessed: processed.filter((n) => n === 0).length,
    forgedOrInvalidDispatched: sends.filter(
      (item) => (item.kind === 'forged' || item.kind === 'invalid') && ledger.attempts.has(item.id),
    ).length,
    gaveUp,
    otherServerErrors: serverErrors - injectedFailures - snapshotFailedAnswers,
    unavailableWhileDown,
    redisErrors,
    records: recordEvents(),
    elapsedMs,
  };
}

const ANSWER_ORDER = [
  '200 processed',
  '200 duplicate',
  '400',
  '401',
  '409',
  '500',
  '503',
  'network error',
];

/** The rows of record events, when the run sent record snapshots. */
function recordRows(records: RecordEventsReport | undefined): [string, string | number][] {
  if (records === undefined) {
    return [];
  }
  const { learners, events, attendeesPerEvent, rewards, vouchersPerReward } = SNAPSHOT_RECORDS;
  const firedBy = Object.entries(records.firedBy)
    .map(([instance, n]) => `${instance} ${n}`)
    .join(', ');
  return [
    [
      `record snapshots sent among them (of ${learners} learners, ${events * attendeesPerEvent} ` +
        `attendees, ${rewards * vouchersPerReward} vouchers)`,
      records.snapshots,
    ],
    ['… exact redeliveries of one', records.redeliveries],
    ['… acknowledged (2xx) in the end', records.acknowledged],
    ['record changes expected (snapshots and other valid deliveries)', records.changes],
    ['record events expected, one per listened event of a change', records.expected],
    ['… of which carried by the record snapshots', records.expectedInSnapshots],
    ['record-event listener failures injected (first calls)', records.injectedFailures],
    ['… 500 answers to record snapshots for them', records.failedAnswers],
    ['record events fired exactly once', records.firedOnce],
    ['… fired twice or more', records.firedMoreThanOnce],
    ['… never fired (lost)', records.lost],
    ['… fired for no expected change', records.unexpected],
    ['record events fired, by instance', firedBy],
    [
      'enrolments snapshots whose `enrolments` listener ran again (retry after 409 or 500)',
      records.deliveryListenerRanAgain,
    ],
  ];
}

/** The report as a Markdown table of counts. */
export function formatLoadFaultReport(report: LoadFaultReport): string {
  const { options, planned } = report;
  const rows: [string, string | number][] = [
    ['deliveries sent (duplicates included)', planned.deliveries],
    ['… valid and unique', planned.validUnique],
    [
      `… … of which snapshots of ${DELIVERY_RECORDS.snapshot.toLocaleString('en')} enrolments`,
      planned.snapshots,
    ],
    ['… second copies of a valid delivery', planned.duplicates],
    ['… forged signature', planned.forged],
    ['… signed, invalid payload', planned.invalid],
    ['valid deliveries whose listener fails on the first attempt', planned.failingFirstAttempts],
    ['HTTP requests (retries included)', report.requests],
    ...ANSWER_ORDER.filter((kind) => report.answers[kind] !== undefined).map(
      (kind): [string, number] => [`answers ${kind}`, report.answers[kind]],
    ),
    ['listener failures injected', report.injectedFailures],
    ['valid unique deliveries processed exactly once', report.validProcessedOnce],
    ['… processed more than once', report.validProcessedMoreThanOnce],
    ['… never processed', report.validNeverProcessed],
    ['forged or invalid deliveries dispatched', report.forgedOrInvalidDispatched],
    ['5xx answers other than injected failures', report.otherServerErrors],
    ...(options.outage
      ? ([
          ['503 answers while Redis was down', report.unavailableWhileDown],
          ['connection errors reported by the Redis clients', report.redisErrors],
        ] as [string, number][])
      : []),
    ['deliveries the sender gave up on', report.gaveUp],
    ...recordRows(report.records),
    ['elapsed', `${(report.elapsedMs / 1000).toFixed(1)} s`],
  ];
  const setup =
    options.store === 'redis'
      ? `${options.instances.join(' + ')} instances sharing one Redis`
      : `one ${options.instances[0]} instance with the memory store`;
  const outage = options.outage
    ? `; Redis stopped after ${options.outage.stopAfterAnswers} answers and started again after ` +
      `${options.outage.restartAfterUnavailable} answers 503`
    : '';
  return [
    `${setup}, concurrency ${options.concurrency}${outage}`,
    '',
    '| count | value |',
    '| --- | ---: |',
    ...rows.map(([label, value]) => `| ${label} | ${value} |`),
  ].join('\n');
}

/** Whether the run kept every guarantee: the list of broken ones (empty when all held). */
export function brokenGuarantees(report: LoadFaultReport): string[] {
  const broken: string[] = [];
  if (report.validProcessedOnce !== report.planned.validUnique) {
    broken.push('not every valid unique delivery was processed exactly once');
  }
  if (report.forgedOrInvalidDispatched > 0) {
    broken.push('a forged or invalid delivery was dispatched');
  }
  if (report.injectedFailures !== report.planned.failingFirstAttempts) {
    broken.push('not every planned listener failure happened');
  }
  if (report.options.outage === undefined && report.otherServerErrors > 0) {
    broken.push('5xx answers other than the injected listener failures');
  }
  if (report.gaveUp > 0) {
    broken.push('the sender gave up on some deliveries');
  }
  const records = report.records;
  if (records !== undefined) {
    if (records.firedMoreThanOnce > 0) {
      broken.push('a record event fired more than once for one change');
    }
    if (records.lost > 0) {
      broken.push('a record event never fired for an expected change');
    }
    if (records.unexpected > 0) {
      broken.push('a record event fired for a change no delivery carried');
    }
    if (records.acknowledged !== records.snapshots) {
      broken.push('not every record snapshot was acknowledged');
    }
    if (records.injectedFailures !== records.plannedFailures) {
      broken.push('not every planned record-event listener failure happened');
    }
    if (records.failedAnswers > records.injectedFailures) {
      broken.push('record snapshots answered 500 for more than the injected failures');
    }
  }
  return broken;
}
