import { ADAPTERS, type AdapterName, VARIANTS, type VariantName } from './bench.config.js';
import { LOAD_NAMES, type LoadName } from './payloads/bench.payloads.js';

/** How a benchmark run is shaped. */
export interface BenchOptions {
  /** Measured rounds; each round runs every variant once, in turn. */
  readonly rounds: number;
  /** Length of one variant's run in a round, in seconds. */
  readonly seconds: number;
  /** Warm-up of each server before the rounds, in seconds. */
  readonly warmupSeconds: number;
  /** Concurrent connections of the load generator. */
  readonly connections: number;
  /** The adapters to measure. */
  readonly adapters: readonly AdapterName[];
  /** The loads to measure. */
  readonly loads: readonly LoadName[];
  /** Deliveries sent by the memory mode. */
  readonly deliveries: number;
  /** The variant the profile mode profiles. */
  readonly variant: VariantName;
}

const USAGE = `Options (after "npm run bench --"):
  --quick               short rounds for trying things out (also BENCH_QUICK=1)
  --rounds=N            measured rounds (default 3)
  --seconds=S           seconds per variant and round (default 10, quick 3)
  --warmup=S            warm-up seconds per server (default 5, quick 2)
  --connections=N       concurrent connections (default 10)
  --adapters=a,b        express,fastify (default both)
  --loads=a,b           small,snapshot,mix (default all; memory mode: mix)
  --deliveries=N        deliveries of the memory mode (default 200000)
  --variant=v           bare, module or naive: the server the profile mode profiles (default module)`;

function listOf<T extends string>(value: string, allowed: readonly T[], name: string): T[] {
  const items = value.split(',').filter(Boolean);
  for (const item of items) {
    if (!allowed.includes(item as T)) {
      throw new Error(`--${name}: unknown value "${item}" (use ${allowed.join(', ')}).\n${USAGE}`);
    }
  }
  return items as T[];
}

function positive(value: string, name: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw new Error(`--${name} needs a positive number, got "${value}".\n${USAGE}`);
  }
  return number;
}

/**
 * Reads the benchmark options from the command line (`--name=value`) and the environment.
 *
 * @throws Error naming the faulty option, with the usage
 */
export function parseBenchOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): BenchOptions {
  const given = new Map<string, string>();
  for (const argument of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argument);
    if (!match) {
      throw new Error(`Unknown argument "${argument}".\n${USAGE}`);
    }
    given.set(match[1], match[2] ?? 'true');
  }
  const quick = given.has('quick') || env.BENCH_QUICK === '1';
  given.delete('quick');
  const options: BenchOptions = {
    rounds: 3,
    seconds: quick ? 3 : 10,
    warmupSeconds: quick ? 2 : 5,
    connections: 10,
    adapters: ADAPTERS,
    loads: LOAD_NAMES,
    deliveries: 200_000,
    variant: 'module',
  };
  const parsers: Record<string, (value: string) => Partial<BenchOptions>> = {
    rounds: (v) => ({ rounds: Math.round(positive(v, 'rounds')) }),
    seconds: (v) => ({ seconds: positive(v, 'seconds') }),
    warmup: (v) => ({ warmupSeconds: positive(v, 'warmup') }),
    connections: (v) => ({ connections: Math.round(positive(v, 'connections')) }),
    adapters: (v) => ({ adapters: listOf(v, ADAPTERS, 'adapters') }),
    loads: (v) => ({ loads: listOf(v, LOAD_NAMES, 'loads') }),
    deliveries: (v) => ({ deliveries: Math.round(positive(v, 'deliveries')) }),
    variant: (v) => ({ variant: listOf(v, VARIANTS, 'variant')[0] ?? 'module' }),
  };
  let result = options;
  for (const [name, value] of given) {
    const parse = parsers[name];
    if (!parse) {
      throw new Error(`Unknown option "--${name}".\n${USAGE}`);
    }
    result = { ...result, ...parse(value) };
  }
  return result;
}
