import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { DeliveryOutcome } from '../../src/cli/delivery.client.js';
import {
  formatDeliverySummary,
  percentile,
  summariseDeliveries,
} from '../../src/cli/latency.summary.js';

const latencies = fc.array(fc.double({ min: 0, max: 1e5, noNaN: true }), { minLength: 1 });

function answer(status: number, latencyMs: number): DeliveryOutcome {
  return { kind: 'answer', status, statusText: '', body: '', latencyMs };
}

function failure(cause: string): DeliveryOutcome {
  return { kind: 'error', cause, message: cause, latencyMs: 1 };
}

describe('percentile', () => {
  it('is the nearest rank: a value of the list that p% of the values are at most', () => {
    fc.assert(
      fc.property(latencies, fc.integer({ min: 1, max: 100 }), (values, p) => {
        const sorted = [...values].sort((a, b) => a - b);
        const value = percentile(sorted, p);
        const rank = Math.ceil((p / 100) * sorted.length);
        expect(sorted).toContain(value);
        expect(sorted.filter((v) => v <= value).length).toBeGreaterThanOrEqual(rank);
        expect(sorted.filter((v) => v < value).length).toBeLessThan(rank);
      }),
    );
  });

  it('orders min <= p50 <= p99 <= max', () => {
    fc.assert(
      fc.property(latencies, (values) => {
        const { latency } = summariseDeliveries(
          values.map((v) => answer(200, v)),
          1,
        );
        expect(latency).toBeDefined();
        const { min, p50, p99, max } = latency!;
        expect(min).toBeLessThanOrEqual(p50);
        expect(p50).toBeLessThanOrEqual(p99);
        expect(p99).toBeLessThanOrEqual(max);
        expect(min).toBe(Math.min(...values));
        expect(max).toBe(Math.max(...values));
      }),
    );
  });

  it('gives the textbook figures for 1..100', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(sorted, 50), percentile(sorted, 99), percentile(sorted, 100)]).toEqual([
      50, 99, 100,
    ]);
    expect(percentile([7], 50)).toBe(7);
  });
});

describe('summariseDeliveries', () => {
  it('counts statuses and causes of failure in order, and times only the answers', () => {
    const summary = summariseDeliveries(
      [
        answer(500, 9),
        answer(200, 3),
        failure('timeout'),
        answer(200, 1),
        failure('ECONNRESET'),
        failure('timeout'),
      ],
      2000,
    );
    expect(summary).toEqual({
      total: 6,
      statuses: [
        [200, 2],
        [500, 1],
      ],
      errors: [
        ['ECONNRESET', 1],
        ['timeout', 2],
      ],
      latency: { min: 1, p50: 3, p99: 9, max: 9 },
      durationMs: 2000,
    });
  });

  it('has no latency when nothing was answered', () => {
    expect(summariseDeliveries([failure('ECONNREFUSED')], 5).latency).toBeUndefined();
  });
});

describe('formatDeliverySummary', () => {
  it('prints the rate, the counts and the percentiles', () => {
    const text = formatDeliverySummary(
      summariseDeliveries(
        [answer(200, 2), answer(200, 4), answer(401, 6), failure('timeout')],
        500,
      ),
      4,
    );
    expect(text).toBe(
      '4 deliveries in 0.50 s (8.0/s), concurrency 4\n' +
        '  status 200: 2\n' +
        '  status 401: 1\n' +
        '  no answer (timeout): 1\n' +
        'latency p50 4.0 ms, p99 6.0 ms (min 2.0 ms, max 6.0 ms)\n',
    );
  });

  it('prints no latency line when nothing was answered', () => {
    expect(formatDeliverySummary(summariseDeliveries([failure('ECONNREFUSED')], 0), 1)).toBe(
      '1 deliveries in 0.00 s (0.0/s), concurrency 1\n  no answer (ECONNREFUSED): 1\n',
    );
  });
});
