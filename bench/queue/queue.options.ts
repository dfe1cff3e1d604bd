import { parseArgs } from 'node:util';
import { ADAPTERS, type AdapterName } from '../bench.config.js';

/** How a run of `npm run bench:queue` is shaped. */
export interface QueueBenchOptions {
  /** The adapters to measure. */
  readonly adapters: readonly AdapterName[];
  /** Throughput: measured rounds, each running every setup once, in turn. */
  readonly rounds: number;
  /** Throughput: seconds per setup and round. */
  readonly seconds: number;
  /** Throughput: warm-up seconds per server. */
  readonly warmupSeconds: number;
  /** Throughput: concurrent connections. */
  readonly connections: number;
  /** How long the listener waits per delivery, in ms. */
  readonly listenerMs: number;
  /** Throughput: the wait of a second inline row, in ms; 0 leaves it out. */
  readonly slowListenerMs: number;
  /** End to end: deliveries per second of the paced run. */
  readonly rate: number;
  /** End to end: seconds of the paced run (its warm-up is a tenth of it, at least 1 s). */
  readonly rateSeconds: number;
  /** End to end: deliveries of the one-at-a-time run. */
  readonly idle: number;
  /** The parts to run. */
  readonly parts: readonly QueueBenchPart[];
}

/** The two parts of the command. */
export const QUEUE_BENCH_PARTS = ['throughput', 'latency'] as const;

/** A part of the command: the receiver's throughput, or the end-to-end latency. */
export type QueueBenchPart = (typeof QUEUE_BENCH_PARTS)[number];

/** The usage line of the command. */
export const QUEUE_BENCH_USAGE = `Usage: npm run bench:queue -- [options]

  --adapters=a,b     express,fastify (default both)
  --rounds=N         throughput rounds (default 3)
  --seconds=S        throughput seconds per setup and round (default 3)
  --warmup=S         throughput warm-up seconds per server (default 2)
  --connections=N    throughput connections (default 10)
  --listener-ms=MS   how long the listener waits per delivery (default 2)
  --slow-listener-ms=MS  the wait of a second inline throughput row (default 20; 0: none)
  --rate=N           end-to-end deliveries per second (default 200)
  --rate-seconds=S   end-to-end seconds at that rate (default 10)
  --idle=N           end-to-end deliveries sent one at a time (default 100)
  --only=part        throughput or latency (default both parts)
  --quick            1 round of 2 s, 1 s warm-up, 3 s at the rate, 30 one at a time`;

function positive(value: string | undefined, fallback: number, name: string): number {
  const number = Number(value ?? fallback);
  if (!Number.isFinite(number) || number <= 0) {
    throw new Error(`--${name} needs a positive number, got "${value}".\n${QUEUE_BENCH_USAGE}`);
  }
  return number;
}

function nonNegative(value: string | undefined, fallback: number, name: string): number {
  return value === '0' ? 0 : positive(value, fallback, name);
}

/**
 * Reads the options of `npm run bench:queue` from the command line.
 *
 * @returns `undefined` when `--help` was asked for
 * @throws Error naming the faulty option, with the usage
 */
export function parseQueueBenchOptions(argv: readonly string[]): QueueBenchOptions | undefined {
  const text = { type: 'string' } as const;
  const { values } = parseArgs({
    args: [...argv],
    options: {
      adapters: text,
      rounds: text,
      seconds: text,
      warmup: text,
      connections: text,
      'listener-ms': text,
      'slow-listener-ms': text,
      rate: text,
      'rate-seconds': text,
      idle: text,
      only: text,
      quick: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    return undefined;
  }
  const quick = values.quick === true;
  const adapters = (values.adapters ?? ADAPTERS.join(',')).split(',').filter(Boolean);
  if (adapters.length === 0 || adapters.some((a) => !ADAPTERS.includes(a as AdapterName))) {
    throw new Error(`--adapters: express, fastify or both.\n${QUEUE_BENCH_USAGE}`);
  }
  const only = values.only as QueueBenchPart | undefined;
  if (only !== undefined && !QUEUE_BENCH_PARTS.includes(only)) {
    throw new Error(`--only: throughput or latency.\n${QUEUE_BENCH_USAGE}`);
  }
  return {
    parts: only === undefined ? QUEUE_BENCH_PARTS : [only],
    adapters: adapters as AdapterName[],
    rounds: Math.round(positive(values.rounds, quick ? 1 : 3, 'rounds')),
    seconds: positive(values.seconds, quick ? 2 : 3, 'seconds'),
    warmupSeconds: positive(values.warmup, quick ? 1 : 2, 'warmup'),
    connections: Math.round(positive(values.connections, 10, 'connections')),
    listenerMs: positive(values['listener-ms'], 2, 'listener-ms'),
    slowListenerMs: nonNegative(values['slow-listener-ms'], 20, 'slow-listener-ms'),
    rate: positive(values.rate, 200, 'rate'),
    rateSeconds: positive(values['rate-seconds'], quick ? 3 : 10, 'rate-seconds'),
    idle: Math.round(positive(values.idle, quick ? 30 : 100, 'idle')),
  };
}
