import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { DeliveryOutcome } from '../../src/cli/delivery.client.js';
import { runDeliveries } from '../../src/cli/delivery.runner.js';
import { progressReporter } from '../../src/cli/progress.reporter.js';

describe('runDeliveries', () => {
  it('sends exactly count deliveries, never more than concurrency at once, reporting each', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 12 }),
        fc.scheduler(),
        async (count, concurrency, scheduler) => {
          let inFlight = 0;
          let maxInFlight = 0;
          let sent = 0;
          const done: number[] = [];
          const send = async (): Promise<DeliveryOutcome> => {
            sent++;
            inFlight++;
            maxInFlight = Math.max(maxInFlight, inFlight);
            await scheduler.schedule(Promise.resolve());
            inFlight--;
            return { kind: 'answer', status: 200, statusText: 'OK', body: '', latencyMs: 1 };
          };
          const run = runDeliveries(count, concurrency, send, (n) => done.push(n));
          await scheduler.waitFor(run);
          expect(await run).toHaveLength(count);
          expect(sent).toBe(count);
          expect(maxInFlight).toBe(Math.min(count, concurrency));
          expect(done).toEqual(Array.from({ length: count }, (_, i) => i + 1));
        },
      ),
    );
  });
});

describe('progressReporter', () => {
  it('redraws one line in place on a terminal', () => {
    const written: string[] = [];
    const report = progressReporter(3, { stderr: (t) => written.push(t), stderrIsTTY: true });
    [1, 2, 3].forEach(report);
    expect(written.join('')).toBe('\r1/3 sent\r2/3 sent\r3/3 sent\n');
  });

  it('writes at most one line per tenth of the run elsewhere, the last one included', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), (total) => {
        const written: string[] = [];
        const report = progressReporter(total, {
          stderr: (t) => written.push(t),
          stderrIsTTY: false,
        });
        for (let done = 1; done <= total; done++) {
          report(done);
        }
        expect(written.length).toBeLessThanOrEqual(10);
        expect(written.at(-1)).toBe(`${total}/${total} sent\n`);
      }),
    );
  });
});
