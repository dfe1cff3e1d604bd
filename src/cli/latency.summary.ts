import type { DeliveryOutcome } from './delivery.client.js';

/**
 * Latency figures of the answered deliveries, in milliseconds.
 */
export interface LatencyFigures {
  /** The fastest answer. */
  readonly min: number;
  /** The median (nearest rank). */
  readonly p50: number;
  /** The 99th percentile (nearest rank). */
  readonly p99: number;
  /** The slowest answer. */
  readonly max: number;
}

/**
 * What a run of deliveries came to.
 */
export interface DeliverySummary {
  /** How many deliveries were sent. */
  readonly total: number;
  /** How many answers had each HTTP status, by status in ascending order. */
  readonly statuses: readonly (readonly [status: number, count: number])[];
  /** How many deliveries got no answer, by cause. */
  readonly errors: readonly (readonly [cause: string, count: number])[];
  /** Latency of the answered deliveries; `undefined` when none was answered. */
  readonly latency: LatencyFigures | undefined;
  /** Wall-clock time of the whole run, in milliseconds. */
  readonly durationMs: number;
}

/**
 * The nearest-rank percentile of sorted values: the smallest value that at least `p` percent of
 * the values are less than or equal to.
 *
 * @param sorted - values in ascending order, at least one
 * @param p - the percentile, above 0 and at most 100
 */
export function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function countBy<K>(keys: readonly K[]): [K, number][] {
  const counts = new Map<K, number>();
  for (const key of keys) {
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts];
}

/**
 * Summarises the outcomes of a run: status counts, causes of failure and latency percentiles.
 *
 * @param outcomes - every delivery's outcome
 * @param durationMs - the run's wall-clock time
 */
export function summariseDeliveries(
  outcomes: readonly DeliveryOutcome[],
  durationMs: number,
): DeliverySummary {
  const answers = outcomes.filter((outcome) => outcome.kind === 'answer');
  const failures = outcomes.filter((outcome) => outcome.kind === 'error');
  const latencies = answers.map((answer) => answer.latencyMs).sort((a, b) => a - b);
  return {
    total: outcomes.length,
    statuses: countBy(answers.map((answer) => answer.status)).sort(([a], [b]) => a - b),
    errors: countBy(failures.map((failure) => failure.cause)).sort(([a], [b]) =>
      a.localeCompare(b),
    ),
    latency:
      latencies.length === 0
        ? undefined
        : {
            min: latencies[0],
            p50: percentile(latencies, 50),
            p99: percentile(latencies, 99),
            max: latencies[latencies.length - 1],
          },
    durationMs,
  };
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

/**
 * Renders a summary as the lines `send --count` prints.
 *
 * @param summary - the summary
 * @param concurrency - how many deliveries were in flight at once
 */
export function formatDeliverySummary(summary: DeliverySummary, concurrency: number): string {
  const seconds = summary.durationMs / 1000;
  const rate = seconds > 0 ? summary.total / seconds : 0;
  const lines = [
    `${summary.total} deliveries in ${seconds.toFixed(2)} s (${rate.toFixed(1)}/s), concurrency ${concurrency}`,
    ...summary.statuses.map(([status, count]) => `  status ${status}: ${count}`),
    ...summary.errors.map(([cause, count]) => `  no answer (${cause}): ${count}`),
  ];
  if (summary.latency) {
    const { min, p50, p99, max } = summary.latency;
    lines.push(`latency p50 ${ms(p50)}, p99 ${ms(p99)} (min ${ms(min)}, max ${ms(max)})`);
  }
  return `${lines.join('\n')}\n`;
}
