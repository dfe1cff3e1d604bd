import type { BenchLoad } from '../payloads/bench.payloads.js';
import type { BenchServer } from '../server/server.process.js';
import { type LoadLength, type LoadResult, runLoad } from './load.generator.js';

/** A load run with the CPU time the server spent on it. */
export interface MeasuredLoad extends LoadResult {
  /**
   * Server CPU time (user and system) per response, in microseconds: unlike requests per second,
   * it hardly moves when other processes compete for the machine.
   */
  readonly cpuPerResponse: number;
}

/** Runs a load against a server and reads the server's CPU time before and after. */
export async function measureLoad(
  server: BenchServer,
  load: BenchLoad,
  length: LoadLength,
  connections: number,
): Promise<MeasuredLoad> {
  const before = await server.cpuMicros();
  const result = await runLoad(server.url, load, length, connections);
  const after = await server.cpuMicros();
  return { ...result, cpuPerResponse: (after - before) / Math.max(1, result.responses) };
}
