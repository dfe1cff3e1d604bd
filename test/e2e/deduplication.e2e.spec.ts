import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import {
  FalkorConfigurationError,
  type FalkorDeduplicationOptions,
  falkorDeliveryKey,
  FalkorWebhookModule,
  signFalkorPayload,
} from '../../src/index.js';
import { ControlledStore } from '../support/controlled.store.js';
import {
  EnrolmentLedger,
  enrolmentDelivery,
  gate,
  invalidEnrolmentDelivery,
  ledgerListener,
  uniqueEnrolmentId,
} from '../support/enrolment.ledger.js';
import { adapters, createApp, TEST_SECRET, webhookModule } from '../support/apps.js';

const PATH = '/webhooks/falkor';

interface Receiver {
  readonly app: INestApplication;
  readonly ledger: EnrolmentLedger;
}

async function receiver(
  adapter: (typeof adapters)[number],
  deduplication?: FalkorDeduplicationOptions,
): Promise<Receiver> {
  const ledger = new EnrolmentLedger();
  const app = await createApp(adapter, [webhookModule({ deduplication })], {
    providers: [ledgerListener(ledger)],
  });
  return { app, ledger };
}

function send(target: Receiver, delivery: { body: string; headers: Record<string, string> }) {
  return request(target.app.getHttpServer()).post(PATH).set(delivery.headers).send(delivery.body);
}

describe.each(adapters)('de-duplication on %s', (adapter) => {
  let off: Receiver;
  let memory: Receiver;
  let keyed: Receiver;
  let keyedStore: ControlledStore;
  let failOpen: Receiver;
  let failOpenStore: ControlledStore;

  beforeAll(async () => {
    keyedStore = new ControlledStore();
    failOpenStore = new ControlledStore();
    [off, memory, keyed, failOpen] = await Promise.all([
      receiver(adapter),
      receiver(adapter, {}),
      receiver(adapter, {
        store: keyedStore,
        // A learner's status at a moment is one delivery, however its body was serialised.
        key: (event, rawBody) =>
          event.type === 'enrolments'
            ? event.payload.data.enrolments
                .map(({ email, status }) => `enrolment:${email}@${String(status.timestamp)}`)
                .join(',')
            : falkorDeliveryKey(rawBody),
        inFlightStatus: 503,
        retryAfterSeconds: 30,
      }),
      receiver(adapter, { store: failOpenStore, onStoreError: 'process' }),
    ]);
  });
  afterAll(() => Promise.all([off, memory, keyed, failOpen].map(({ app }) => app.close())));

  it('is off by default: the same delivery twice is dispatched twice', async () => {
    const id = uniqueEnrolmentId();
    const delivery = enrolmentDelivery(id);
    for (let i = 0; i < 2; i++) {
      const response = await send(off, delivery);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ received: true, type: 'enrolments', listeners: 1 });
    }
    expect(off.ledger.processed.get(id)).toBe(2);
  });

  it('acknowledges a duplicate of a processed delivery with 200 and duplicate: true, without dispatching', async () => {
    const id = uniqueEnrolmentId();
    const delivery = enrolmentDelivery(id);
    expect((await send(memory, delivery)).body).toEqual({
      received: true,
      type: 'enrolments',
      listeners: 1,
    });
    const duplicate = await send(memory, delivery);
    expect(duplicate.status).toBe(200);
    expect(duplicate.body).toEqual({
      received: true,
      type: 'enrolments',
      listeners: 0,
      duplicate: true,
    });
    expect(memory.ledger.processed.get(id)).toBe(1);
    expect(memory.ledger.attempts.get(id)).toBe(1);
  });

  it('answers 409 with Retry-After to a duplicate that arrives while the first is in flight', async () => {
    const id = uniqueEnrolmentId();
    const delivery = enrolmentDelivery(id);
    const hold = gate();
    memory.ledger.behaviour = (runId) => (runId === id ? hold.opened : undefined);
    const first = send(memory, delivery).then((response) => response);
    await memory.ledger.whenEntered(id);
    const duplicate = await send(memory, delivery);
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers['retry-after']).toBe('5');
    expect(duplicate.body).toMatchObject({ error: 'Conflict', code: 'delivery_in_progress' });
    expect(duplicate.body.message).toContain('Retry it after 5 s');
    hold.open();
    expect((await first).status).toBe(200);
    expect((await send(memory, delivery)).body.duplicate).toBe(true);
    expect(memory.ledger.processed.get(id)).toBe(1);
    memory.ledger.behaviour = () => undefined;
  });

  it('releases a delivery whose listener failed, so that the redelivery is processed', async () => {
    const id = uniqueEnrolmentId();
    const delivery = enrolmentDelivery(id);
    memory.ledger.behaviour = (runId, attempt) => {
      if (runId === id && attempt === 1) {
        throw new Error('database unavailable');
      }
    };
    expect((await send(memory, delivery)).status).toBe(500);
    const retry = await send(memory, delivery);
    expect(retry.status).toBe(200);
    expect(retry.body.listeners).toBe(1);
    expect(memory.ledger.attempts.get(id)).toBe(2);
    expect(memory.ledger.processed.get(id)).toBe(1);
    memory.ledger.behaviour = () => undefined;
  });

  it('dispatches exactly one of 50 identical deliveries sent at once', async () => {
    const id = uniqueEnrolmentId();
    const delivery = enrolmentDelivery(id);
    const responses = await Promise.all(Array.from({ length: 50 }, () => send(memory, delivery)));
    expect(memory.ledger.processed.get(id)).toBe(1);
    const processed = responses.filter((r) => r.status === 200 && r.body.listeners === 1);
    expect(processed).toHaveLength(1);
    for (const response of responses) {
      expect([200, 409]).toContain(response.status);
    }
  });

  it('lets a forged copy reserve nothing: the genuine delivery that follows is processed', async () => {
    const id = uniqueEnrolmentId();
    const forged = enrolmentDelivery(id, {}, 'not-the-secret');
    expect((await send(memory, forged)).status).toBe(401);
    expect((await send(memory, enrolmentDelivery(id))).body.listeners).toBe(1);
    expect(memory.ledger.processed.get(id)).toBe(1);
  });

  it('keys on the key function: the same enrolment status in other bytes is a duplicate', async () => {
    const id = uniqueEnrolmentId();
    expect((await send(keyed, invalidEnrolmentDelivery(id))).status).toBe(400);
    const delivery = enrolmentDelivery(id);
    expect((await send(keyed, delivery)).body.listeners).toBe(1);
    const pretty = JSON.stringify(delivery.payload, null, 2);
    const resent = {
      body: pretty,
      headers: {
        ...delivery.headers,
        'Falkor-Webhook-Signature': signFalkorPayload(pretty, TEST_SECRET),
      },
    };
    expect((await send(keyed, resent)).body.duplicate).toBe(true);
    const later = enrolmentDelivery(id, { status: { timestamp: '2020-10-10T09:00:00+02:00' } });
    expect((await send(keyed, later)).body.listeners).toBe(1);
    expect(keyed.ledger.processed.get(id)).toBe(2);
    expect(
      keyedStore.calls.some((call) => call.key === `enrolment:${id}@2020-10-09T14:59:06+02:00`),
    ).toBe(true);
  });

  it('answers 503 with Retry-After to a delivery in flight when inFlightStatus is 503', async () => {
    const id = uniqueEnrolmentId();
    const hold = gate();
    keyed.ledger.behaviour = (runId) => (runId === id ? hold.opened : undefined);
    const first = send(keyed, enrolmentDelivery(id)).then((response) => response);
    await keyed.ledger.whenEntered(id);
    const duplicate = await send(keyed, enrolmentDelivery(id));
    expect(duplicate.status).toBe(503);
    expect(duplicate.headers['retry-after']).toBe('30');
    expect(duplicate.body).toMatchObject({
      error: 'Service Unavailable',
      code: 'delivery_in_progress',
    });
    hold.open();
    expect((await first).status).toBe(200);
    keyed.ledger.behaviour = () => undefined;
  });

  it('answers 503 with Retry-After when the store is down, and processes the retry once it is back', async () => {
    const id = uniqueEnrolmentId();
    keyedStore.mode = 'fail';
    const refused = await send(keyed, enrolmentDelivery(id));
    keyedStore.mode = 'ok';
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('30');
    expect(refused.body).toMatchObject({
      error: 'Service Unavailable',
      code: 'deduplication_unavailable',
    });
    expect(JSON.stringify(refused.body)).not.toContain('ECONNREFUSED');
    expect(keyed.ledger.attempts.get(id)).toBeUndefined();
    expect((await send(keyed, enrolmentDelivery(id))).body.listeners).toBe(1);
  });

  it('processes deliveries without de-duplication while the store is down when onStoreError is "process"', async () => {
    const id = uniqueEnrolmentId();
    failOpenStore.mode = 'fail';
    const first = await send(failOpen, enrolmentDelivery(id));
    const second = await send(failOpen, enrolmentDelivery(id));
    failOpenStore.mode = 'ok';
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(failOpen.ledger.processed.get(id)).toBe(2);
  });

  it('sends no Retry-After on other refusals', async () => {
    const forged = enrolmentDelivery(uniqueEnrolmentId(), {}, 'not-the-secret');
    const response = await send(memory, forged);
    expect(response.status).toBe(401);
    expect(response.headers['retry-after']).toBeUndefined();
  });
});

describe('the deduplication option at start-up', () => {
  it('fails the application start with a message naming the field', async () => {
    const start = Test.createTestingModule({
      imports: [
        EventEmitterModule.forRoot(),
        FalkorWebhookModule.forRoot({ secret: TEST_SECRET, deduplication: { ttlSeconds: -5 } }),
      ],
    }).compile();
    await expect(start).rejects.toBeInstanceOf(FalkorConfigurationError);
    await expect(start).rejects.toThrow('"deduplication.ttlSeconds" must be a positive number');
  });
});
