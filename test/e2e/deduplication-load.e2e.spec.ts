import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  brokenGuarantees,
  DEFAULT_LOAD_FAULT_OPTIONS,
  runLoadFault,
} from '../load/load-fault.run.js';
import { startTestRedis, type TestRedis } from '../support/redis.server.js';

describe('delivery guarantees under load and faults (a shorter run of npm run load-fault)', () => {
  let redis: TestRedis;

  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(() => redis.stop());

  it.each([
    ['an Express and a Fastify instance sharing Redis', 'redis' as const],
    ['one instance with the memory store', 'memory' as const],
  ])('%s: every valid delivery processed exactly once', async (_, store) => {
    const report = await runLoadFault({
      ...DEFAULT_LOAD_FAULT_OPTIONS,
      deliveries: 2_000,
      concurrency: 50,
      store,
      redisUrl: redis.url,
    });
    expect(brokenGuarantees(report)).toEqual([]);
    expect(report.validProcessedOnce).toBe(1_500);
    expect(report.validProcessedMoreThanOnce).toBe(0);
    expect(report.forgedOrInvalidDispatched).toBe(0);
    expect(report.answers['401']).toBe(200);
    expect(report.answers['400']).toBe(100);
    expect(report.answers['500']).toBe(report.planned.failingFirstAttempts);
    expect(report.answers['503']).toBeUndefined();
    expect(report.answers['network error']).toBeUndefined();
    expect(report.answers['200 processed']).toBe(1_500);
    expect(report.answers['200 duplicate']).toBe(200);
  });
});
