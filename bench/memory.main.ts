import 'reflect-metadata';
import { parseBenchOptions } from './bench.options.js';
import { pinLoadGenerator } from './load/cpu-pinning.js';
import { runLoad } from './load/load.generator.js';
import { benchLoad } from './payloads/bench.payloads.js';
import { describeLoad, describeMachine } from './report/machine.js';
import { BenchServer } from './server/server.process.js';

const WARMUP_DELIVERIES = 20_000;
const STEPS = 4;

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  pinLoadGenerator();
  console.log(
    `# Memory: heap of the module server under deliveries\n\nMachine: ${describeMachine()}; ${describeLoad()}`,
  );
  const load = benchLoad('mix');
  let missed = false;
  for (const adapter of options.adapters) {
    const server = await BenchServer.start('module', adapter, { nodeFlags: ['--expose-gc'] });
    try {
      await runLoad(server.url, load, { amount: WARMUP_DELIVERIES }, options.connections);
      const baseline = await server.heapUsed();
      console.log(`\n## ${adapter}, ${load.description}\n`);
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
      missed ||= !met;
      console.log(
        `\n${met ? 'met   ' : 'MISSED'} ${adapter}: heap after ${sent} deliveries is ` +
          `${(growth * 100).toFixed(1)}% from warm-up (target within 10%), non-2xx ${failures}`,
      );
    } finally {
      await server.stop();
    }
  }
  process.exitCode = missed ? 1 : 0;
}

await main();
