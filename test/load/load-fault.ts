import { parseArgs } from 'node:util';
import { RedisServer } from '../support/redis.server.js';
import {
  brokenGuarantees,
  DEFAULT_LOAD_FAULT_OPTIONS,
  formatLoadFaultReport,
  type LoadFaultOptions,
  runLoadFault,
} from './load-fault.run.js';

const USAGE = `Usage: npm run load-fault -- [--deliveries 10000] [--concurrency 100] [--store redis|memory] [--outage]

Sends signed \`enrolments\` deliveries (10% forged, 5% invalid, 10% second copies; of the valid ones,
2% snapshots of 1,000 enrolments, the others 3) to webhook instances on loopback, with listeners
failing 5% of first attempts and a sender that retries 409 and 5xx, then prints a table of counts. --store redis (default): an Express and a Fastify instance share one Redis (REDIS_URL,
or a throwaway redis-server). --outage: a dedicated Redis is stopped mid-run and started again.`;

const { values } = parseArgs({
  options: {
    deliveries: { type: 'string' },
    concurrency: { type: 'string' },
    store: { type: 'string' },
    outage: { type: 'boolean' },
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
const ownRedis =
  store === 'redis' && (values.outage || !process.env.REDIS_URL)
    ? await RedisServer.start({ persistent: values.outage })
    : undefined;
try {
  const report = await runLoadFault({
    ...DEFAULT_LOAD_FAULT_OPTIONS,
    deliveries,
    concurrency: Number(values.concurrency ?? DEFAULT_LOAD_FAULT_OPTIONS.concurrency),
    store,
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
  const broken = brokenGuarantees(report);
  console.log(broken.length === 0 ? '\nEvery guarantee held.' : `\nBROKEN: ${broken.join('; ')}`);
  process.exitCode = broken.length === 0 ? 0 : 1;
} finally {
  await ownRedis?.dispose();
}
