import 'reflect-metadata';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdapterName, VariantName } from './bench.config.js';
import { type BenchOptions, parseBenchOptions } from './bench.options.js';
import { pinLoadGenerator } from './load/cpu-pinning.js';
import { runLoad } from './load/load.generator.js';
import { measureLoad } from './load/measured-load.js';
import { type BenchLoad, benchLoad } from './payloads/bench.payloads.js';
import {
  comparisonTable,
  type CpuProfile,
  type ProfiledRun,
  type ProfileSummary,
  profileTable,
  summariseCpuProfile,
} from './profile/cpu-profile.summary.js';
import { describeLoad, describeMachine } from './report/machine.js';
import { BenchServer } from './server/server.process.js';

/** Outside dist-bench/, so that rebuilding the benchmark keeps the last profiles. */
const PROFILE_DIR = join(tmpdir(), 'nestjs-falkor-webhook-profiles', '/');

/** Now on the monotonic clock V8's profiles use, in microseconds. */
const microseconds = () => Number(process.hrtime.bigint() / 1000n);

interface Profiled {
  readonly summary: ProfileSummary;
  readonly responses: number;
}

/**
 * Runs a server under `--cpu-prof`, warms it up, loads it, stops it (which writes the profile)
 * and sums the samples taken during the measured load only.
 */
async function profile(
  variant: VariantName,
  adapter: AdapterName,
  load: BenchLoad,
  options: BenchOptions,
): Promise<Profiled> {
  const directory = `${PROFILE_DIR}${variant}-${adapter}-${load.name}/`;
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  const server = await BenchServer.start(variant, adapter, {
    nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${directory}`],
  });
  const measured = await (async () => {
    await runLoad(server.url, load, { seconds: options.warmupSeconds }, options.connections);
    const from = microseconds();
    const result = await measureLoad(
      server,
      load,
      { seconds: options.seconds },
      options.connections,
    );
    return { result, window: { from, to: microseconds() } };
  })().finally(() => server.stop());
  const file = readdirSync(directory).find((name) => name.endsWith('.cpuprofile'));
  if (!file) {
    throw new Error(`No .cpuprofile was written to ${directory}.`);
  }
  const { result, window } = measured;
  const summary = summariseCpuProfile(
    JSON.parse(readFileSync(`${directory}${file}`, 'utf8')) as CpuProfile,
    window,
  );
  console.log(
    `\n## ${variant}\n\nProfile: ${directory}${file}\n` +
      `${result.rps.toFixed(0)} req/s under the profiler, non-2xx ${result.failures}; ` +
      `${result.cpuPerResponse.toFixed(1)} µs of server CPU per response (process.cpuUsage), ` +
      `${((summary.busyMs * 1000) / result.responses).toFixed(1)} µs sampled busy per response.\n`,
  );
  console.log(
    `${profileTable('self time by area', summary.selfByArea, summary.totalMs, 15)}\n\n` +
      `${profileTable('self time by function', summary.selfByFunction, summary.totalMs, 25)}`,
  );
  return { summary, responses: result.responses };
}

function run(name: string, profiled: Profiled, by: 'selfByArea' | 'selfByFunction'): ProfiledRun {
  return { name, totals: profiled.summary[by], responses: profiled.responses };
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  const adapter = options.adapters[0];
  const load = benchLoad(options.loads[0]);
  pinLoadGenerator();
  console.log(
    `# CPU profiles: bare and ${options.variant} on ${adapter}, ${load.description}\n\n` +
      `Machine: ${describeMachine()}; ${describeLoad()}\nSamples are summed over the ${options.seconds} s ` +
      'measured load only (no start-up, no warm-up).',
  );
  const bare = await profile('bare', adapter, load, options);
  if (options.variant === 'bare') {
    return;
  }
  const variant = await profile(options.variant, adapter, load, options);
  console.log(
    `\n## Where ${options.variant} spends more than bare, per response\n\n` +
      `${comparisonTable('area', run('bare', bare, 'selfByArea'), run(options.variant, variant, 'selfByArea'), 15)}\n\n` +
      comparisonTable(
        'function (self time)',
        run('bare', bare, 'selfByFunction'),
        run(options.variant, variant, 'selfByFunction'),
        40,
      ),
  );
}

await main();
