import type { INestApplicationContext } from '@nestjs/common';
import type { FalkorEventType } from '../events/event-catalog.js';
import { FalkorWebhookService, type FalkorWebhookReceipt } from '../http/falkor-webhook.service.js';
import { FALKOR_SAMPLE_PAYLOADS } from './sample-payloads.js';

/**
 * Runs an event through the module exactly as the webhook route does after verification: strict
 * parsing, type resolution, DTO validation and dispatch to every `@OnFalkorEvent` listener. No HTTP
 * server or signature is involved.
 *
 * @param app - an application or testing module that imports `FalkorWebhookModule`
 * @param type - the event type
 * @param payload - the payload (default: the type's sample payload); its `event` field defaults to `type`
 * @returns the receipt the route would answer with
 * @throws FalkorValidationError, FalkorListenerError, or another FalkorWebhookError, as the route would refuse
 */
export async function dispatchFalkorEvent(
  app: INestApplicationContext,
  type: FalkorEventType,
  payload: Readonly<Record<string, unknown>> = FALKOR_SAMPLE_PAYLOADS[type],
): Promise<FalkorWebhookReceipt> {
  const service = app.get(FalkorWebhookService, { strict: false });
  const rawBody = Buffer.from(JSON.stringify({ event: type, ...payload }));
  return service.process(
    { headers: { 'content-type': 'application/json' }, rawBody, params: {} },
    {
      rawBody,
      platform: 'Falkor',
      signatureHeader: 'Falkor-Webhook-Signature',
      secretIndex: 0,
    },
  );
}
