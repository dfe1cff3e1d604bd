import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  brokenGuarantees,
  DEFAULT_LOAD_FAULT_OPTIONS,
  runLoadFault,
} from '../load/load-fault.run.js';
import { RedisServer } from '../support/redis.server.js';

describe('Redis stopped in the middle of a run, then started again', () => {
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await RedisServer.start({ persistent: true });
  });
  afterAll(() => redis.dispose());

  it('answers 503 while it is down, and loses or doubles no delivery once it is back', async () => {
    const report = await runLoadFault({
      ...DEFAULT_LOAD_FAULT_OPTIONS,
      deliveries: 1_500,
      concurrency: 50,
      store: 'redis',
      redisUrl: redis.url,
      outage: { server: redis, stopAfterAnswers: 400, restartAfterUnavailable: 60 },
    });
    expect(brokenGuarantees(report)).toEqual([]);
    expect(report.unavailableWhileDown).toBeGreaterThanOrEqual(60);
    expect(report.validProcessedOnce).toBe(report.planned.validUnique);
    expect(report.validProcessedMoreThanOnce).toBe(0);
    expect(report.validNeverProcessed).toBe(0);
    expect(report.forgedOrInvalidDispatched).toBe(0);
    expect(report.answers['200 processed']).toBe(report.planned.validUnique);
  });
});
