import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import request from 'supertest';
import { RedisFalkorDeduplicationStore } from '../../src/index.js';
import {
  EnrolmentLedger,
  enrolmentDelivery,
  gate,
  ledgerListener,
  uniqueEnrolmentId,
} from '../support/enrolment.ledger.js';
import { adapters, createApp, webhookModule } from '../support/apps.js';
import { startTestRedis, type TestRedis } from '../support/redis.server.js';

const PATH = '/webhooks/falkor';

describe('two instances (Express and Fastify) sharing one Redis', () => {
  const ledger = new EnrolmentLedger();
  const keyPrefix = `test:${randomUUID()}:`;
  const clients: Redis[] = [];
  let instances: INestApplication[];
  let server: TestRedis;

  beforeAll(async () => {
    server = await startTestRedis();
    instances = await Promise.all(
      adapters.map((adapter) => {
        const redis = new Redis(server.url);
        clients.push(redis);
        return createApp(
          adapter,
          [
            webhookModule({
              deduplication: { store: new RedisFalkorDeduplicationStore(redis, { keyPrefix }) },
            }),
          ],
          { providers: [ledgerListener(ledger)] },
        );
      }),
    );
  });
  afterAll(async () => {
    await Promise.all(instances.map((app) => app.close()));
    await Promise.all(clients.map((redis) => redis.quit()));
    await server.stop();
  });

  function send(index: number, delivery: { body: string; headers: Record<string, string> }) {
    return request(instances[index % instances.length].getHttpServer())
      .post(PATH)
      .set(delivery.headers)
      .send(delivery.body);
  }

  it('dispatches the same delivery sent 50 times at once to both exactly once', async () => {
    const id = uniqueEnrolmentId();
    const delivery = enrolmentDelivery(id);
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => send(i, delivery)));
    expect(ledger.processed.get(id)).toBe(1);
    expect(ledger.attempts.get(id)).toBe(1);
    expect(responses.filter((r) => r.status === 200 && r.body.listeners === 1)).toHaveLength(1);
    for (const response of responses) {
      expect(response.status === 200 || response.status === 409).toBe(true);
    }
    for (const index of [0, 1]) {
      expect((await send(index, delivery)).body).toMatchObject({ duplicate: true, listeners: 0 });
    }
  });

  it('answers 409 to all 49 copies while the first is in flight, then 200 to the first alone', async () => {
    const id = uniqueEnrolmentId();
    const delivery = enrolmentDelivery(id);
    const hold = gate();
    ledger.behaviour = (runId) => (runId === id ? hold.opened : undefined);
    let answered = 0;
    const all49 = gate();
    const responses = Array.from({ length: 50 }, (_, i) =>
      send(i, delivery).then((response) => {
        if (++answered === 49) {
          all49.open();
        }
        return response;
      }),
    );
    await all49.opened;
    expect(ledger.attempts.get(id)).toBe(1);
    hold.open();
    const statuses = (await Promise.all(responses)).map((response) => response.status);
    expect(statuses.filter((status) => status === 409)).toHaveLength(49);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(ledger.processed.get(id)).toBe(1);
    ledger.behaviour = () => undefined;
  });

  it('processes on one instance the redelivery of a delivery that failed on the other', async () => {
    const id = uniqueEnrolmentId();
    const delivery = enrolmentDelivery(id);
    ledger.behaviour = (runId, attempt) => {
      if (runId === id && attempt === 1) {
        throw new Error('downstream timeout');
      }
    };
    expect((await send(0, delivery)).status).toBe(500);
    expect((await send(1, delivery)).body.listeners).toBe(1);
    expect((await send(0, delivery)).body.duplicate).toBe(true);
    expect(ledger.processed.get(id)).toBe(1);
    ledger.behaviour = () => undefined;
  });
});
