import 'reflect-metadata';
import type { AdapterName } from './bench.config.js';
import { type BenchOptions, parseBenchOptions } from './bench.options.js';
import { pinLoadGenerator } from './load/cpu-pinning.js';
import { runLoad } from './load/load.generator.js';
import { type BenchLoad, benchLoad, type LoadName } from './payloads/bench.payloads.js';
import { describeLoad, describeMachine } from './report/machine.js';
import { BenchServer } from './server/server.process.js';

const WARMUP_DELIVERIES = 20_000;
const STEPS = 4;

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

/**
 * Warms a module server up, then sends the deliveries in steps and reads the heap after each:
 * whether the heap stayed within 10% of the warm-up's, with no non-2xx.
 */
async function heapStaysFlat(
  adapter: AdapterName,
  load: BenchLoad,
  options: BenchOptions,
): Promise<boolean> {
  const server = await BenchServer.start('module', adapter, { nodeFlags: ['--expose-gc'] });
  try {
    await runLoad(server.url, load, { amount: WARMUP_DELIVERIES }, options.connections);
    const baseline = await server.heapUsed();
    console.log(`\n## ${adapter}, ${load.name}: ${load.description}\n`);
    console.log(
      `| deliveries after warm-up | heap used after GC | vs warm-up |\n| ---: | ---: | ---: |`,
    );
    console.log(`| 0 | ${mib(baseline)} | 1.000 |`);
    const step = Math.ceil(options.deliveries / STEPS);
    let sent = 0;
    let failures = 0;
    let heap = baseline;
    while (sent < options.deliveries) {
      const amount = Math.min(step, options.deliveries - sent);
      failures += (await runLoad(server.url, load, { amount }, options.connections)).failures;
      sent += amount;
      heap = await server.heapUsed();
      console.log(`| ${sent} | ${mib(heap)} | ${(heap / baseline).toFixed(3)} |`);
    }
    const growth = heap / baseline - 1;
    const met = Math.abs(growth) <= 0.1 && failures === 0;
    console.log(
      `\n${met ? 'met   ' : 'MISSED'} ${adapter} ${load.name}: heap after ${sent} deliveries is ` +
        `${(growth * 100).toFixed(1)}% from warm-up (target within 10%), non-2xx ${failures}`,
    );
    return met;
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseBenchOptions(argv);
  // The heap check is set on the mix of the three webhooks; --loads picks others.
  const loads: readonly LoadName[] = argv.some((argument) => argument.startsWith('--loads'))
    ? options.loads
    : ['mix'];
  pinLoadGenerator();
  console.log(
    `# Memory: heap of the module server under deliveries\n\nMachine: ${describeMachine()}; ${describeLoad()}`,
  );
  let missed = false;
  for (const adapter of options.adapters) {
    for (const name of loads) {
      missed = !(await heapStaysFlat(adapter, benchLoad(name), options)) || missed;
    }
  }
  process.exitCode = missed ? 1 : 0;
}

await main();
