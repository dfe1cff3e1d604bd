import autocannon from 'autocannon';
import { BENCH_PATH } from '../bench.config.js';
import type { BenchLoad } from '../payloads/bench.payloads.js';
import { percentile } from '../report/statistics.js';

/** How long, or how many requests, to send. */
export type LoadLength = { readonly seconds: number } | { readonly amount: number };

/** What one load run measured. */
export interface LoadResult {
  /** Responses received. */
  readonly responses: number;
  /** Responses per second over the run. */
  readonly rps: number;
  /** Median latency in milliseconds. */
  readonly p50: number;
  /** 99th percentile latency in milliseconds. */
  readonly p99: number;
  /** Responses that were not 2xx, plus request errors and timeouts: must be 0. */
  readonly failures: number;
}

/**
 * Sends a load to a server with autocannon, each connection cycling through the load's requests,
 * and measures throughput and latency (latency with sub-millisecond resolution, taken from every
 * response rather than from autocannon's whole-millisecond histogram).
 */
export function runLoad(
  url: string,
  load: BenchLoad,
  length: LoadLength,
  connections: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const options: autocannon.Options = {
    url,
    connections,
    pipelining: 1,
    ...('seconds' in length ? { duration: length.seconds } : { amount: length.amount }),
    requests: load.requests.map((request) => ({
      method: 'POST' as const,
      path: BENCH_PATH,
      body: request.body,
      headers: { ...request.headers },
    })),
  };
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error: unknown, result: autocannon.Result) => {
      if (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      latencies.sort((a, b) => a - b);
      resolve({
        responses: latencies.length,
        rps: latencies.length / result.duration,
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        failures: result.non2xx + result.errors + result.timeouts,
      });
    });
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
    });
  });
}
