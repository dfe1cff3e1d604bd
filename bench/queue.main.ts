import 'reflect-metadata';
import { setTimeout as delay } from 'node:timers/promises';
import { type AdapterName, LOAD_CPU, SERVER_CPU } from './bench.config.js';
import { pinLoadGenerator } from './load/cpu-pinning.js';
import {
  WebhookClient,
  sendAtRate,
  sendOneAtATime,
  type PostAnswer,
} from './queue/paced.sender.js';
import {
  parseQueueBenchOptions,
  QUEUE_BENCH_USAGE,
  type QueueBenchOptions,
} from './queue/queue.options.js';
import { QueueBenchProcess } from './queue/queue.process.js';
import type { QueueBenchKind } from './queue/queue.protocol.js';
import { type JobCounts, QueueBenchRedis } from './queue/queue.redis.js';
import { fixed, medianOf, spreadOf, table } from './queue/queue.report.js';
import { monotonicNs, UniqueDeliveries } from './queue/unique.deliveries.js';
import { runUniqueLoad, type UniqueLoadResult } from './queue/unique.load.js';
import { describeLoad, describeMachine } from './report/machine.js';

/** What went wrong in the run: printed at the end, and the command exits with 1. */
const problems: string[] = [];

function expect(condition: boolean, what: string): void {
  if (!condition) {
    problems.push(what);
    console.log(`PROBLEM: ${what}`);
  }
}

/** How long a drain may take before the row is reported as stuck. */
const DRAIN_DEADLINE_MS = 60_000;

/** One throughput setup: what runs on the server CPU. */
interface ThroughputSetup {
  readonly label: string;
  readonly kind: Extract<QueueBenchKind, 'bare' | 'inline' | 'receiver'>;
  /** How long its listener waits; the receiver runs none. */
  readonly listenerMs: number;
}

function throughputSetups(options: QueueBenchOptions): readonly ThroughputSetup[] {
  const inline = (ms: number): ThroughputSetup => ({
    label: `module inline, listener ${ms} ms`,
    kind: 'inline',
    listenerMs: ms,
  });
  return [
    { label: 'bare route', kind: 'bare', listenerMs: 0 },
    inline(options.listenerMs),
    // A wait longer than the connections can hide: where inline mode runs out of connections.
    ...(options.slowListenerMs > 0 ? [inline(options.slowListenerMs)] : []),
    { label: "module queue, role 'receiver'", kind: 'receiver', listenerMs: options.listenerMs },
  ];
}

/** One throughput run, with the server's and Redis's CPU per delivery and the jobs stored. */
interface ThroughputRun extends UniqueLoadResult {
  readonly cpu: number;
  readonly redisCpu: number;
  readonly jobs: number | undefined;
}

/** The medians of one setup over its rounds. */
interface ThroughputRow {
  readonly adapter: AdapterName;
  readonly setup: ThroughputSetup;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly cpu: number;
  readonly redisCpu: number;
  readonly failures: number;
}

async function throughputRun(
  server: QueueBenchProcess,
  label: string,
  deliveries: UniqueDeliveries,
  seconds: number,
  options: QueueBenchOptions,
  redis: QueueBenchRedis,
  queueName: string,
): Promise<ThroughputRun> {
  await server.probe(true);
  const [before, redisBefore] = await Promise.all([server.cpuMicros(), redis.cpuMicros()]);
  const result = await runUniqueLoad(server.url, deliveries, seconds, options.connections);
  const [after, redisAfter] = await Promise.all([server.cpuMicros(), redis.cpuMicros()]);
  // The deliveries in flight when autocannon stopped finish meanwhile.
  await delay(250);
  const calls = (await server.probe(true)).started;
  const what = `${server.adapter}, ${label}`;
  let jobs: number | undefined;
  if (server.kind === 'receiver') {
    jobs = (await redis.counts(queueName)).waiting;
    // One job per 202: no two requests carried the same bytes, none was lost.
    expect(
      jobs >= result.accepted && jobs <= result.sent,
      `${what}: ${jobs} jobs for ${result.accepted} answers 202 of ${result.sent} sent`,
    );
    expect(result.accepted === result.responses, `${what}: answers other than 202`);
    expect(calls === 0, `${what}: ${calls} listener calls in a receiver`);
  } else if (server.kind === 'inline') {
    expect(
      calls >= result.responses && calls <= result.sent,
      `${what}: ${calls} listener calls for ${result.responses} answers`,
    );
  }
  expect(result.failures === 0, `${what}: ${result.failures} non-2xx, errors or timeouts`);
  await redis.flush();
  const per = (micros: number) => micros / Math.max(1, result.responses);
  return { ...result, cpu: per(after - before), redisCpu: per(redisAfter - redisBefore), jobs };
}

/**
 * Measures the throughput setups on one adapter: their servers side by side on the server CPU,
 * each warmed up, then the rounds, the setups taking turns.
 */
async function throughput(
  adapter: AdapterName,
  options: QueueBenchOptions,
  redis: QueueBenchRedis,
): Promise<ThroughputRow[]> {
  const queueName = `falkor-bench-throughput-${adapter}`;
  const setups = throughputSetups(options);
  console.log(`\n## Receiver throughput, ${adapter}\n`);
  const servers: QueueBenchProcess[] = [];
  const deliveries = new UniqueDeliveries();
  try {
    for (const setup of setups) {
      servers.push(
        await QueueBenchProcess.start(setup.kind, adapter, {
          cpu: SERVER_CPU,
          listenerMs: setup.listenerMs,
          queueName,
          redisUrl: redis.url,
        }),
      );
    }
    for (const [index, server] of servers.entries()) {
      const label = `${setups[index].label} (warm-up)`;
      await throughputRun(
        server,
        label,
        deliveries,
        options.warmupSeconds,
        options,
        redis,
        queueName,
      );
    }
    const runs = servers.map((): ThroughputRun[] => []);
    const rows: string[][] = [];
    for (let round = 1; round <= options.rounds; round++) {
      for (const [index, server] of servers.entries()) {
        const run = await throughputRun(
          server,
          setups[index].label,
          deliveries,
          options.seconds,
          options,
          redis,
          queueName,
        );
        runs[index].push(run);
        rows.push([
          String(round),
          setups[index].label,
          fixed(run.rps, 0),
          fixed(run.p50, 2),
          fixed(run.p99, 2),
          fixed(run.cpu, 0),
          fixed(run.redisCpu, 0),
          String(run.failures),
          run.jobs === undefined ? '—' : String(run.jobs),
        ]);
      }
    }
    console.log(
      table(
        2,
        [
          'round',
          'setup',
          'deliveries/s',
          'p50 ms',
          'p99 ms',
          'CPU µs/delivery',
          'Redis CPU µs/delivery',
          'non-2xx',
          'jobs stored',
        ],
        rows,
      ),
    );
    return setups.map((setup, index) => ({
      adapter,
      setup,
      rps: medianOf(runs[index], (run) => run.rps),
      p50: medianOf(runs[index], (run) => run.p50),
      p99: medianOf(runs[index], (run) => run.p99),
      cpu: medianOf(runs[index], (run) => run.cpu),
      redisCpu: medianOf(runs[index], (run) => run.redisCpu),
      failures: runs[index].reduce((sum, run) => sum + run.failures, 0),
    }));
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

function throughputTable(rows: readonly ThroughputRow[]): string {
  return table(
    2,
    [
      'adapter',
      'setup',
      'deliveries/s',
      'p50 ms',
      'p99 ms',
      'CPU µs/delivery',
      'Redis CPU µs/delivery',
      '× bare',
      '× inline',
      'non-2xx',
    ],
    rows.map((row) => {
      // The first inline row is the one with the listener of the queue modes.
      const of = (kind: ThroughputSetup['kind']) =>
        rows.find((other) => other.adapter === row.adapter && other.setup.kind === kind)?.rps;
      return [
        row.adapter,
        row.setup.label,
        fixed(row.rps, 0),
        fixed(row.p50, 2),
        fixed(row.p99, 2),
        fixed(row.cpu, 0),
        fixed(row.redisCpu, 0),
        fixed(row.rps / (of('bare') ?? Number.NaN), 2),
        fixed(row.rps / (of('inline') ?? Number.NaN), 2),
        String(row.failures),
      ];
    }),
  );
}

/** One end-to-end setup: the processes, the first receiving, the last running the listener. */
interface EndToEndSetup {
  readonly label: string;
  readonly processes: readonly { readonly kind: QueueBenchKind; readonly cpu: string }[];
}

const END_TO_END_SETUPS: readonly EndToEndSetup[] = [
  { label: 'inline (reference)', processes: [{ kind: 'inline', cpu: SERVER_CPU }] },
  { label: "queue, role 'both'", processes: [{ kind: 'both', cpu: SERVER_CPU }] },
  {
    label: "queue, 'receiver' + 'worker' app",
    processes: [
      { kind: 'receiver', cpu: SERVER_CPU },
      { kind: 'worker', cpu: LOAD_CPU },
    ],
  },
];

/** One end-to-end row. */
interface EndToEndRow {
  readonly adapter: AdapterName;
  readonly setup: string;
  readonly load: string;
  readonly deliveries: number;
  readonly answers: readonly PostAnswer[];
  readonly latencies: readonly number[];
  /** CPU time of the setup's processes together per delivery, in µs (drain included). */
  readonly cpu: number;
  /** CPU time of redis-server per delivery, in µs. */
  readonly redisCpu: number;
}

/**
 * Waits until the listener has finished every delivery and, in queue mode, every job is
 * completed; then checks that each delivery ran its listener exactly once and no job failed.
 */
async function drained(
  listener: QueueBenchProcess,
  redis: QueueBenchRedis,
  queueName: string | undefined,
  total: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + DRAIN_DEADLINE_MS;
  let counts: JobCounts | undefined;
  for (;;) {
    const reading = await listener.probe(false);
    counts = queueName === undefined ? undefined : await redis.counts(queueName);
    const finished =
      reading.finished >= total &&
      (counts === undefined ||
        (counts.completed + counts.failed >= total &&
          counts.waiting + counts.active + counts.delayed === 0));
    if (finished || Date.now() > deadline) {
      expect(finished, `${what}: not drained within ${DRAIN_DEADLINE_MS} ms`);
      expect(reading.started === total, `${what}: ${reading.started} listener calls for ${total}`);
      expect((counts?.failed ?? 0) === 0, `${what}: ${counts?.failed} failed jobs`);
      return;
    }
    await delay(20);
  }
}

/**
 * Measures the end-to-end setups on one adapter, one after the other: each warmed up at the rate,
 * then at the rate, then one delivery at a time.
 */
async function endToEnd(
  adapter: AdapterName,
  options: QueueBenchOptions,
  redis: QueueBenchRedis,
): Promise<EndToEndRow[]> {
  console.log(`\n## End-to-end latency, ${adapter}\n`);
  const rows: EndToEndRow[] = [];
  for (const setup of END_TO_END_SETUPS) {
    const queueName = `falkor-bench-e2e-${adapter}`;
    const processes: QueueBenchProcess[] = [];
    const deliveries = new UniqueDeliveries();
    let client: WebhookClient | undefined;
    try {
      for (const { kind, cpu } of setup.processes) {
        processes.push(
          await QueueBenchProcess.start(kind, adapter, {
            cpu,
            listenerMs: options.listenerMs,
            queueName,
            redisUrl: redis.url,
          }),
        );
      }
      const receiver = processes[0];
      const listener = processes[processes.length - 1];
      const queue = setup.processes[0].kind === 'inline' ? undefined : queueName;
      const expected = queue === undefined ? 200 : 202;
      const http = new WebhookClient(receiver.url, 64);
      client = http;
      await clockCheck(listener, `${adapter}, ${setup.label}`);
      const cpuOfAll = async () =>
        (await Promise.all(processes.map((server) => server.cpuMicros()))).reduce(
          (sum, micros) => sum + micros,
          0,
        );
      const measure = async (load: string, send: () => Promise<PostAnswer[]>) => {
        await listener.probe(true);
        const [before, redisBefore] = await Promise.all([cpuOfAll(), redis.cpuMicros()]);
        const answers = await send();
        const what = `${adapter}, ${setup.label}, ${load}`;
        expect(
          answers.every((answer) => answer.status === expected),
          `${what}: answers other than ${expected}`,
        );
        await drained(listener, redis, queue, answers.length, what);
        const [after, redisAfter] = await Promise.all([cpuOfAll(), redis.cpuMicros()]);
        const { latencies } = await listener.probe(true);
        await redis.flush();
        return {
          adapter,
          setup: setup.label,
          load,
          deliveries: answers.length,
          answers,
          latencies,
          cpu: (after - before) / answers.length,
          redisCpu: (redisAfter - redisBefore) / answers.length,
        };
      };
      const rate = options.rate;
      await measure('warm-up', () =>
        sendAtRate(http, deliveries, rate, Math.max(1, options.rateSeconds / 10)),
      );
      rows.push(
        await measure(`${rate}/s for ${options.rateSeconds} s`, () =>
          sendAtRate(http, deliveries, rate, options.rateSeconds),
        ),
      );
      rows.push(
        await measure('idle, one at a time', () =>
          sendOneAtATime(http, deliveries, options.idle, listener, options.listenerMs + 3),
        ),
      );
    } finally {
      client?.close();
      await Promise.all(processes.map((server) => server.stop()));
    }
  }
  console.log(endToEndTable(rows.filter((row) => row.adapter === adapter)));
  return rows;
}

/**
 * Prints how far the listener's process's clock is from the runner's, read over IPC: the
 * latencies compare the sender's `CLOCK_MONOTONIC` with the listener's.
 */
async function clockCheck(listener: QueueBenchProcess, what: string): Promise<void> {
  // The reading with the shortest round trip bounds the offset best: within ± half of it.
  let best = { rtt: Number.POSITIVE_INFINITY, offset: 0 };
  for (let i = 0; i < 10; i++) {
    const before = monotonicNs();
    const theirs = await listener.clockNs();
    const after = monotonicNs();
    const rtt = Number(after - before) / 1000;
    if (rtt < best.rtt) {
      best = { rtt, offset: Number(theirs - (before + after) / 2n) / 1000 };
    }
  }
  console.log(
    `${what}: listener clock − runner clock ${fixed(best.offset, 0)} ± ` +
      `${fixed(best.rtt / 2, 0)} µs (over IPC)`,
  );
}

function endToEndTable(rows: readonly EndToEndRow[]): string {
  return table(
    3,
    [
      'adapter',
      'setup',
      'load',
      'deliveries',
      'HTTP answer p50 ms',
      'HTTP answer p99 ms',
      'POST → listener p50 ms',
      'p90 ms',
      'p99 ms',
      'max ms',
      'CPU µs/delivery',
      'Redis CPU µs/delivery',
    ],
    rows.map((row) => {
      const answer = spreadOf(row.answers.map((a) => a.ms));
      const start = spreadOf(row.latencies);
      return [
        row.adapter,
        row.setup,
        row.load,
        String(row.deliveries),
        fixed(answer.p50, 2),
        fixed(answer.p99, 2),
        fixed(start.p50, 2),
        fixed(start.p90, 2),
        fixed(start.p99, 2),
        fixed(start.max, 2),
        fixed(row.cpu, 0),
        fixed(row.redisCpu, 0),
      ];
    }),
  );
}

async function main(): Promise<void> {
  const options = parseQueueBenchOptions(process.argv.slice(2));
  if (options === undefined) {
    console.log(QUEUE_BENCH_USAGE);
    return;
  }
  const began = performance.now();
  // Pinned before redis-server starts, so that it inherits CPU 0 and leaves CPU 1 to the apps.
  pinLoadGenerator();
  const redis = await QueueBenchRedis.start();
  const bytes = Buffer.byteLength(new UniqueDeliveries().next().body);
  console.log(
    `# Queue mode: receiver throughput and end-to-end latency\n\nMachine: ${describeMachine()}; ` +
      `at start ${describeLoad()}\nEach request an \`enrolments\` delivery of 3 enrolments ` +
      `(about ${bytes.toLocaleString('en')} bytes) with a pathway \`ID\` of its own; the listener ` +
      `awaits a ${options.listenerMs} ms timer. Apps on CPU ${SERVER_CPU} (a separate worker on ` +
      `CPU ${LOAD_CPU}), sender and redis-server on CPU ${LOAD_CPU}. Throughput: ` +
      `${options.connections} connections, ${options.warmupSeconds} s warm-up, ` +
      `${options.rounds} rounds of ${options.seconds} s, setups alternating. Redis flushed ` +
      'after every row.',
  );
  const throughputRows: ThroughputRow[] = [];
  const endToEndRows: EndToEndRow[] = [];
  try {
    for (const adapter of options.parts.includes('throughput') ? options.adapters : []) {
      throughputRows.push(...(await throughput(adapter, options, redis)));
    }
    for (const adapter of options.parts.includes('latency') ? options.adapters : []) {
      endToEndRows.push(...(await endToEnd(adapter, options, redis)));
    }
  } finally {
    await redis.stop();
  }
  console.log(`\n## Summary\n\nReceiver throughput (medians over ${options.rounds} rounds):\n`);
  console.log(throughputTable(throughputRows));
  console.log('\nEnd-to-end latency, from POST to the listener’s first line:\n');
  console.log(endToEndTable(endToEndRows));
  console.log(
    `\nAt the end: ${describeLoad()}; ${fixed((performance.now() - began) / 1000, 0)} s ` +
      'after the start of this script.',
  );
  if (problems.length > 0) {
    console.log(`\n${problems.length} problem(s):\n${problems.map((p) => `- ${p}`).join('\n')}`);
    process.exitCode = 1;
  }
}

await main();
