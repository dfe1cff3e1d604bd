import { describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { FalkorWebhookReceiver } from '../../src/nest/http/falkor-webhook.receiver.js';
import {
  EnrolmentLedger,
  enrolmentDelivery,
  gate,
  ledgerListener,
  uniqueEnrolmentId,
} from '../support/enrolment.ledger.js';
import { DeliverySender, type SentResponse } from '../support/http.sender.js';
import { adapters, createApp, webhookModule } from '../support/apps.js';

/** Resolves when the app starts shutting down (its first shutdown hook). */
function whenClosing(app: INestApplication): Promise<void> {
  const service = app.get(FalkorWebhookReceiver, { strict: false });
  const onModuleDestroy = service.onModuleDestroy.bind(service);
  return new Promise((resolve) => {
    service.onModuleDestroy = () => {
      onModuleDestroy();
      resolve();
    };
  });
}

describe.each(adapters)('graceful shutdown on %s', (adapter) => {
  it('lets a delivery in flight finish and get its 200, and answers 503 to one that arrives meanwhile', async () => {
    const ledger = new EnrolmentLedger();
    const app = await createApp(adapter, [webhookModule()], {
      providers: [ledgerListener(ledger)],
    });
    const sender = new DeliverySender(app);
    const inFlight = uniqueEnrolmentId();
    const late = uniqueEnrolmentId();
    const hold = gate();
    ledger.behaviour = (id) => (id === inFlight ? hold.opened : undefined);

    const first = sender.send(enrolmentDelivery(inFlight));
    await ledger.whenEntered(inFlight);
    const closing = whenClosing(app);
    const closed = app.close();
    await closing;
    const refused = await sender.send(enrolmentDelivery(late));
    hold.open();
    const answered = await first;
    await closed;
    sender.close();

    expect(answered.status).toBe(200);
    expect(answered.body.listeners).toBe(1);
    expect(ledger.processed.get(inFlight)).toBe(1);
    expect(refused.status).toBe(503);
    expect(refused.retryAfter).toBe('5');
    expect(refused.body).toMatchObject({ error: 'Service Unavailable', code: 'shutting_down' });
    expect(ledger.attempts.get(late)).toBeUndefined();
  });

  it.each([
    ['off', undefined],
    ['on', {}],
  ])(
    'never acknowledges an undispatched delivery when closed under load (de-duplication %s)',
    async (_, deduplication) => {
      const ledger = new EnrolmentLedger();
      ledger.behaviour = () => new Promise((resolve) => setImmediate(resolve));
      const app = await createApp(adapter, [webhookModule({ deduplication })], {
        providers: [ledgerListener(ledger)],
      });
      const sender = new DeliverySender(app, 20);
      const outcomes = new Map<string, SentResponse | { readonly error: string }>();
      let answered = 0;
      let closed: Promise<void> | undefined;
      const worker = async () => {
        for (;;) {
          const id = uniqueEnrolmentId();
          const outcome = await sender
            .send(enrolmentDelivery(id))
            .catch((error: NodeJS.ErrnoException) => ({ error: String(error.code) }));
          outcomes.set(id, outcome);
          if (++answered === 100) {
            closed = app.close();
          }
          if ('error' in outcome || outcome.status !== 200) {
            return;
          }
        }
      };
      await Promise.all(Array.from({ length: 20 }, worker));
      await closed;
      sender.close();

      let acknowledged = 0;
      for (const [id, outcome] of outcomes) {
        if ('status' in outcome && outcome.status === 200) {
          acknowledged++;
          expect(ledger.processed.get(id)).toBe(1);
        } else {
          expect(ledger.attempts.get(id)).toBeUndefined();
          expect([503, 'ECONNREFUSED', 'ECONNRESET']).toContain(
            'error' in outcome ? outcome.error : outcome.status,
          );
        }
      }
      expect(acknowledged).toBeGreaterThanOrEqual(100 - 20);
      expect(ledger.total).toBe(acknowledged);
    },
  );
});
