import 'reflect-metadata';
import { VARIANTS, type AdapterName, type VariantName } from './bench.config.js';
import { parseBenchOptions, type BenchOptions } from './bench.options.js';
import { pinLoadGenerator } from './load/cpu-pinning.js';
import { runLoad } from './load/load.generator.js';
import { measureLoad, type MeasuredLoad } from './load/measured-load.js';
import { benchLoad, type LoadName } from './payloads/bench.payloads.js';
import {
  medianTable,
  overallTable,
  ratios,
  ROUND_HEADER,
  roundRow,
  summarise,
  targetLines,
  type ScenarioSummary,
} from './report/bench.report.js';
import { describeLoad, describeMachine } from './report/machine.js';
import { BenchServer } from './server/server.process.js';

async function scenario(
  adapter: AdapterName,
  loadName: LoadName,
  options: BenchOptions,
): Promise<ScenarioSummary> {
  const load = benchLoad(loadName);
  console.log(`\n## ${adapter}, ${load.name}: ${load.description}\n`);
  const servers: BenchServer[] = [];
  try {
    for (const variant of VARIANTS) {
      servers.push(await BenchServer.start(variant, adapter));
    }
    for (const server of servers) {
      const warmup = await runLoad(
        server.url,
        load,
        { seconds: options.warmupSeconds },
        options.connections,
      );
      if (warmup.failures > 0) {
        throw new Error(`${server.variant} answered ${warmup.failures} non-2xx during warm-up.`);
      }
    }
    const results: Record<VariantName, MeasuredLoad[]> = { bare: [], module: [], naive: [] };
    console.log(ROUND_HEADER);
    for (let round = 1; round <= options.rounds; round++) {
      for (const server of servers) {
        const result = await measureLoad(
          server,
          load,
          { seconds: options.seconds },
          options.connections,
        );
        results[server.variant].push(result);
        console.log(roundRow(String(round), server.variant, result));
      }
    }
    const summary = summarise(adapter, load.name, results);
    const r = ratios(summary);
    console.log(`\nMedians over ${options.rounds} rounds:\n\n${medianTable(summary)}\n`);
    console.log(
      `module/bare ${r.moduleToBare.toFixed(2)}, module/naive ${r.moduleToNaive.toFixed(2)}, ` +
        `p99 module/bare ${r.p99ModuleToBare.toFixed(2)}, CPU per request bare/module ` +
        `${r.cpuBareToModule.toFixed(2)}`,
    );
    return summary;
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  pinLoadGenerator();
  console.log(
    `# Throughput: bare vs module vs naive\n\nMachine: ${describeMachine()}; at start ${describeLoad()}`,
  );
  console.log(
    `Servers pinned to CPU 1, load generator to CPU 0; ${options.connections} connections; ` +
      `${options.warmupSeconds} s warm-up per server; ${options.rounds} rounds of ` +
      `${options.seconds} s per variant, variants alternating.`,
  );
  const summaries: ScenarioSummary[] = [];
  for (const adapter of options.adapters) {
    for (const load of options.loads) {
      summaries.push(await scenario(adapter, load, options));
    }
  }
  console.log(`\n## Summary (medians)\n\n${overallTable(summaries)}\n`);
  console.log(`${targetLines(summaries).join('\n')}\n\nAt the end: ${describeLoad()}.`);
  const failures = summaries.flatMap((s) => VARIANTS.map((v) => s.variants[v].failures));
  if (failures.some((count) => count > 0)) {
    process.exitCode = 1;
  }
}

await main();
