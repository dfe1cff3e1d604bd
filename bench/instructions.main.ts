import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdapterName, VariantName } from './bench.config.js';
import { parseBenchOptions } from './bench.options.js';
import { runLoad } from './load/load.generator.js';
import { benchLoad, type LoadName } from './payloads/bench.payloads.js';
import { describeMachine } from './report/machine.js';
import { BenchServer } from './server/server.process.js';

const WARMUP_REQUESTS = 2500;
const MEASURED_REQUESTS = 2000;
const CONNECTIONS = 4;

function requireValgrind(): void {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      'This mode counts instructions with valgrind, which is not installed: run ' +
        "`apt-get install valgrind` (Debian, Ubuntu) or your system's equivalent.",
    );
  }
}

/** Instructions of the dump taken after the measured requests (callgrind's second dump). */
function measuredInstructions(directory: string, pid: number): number {
  const file = join(directory, `callgrind.${pid}.2`);
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const match = /^(?:summary|totals): (\d+)/m.exec(text);
  if (!match) {
    throw new Error(`callgrind wrote no second dump for process ${pid} in ${directory}.`);
  }
  return Number(match[1]);
}

/**
 * Runs one server under callgrind, warms it up, then counts the instructions (user space, every
 * thread: JIT compilers and garbage collection included) of a fixed number of requests.
 */
async function instructionsPerRequest(
  variant: VariantName,
  adapter: AdapterName,
  loadName: LoadName,
): Promise<number> {
  const directory = mkdtempSync(join(tmpdir(), `falkor-instructions-${variant}-`));
  const server = await BenchServer.start(variant, adapter, {
    runner: [
      'valgrind',
      '-q',
      '--tool=callgrind',
      `--callgrind-out-file=${join(directory, 'callgrind.%p')}`,
    ],
  });
  const load = benchLoad(loadName);
  const dump = () =>
    execFileSync('callgrind_control', ['-d', String(server.pid)], { stdio: 'ignore' });
  try {
    await runLoad(server.url, load, { amount: WARMUP_REQUESTS }, CONNECTIONS);
    dump();
    const measured = await runLoad(server.url, load, { amount: MEASURED_REQUESTS }, CONNECTIONS);
    dump();
    if (measured.failures > 0) {
      throw new Error(
        `${variant} on ${adapter} answered ${measured.failures} requests with non-2xx.`,
      );
    }
  } finally {
    await server.stop();
  }
  return measuredInstructions(directory, server.pid) / MEASURED_REQUESTS;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseBenchOptions(argv);
  const given = (name: string) => argv.some((argument) => argument.startsWith(`--${name}`));
  const adapters: readonly AdapterName[] = given('adapters') ? options.adapters : ['express'];
  const loads: readonly LoadName[] = given('loads') ? options.loads : ['small'];
  requireValgrind();
  console.log(
    `# Instructions per request (callgrind): bare and module\n\nMachine: ${describeMachine()}\n` +
      `Each server runs under valgrind's callgrind, gets ${WARMUP_REQUESTS} requests to warm up, ` +
      `then ${MEASURED_REQUESTS} measured ones (${CONNECTIONS} connections). The counts do not ` +
      'depend on what else the machine runs; they move by a few percent between runs, with ' +
      'when the garbage collector and the JIT compilers run.\n',
  );
  console.log(
    '| adapter | load | bare instructions/req | module instructions/req | module adds | bare/module |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: |');
  for (const adapter of adapters) {
    for (const loadName of loads) {
      const bareCount = await instructionsPerRequest('bare', adapter, loadName);
      const moduleCount = await instructionsPerRequest('module', adapter, loadName);
      const k = (n: number) => `${Math.round(n / 1000).toLocaleString('en')}k`;
      console.log(
        `| ${adapter} | ${loadName} | ${k(bareCount)} | ${k(moduleCount)} | ` +
          `${k(moduleCount - bareCount)} | ${(bareCount / moduleCount).toFixed(2)} |`,
      );
    }
  }
}

await main();
