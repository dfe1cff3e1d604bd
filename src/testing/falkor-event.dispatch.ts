import type { INestApplicationContext } from '@nestjs/common';
import { FalkorConfigurationError } from '../core/errors/falkor-webhook.errors.js';
import type { FalkorDeliveryType } from '../events/event-catalog.js';
import type { FalkorWebhookReceipt } from '../nest/http/falkor-webhook.receipt.js';
import { FalkorWebhookReceiver } from '../nest/http/falkor-webhook.receiver.js';
import { falkorSamplePayload } from './falkor-sample.payloads.js';

function receiverOf(app: INestApplicationContext): FalkorWebhookReceiver {
  try {
    return app.get(FalkorWebhookReceiver, { strict: false });
  } catch {
    throw new FalkorConfigurationError(
      'dispatchFalkorEvent() needs an application or testing module that imports ' +
        'FalkorWebhookModule (or FalkorWebhookTestingModule.forRoot()).',
    );
  }
}

/**
 * Runs an event through the module as the webhook route does once a signature has verified: strict
 * parsing, event type resolution, DTO validation and dispatch to every `@OnFalkorEvent` listener,
 * without an HTTP server or a signature. The application is initialised first if it was not, so
 * that the listeners are subscribed.
 *
 * The delivery carries no header but `content-type`: a `resolveEventType` option that reads
 * headers finds none.
 *
 * @param app - an application or testing module that imports `FalkorWebhookModule`
 * @param type - the event type
 * @param payload - the payload (default: the type's sample payload); its `type` field defaults to `type`
 * @returns the receipt the route would answer with
 * @throws FalkorValidationError, FalkorListenerError, or another FalkorWebhookError, as the route would refuse
 */
export async function dispatchFalkorEvent(
  app: INestApplicationContext,
  type: FalkorDeliveryType | (string & Record<never, never>),
  payload: Readonly<Record<string, unknown>> = falkorSamplePayload(type),
): Promise<FalkorWebhookReceipt> {
  await app.init();
  const receiver = receiverOf(app);
  const rawBody = Buffer.from(JSON.stringify({ type, ...payload }));
  return receiver.receiveUnsigned(
    { headers: { 'content-type': 'application/json' }, rawBody, params: {} },
    {
      rawBody,
      platform: 'Falkor',
      signatureHeader: 'Falkor-Webhook-Signature',
      secretIndex: 0,
    },
  );
}
