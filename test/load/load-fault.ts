import { parseArgs } from 'node:util';
import { RedisServer } from '../support/redis.server.js';
import {
  brokenGuarantees,
  DEFAULT_LOAD_FAULT_OPTIONS,
  DEFAULT_RECORD_SNAPSHOTS,
  formatLoadFaultReport,
  type LoadFaultOptions,
  runLoadFault,
} from './load-fault.run.js';
import {
  brokenQueueGuarantees,
  DEFAULT_QUEUE_LOAD_FAULT_OPTIONS,
  formatQueueLoadFaultReport,
  runQueueLoadFault,
} from './load-fault.queue.js';

const USAGE = `Usage: npm run load-fault -- [--deliveries 10000] [--concurrency 100] [--store redis|memory] [--outage] [--record-snapshots ${DEFAULT_RECORD_SNAPSHOTS}]
       npm run load-fault -- --queue [--deliveries 10000] [--concurrency 100]

Sends signed \`enrolments\` deliveries (10% forged, 5% invalid, 10% second copies; of the valid ones,
2% snapshots of 1,000 enrolments, the others 3) to webhook instances on loopback, with listeners
failing 5% of first attempts and a sender that retries 409 and 5xx, then prints a table of counts.
Among them go overlapping snapshots of one records pathway (enrolments, events and rewards; 10%
exact redeliveries), with listeners of every record event on every instance, whose fires are
counted per change; --record-snapshots 0 sends none and mounts no record-event listener.
--store redis (default): an Express and a Fastify instance share one Redis (REDIS_URL, or a
throwaway redis-server). --outage: a dedicated Redis is stopped mid-run and started again.
--queue: queue mode on BullMQ (issue 13): an Express and a Fastify receiver (role 'receiver',
de-duplication in Redis) answer 202 once a delivery is stored, and two workers (role 'worker')
run its two \`enrolments\` listeners, one of which fails the first call of 5% of the deliveries
(job backoff 50 ms); all share one dedicated persistent Redis (appendfsync always), stopped
mid-run and started again on the same port. 10% forged, 10% second copies, no invalid ones, no
record snapshots; the sender honours Retry-After (scaled down). The run waits for the workers to
drain the queue, then checks each listener processed each valid delivery exactly once.`;

const { values } = parseArgs({
  options: {
    deliveries: { type: 'string' },
    concurrency: { type: 'string' },
    store: { type: 'string' },
    outage: { type: 'boolean' },
    queue: { type: 'boolean' },
    'record-snapshots': { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const store = (values.store ?? 'redis') as LoadFaultOptions['store'];
if (store !== 'redis' && store !== 'memory') {
  console.error(USAGE);
  process.exit(2);
}

const deliveries = Number(values.deliveries ?? DEFAULT_LOAD_FAULT_OPTIONS.deliveries);
const concurrency = Number(values.concurrency ?? DEFAULT_LOAD_FAULT_OPTIONS.concurrency);

/** Prints whether the run kept every guarantee, and sets the exit code. */
function verdict(broken: readonly string[]): void {
  console.log(broken.length === 0 ? '\nEvery guarantee held.' : `\nBROKEN: ${broken.join('; ')}`);
  process.exitCode = broken.length === 0 ? 0 : 1;
}

/** The queue run, on a Redis of its own whatever REDIS_URL says: the run stops and restarts it. */
async function queueRun(): Promise<void> {
  const server = await RedisServer.start({ persistent: true });
  try {
    const report = await runQueueLoadFault({
      ...DEFAULT_QUEUE_LOAD_FAULT_OPTIONS,
      deliveries,
      concurrency,
      stopAfterAnswers: Math.round(deliveries / 3),
      restartAfterUnavailable: Math.round(deliveries / 20),
      server,
    });
    console.log(formatQueueLoadFaultReport(report));
    verdict(brokenQueueGuarantees(report));
  } finally {
    await server.dispose();
  }
}

/** The runs of inline processing: memory or Redis store, with or without an outage. */
async function inlineRun(): Promise<void> {
  const snapshots = Number(values['record-snapshots'] ?? DEFAULT_RECORD_SNAPSHOTS);
  if (!Number.isSafeInteger(snapshots) || snapshots < 0) {
    console.error(USAGE);
    process.exit(2);
  }
  const ownRedis =
    store === 'redis' && (values.outage || !process.env.REDIS_URL)
      ? await RedisServer.start({ persistent: values.outage })
      : undefined;
  try {
    const report = await runLoadFault({
      ...DEFAULT_LOAD_FAULT_OPTIONS,
      deliveries,
      concurrency,
      store,
      recordSnapshots: snapshots,
      redisUrl: ownRedis?.url ?? process.env.REDIS_URL,
      outage:
        values.outage && ownRedis
          ? {
              server: ownRedis,
              stopAfterAnswers: Math.round(deliveries / 3),
              restartAfterUnavailable: Math.round(deliveries / 20),
            }
          : undefined,
    });
    console.log(formatLoadFaultReport(report));
    verdict(brokenGuarantees(report));
  } finally {
    await ownRedis?.dispose();
  }
}

if (
  values.queue &&
  (values.store !== undefined || values.outage || values['record-snapshots'] !== undefined)
) {
  console.error(`--queue takes only --deliveries and --concurrency.\n\n${USAGE}`);
  process.exit(2);
}
await (values.queue ? queueRun() : inlineRun());
