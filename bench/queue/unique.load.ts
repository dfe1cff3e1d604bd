import autocannon from 'autocannon';
import { BENCH_PATH } from '../bench.config.js';
import { percentile } from '../report/statistics.js';
import type { UniqueDeliveries } from './unique.deliveries.js';

/** What one load run of unique deliveries measured. */
export interface UniqueLoadResult {
  /** Responses received. */
  readonly responses: number;
  /** Responses answered 202 (queued). */
  readonly accepted: number;
  /** Requests written, answered or not when the run ended. */
  readonly sent: number;
  /** Responses per second over the run. */
  readonly rps: number;
  /** Median latency of the HTTP answer, in ms. */
  readonly p50: number;
  /** 99th percentile latency of the HTTP answer, in ms. */
  readonly p99: number;
  /** Non-2xx answers, request errors and timeouts: must be 0. */
  readonly failures: number;
}

/**
 * Sends a load with autocannon as `npm run bench` does (its connections, no pipelining, latency
 * of every response at sub-millisecond resolution), except that every request is a delivery of
 * its own, built and signed just before it is written (`setupRequest`): identical bytes would be
 * one job in queue mode.
 *
 * @param url - the server's base URL
 * @param deliveries - where the bodies come from
 * @param seconds - how long to send
 * @param connections - concurrent connections
 */
export function runUniqueLoad(
  url: string,
  deliveries: UniqueDeliveries,
  seconds: number,
  connections: number,
): Promise<UniqueLoadResult> {
  const latencies: number[] = [];
  let accepted = 0;
  const options: autocannon.Options = {
    url,
    connections,
    pipelining: 1,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: BENCH_PATH,
        setupRequest: (request) => {
          const delivery = deliveries.next();
          return {
            ...request,
            body: delivery.body,
            headers: { ...request.headers, ...delivery.headers },
          };
        },
      },
    ],
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
        accepted,
        sent: result.requests.sent,
        rps: latencies.length / result.duration,
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        failures: result.non2xx + result.errors + result.timeouts,
      });
    });
    instance.on('response', (_client, status, _bytes, responseTime) => {
      latencies.push(responseTime);
      if (status === 202) {
        accepted++;
      }
    });
  });
}
