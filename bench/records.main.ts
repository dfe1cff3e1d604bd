import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import {
  type FalkorDeduplicationStore,
  MemoryFalkorDeduplicationStore,
  RedisFalkorDeduplicationStore,
} from 'nestjs-falkor-webhook';
import { createFalkorDelivery } from 'nestjs-falkor-webhook/testing';
import { ADAPTERS, type AdapterName, BENCH_SECRET } from './bench.config.js';
import type { BenchRequest } from './payloads/bench.payloads.js';
import { BENCH_PATHWAY, BENCH_RECORDS, benchEnrolments } from './payloads/bench.records.js';
import { CountingStore } from './records/counting.store.js';
import { RecordsBenchApp } from './records/records.apps.js';
import { BenchRedis } from './records/redis.server.js';
import { describeLoad, describeMachine } from './report/machine.js';
import { median, percentile } from './report/statistics.js';

const USAGE = `Usage: npm run bench:records -- [--iterations=30] [--warmup=5] [--adapters=express,fastify]

Times, per delivery of the 1,000-enrolment snapshot, the module's route without a record-event
listener and with an \`enrolment.updated\` listener, with the memory store and with the Redis store
(a throwaway redis-server, or REDIS_URL), for a first snapshot (1,000 changes to fire) and a repeat
of one (1,000 already done), and counts the store calls and Redis commands per delivery.`;

/** How the records of one measured app are kept. */
interface Setup {
  /** Whether an `enrolment.updated` listener is mounted. */
  readonly listener: boolean;
  /** What the table calls its store. */
  readonly storeName: string;
  /** Its store, wrapped to count calls; a Redis one for the Redis setups. */
  readonly kind: 'memory' | 'redis' | 'redis-single';
}

const SETUPS: readonly Setup[] = [
  { listener: false, storeName: 'memory (unused)', kind: 'memory' },
  { listener: true, storeName: 'memory', kind: 'memory' },
  { listener: true, storeName: 'Redis', kind: 'redis' },
  { listener: true, storeName: 'Redis, no `…Many` methods', kind: 'redis-single' },
];

const SNAPSHOTS = ['first', 'repeat'] as const;

/** What one (setup, snapshot) pair measured. */
interface Measure {
  readonly times: number[];
  storeCalls: number;
  redisCommands: number;
}

function count(value: string | undefined, fallback: number): number {
  const number = Number(value ?? fallback);
  if (!Number.isInteger(number) || number <= 0) {
    throw new Error(`Expected a positive whole number, got "${value}".\n${USAGE}`);
  }
  return number;
}

/** A signed snapshot of the bench pathway's 1,000 enrolments, under its own pathway `ID`. */
function snapshot(pathwayId: string): BenchRequest {
  const enrolments = benchEnrolments(BENCH_RECORDS.snapshot);
  const { body, headers } = createFalkorDelivery('enrolments', {
    secret: BENCH_SECRET,
    overrides: { data: { pathway: { ...BENCH_PATHWAY, ID: pathwayId }, enrolments } },
  });
  return { body, headers };
}

/** Redis's count of commands it processed, from every client. */
async function commandsProcessed(redis: Redis): Promise<number> {
  const stats = await redis.info('stats');
  return Number(/total_commands_processed:(\d+)/.exec(stats)?.[1]);
}

/** Makes sure a delivery took the path it is meant to time, not an error or another one. */
function check(
  setup: Setup,
  kind: (typeof SNAPSHOTS)[number],
  answer: Awaited<ReturnType<RecordsBenchApp['send']>>,
) {
  const changes = answer.body.changes as { fired: number; alreadyDone: number } | undefined;
  const expected = !setup.listener
    ? undefined
    : kind === 'first'
      ? { fired: BENCH_RECORDS.snapshot, alreadyDone: 0 }
      : { fired: 0, alreadyDone: BENCH_RECORDS.snapshot };
  if (answer.status !== 200 || JSON.stringify(changes) !== JSON.stringify(expected)) {
    throw new Error(
      `${setup.storeName}, ${kind} snapshot: answered ${answer.status} ${JSON.stringify(answer.body)}`,
    );
  }
}

async function measureAdapter(
  adapter: AdapterName,
  redisUrl: string,
  warmup: number,
  iterations: number,
): Promise<Map<Setup, Record<(typeof SNAPSHOTS)[number], Measure>>> {
  const run = randomUUID().slice(0, 8);
  const info = new Redis(redisUrl);
  const clients: Redis[] = [info];
  const apps: RecordsBenchApp[] = [];
  const stores: CountingStore[] = [];
  try {
    for (const setup of SETUPS) {
      let inner: FalkorDeduplicationStore = new MemoryFalkorDeduplicationStore();
      if (setup.kind !== 'memory') {
        const redis = new Redis(redisUrl);
        clients.push(redis);
        // Each app its own prefix: a change fired by one setup is new to the next.
        inner = new RedisFalkorDeduplicationStore(redis, {
          keyPrefix: `bench:${run}:${setup.kind}:`,
        });
      }
      const store = new CountingStore(inner, setup.kind !== 'redis-single');
      stores.push(store);
      apps.push(await RecordsBenchApp.start(adapter, store, setup.listener));
    }
    const repeated = snapshot(`FA-BNCH-${run}-AGAIN`);
    for (const app of apps) {
      // The repeat snapshot's changes are done before the rounds start.
      await app.send(repeated);
    }
    const results = new Map(
      SETUPS.map((setup) => [
        setup,
        {
          first: { times: [], storeCalls: 0, redisCommands: 0 } as Measure,
          repeat: { times: [], storeCalls: 0, redisCommands: 0 } as Measure,
        },
      ]),
    );
    // The setups and snapshots take turns, delivery by delivery, so that a slow moment of a
    // shared machine falls on all of them.
    for (let round = 0; round < warmup + iterations; round++) {
      const first = snapshot(`FA-BNCH-${run}-${round}`);
      for (const [index, setup] of SETUPS.entries()) {
        for (const kind of SNAPSHOTS) {
          const calls = stores[index].calls;
          const commands = setup.kind === 'memory' ? 0 : await commandsProcessed(info);
          const answer = await apps[index].send(kind === 'first' ? first : repeated);
          check(setup, kind, answer);
          if (round < warmup) {
            continue;
          }
          const measure = results.get(setup)![kind];
          measure.times.push(answer.ms);
          measure.storeCalls += stores[index].calls - calls;
          if (setup.kind !== 'memory') {
            // The INFO that read `commands` is counted too: one less.
            measure.redisCommands += (await commandsProcessed(info)) - commands - 1;
          }
        }
      }
    }
    return results;
  } finally {
    await Promise.all(apps.map((app) => app.close()));
    await Promise.all(clients.map((redis) => redis.quit()));
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      iterations: { type: 'string' },
      warmup: { type: 'string' },
      adapters: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const iterations = count(values.iterations, 30);
  const warmup = count(values.warmup, 5);
  const adapters = (values.adapters ?? ADAPTERS.join(',')).split(',') as AdapterName[];
  if (adapters.some((adapter) => !ADAPTERS.includes(adapter))) {
    throw new Error(`--adapters: express, fastify or both.\n${USAGE}`);
  }
  const ownRedis = process.env.REDIS_URL ? undefined : await BenchRedis.start();
  const redisUrl = ownRedis?.url ?? (process.env.REDIS_URL as string);
  const bytes = Buffer.byteLength(snapshot('FA-BNCH-SIZE').body);
  console.log(
    `# Record events: the cost per snapshot delivery\n\nMachine: ${describeMachine()}; at start ` +
      `${describeLoad()}\nOne \`enrolments\` delivery of ${BENCH_RECORDS.snapshot.toLocaleString('en')} ` +
      `enrolments (${bytes.toLocaleString('en')} bytes) at a time, over one keep-alive connection, ` +
      `to apps in this process (redis-server in its own); ${warmup} warm-up and ${iterations} ` +
      'measured deliveries per row, the rows taking turns; times from send to last byte.\n',
  );
  try {
    for (const adapter of adapters) {
      const results = await measureAdapter(adapter, redisUrl, warmup, iterations);
      const baseline = results.get(SETUPS[0])!;
      console.log(
        '| adapter | record listener | store | snapshot | median ms | p90 ms | median − no listener, ms | µs per change | store calls per delivery | Redis commands per delivery (inside scripts included) |\n' +
          '| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      );
      for (const setup of SETUPS) {
        for (const kind of SNAPSHOTS) {
          const measure = results.get(setup)![kind];
          const sorted = [...measure.times].sort((a, b) => a - b);
          const added = median(measure.times) - median(baseline[kind].times);
          const cells = [
            adapter,
            setup.listener ? '`enrolment.updated`' : 'none',
            setup.storeName,
            kind === 'first' ? 'first (1,000 to fire)' : 'repeat (1,000 done)',
            median(measure.times).toFixed(2),
            percentile(sorted, 0.9).toFixed(2),
            setup.listener ? added.toFixed(2) : '—',
            setup.listener ? ((added * 1000) / BENCH_RECORDS.snapshot).toFixed(1) : '—',
            (measure.storeCalls / iterations).toFixed(0),
            setup.kind === 'memory' ? '—' : (measure.redisCommands / iterations).toFixed(0),
          ];
          console.log(`| ${cells.join(' | ')} |`);
        }
      }
      console.log('');
    }
    console.log(`At the end: ${describeLoad()}.`);
  } finally {
    await ownRedis?.stop();
  }
}

await main();
