import type { IncomingHttpHeaders } from 'node:http';
import type { FalkorVerifiedRequest } from '../core/verification/request-verifier.js';
import type { FalkorWebhookRequest } from '../core/verification/webhook.request.js';
import type { FalkorDeliveryType, FalkorEventMap, FalkorEventType } from './event-catalog.js';

/**
 * What every delivery carries besides its payload.
 */
export interface FalkorDeliveryInfo {
  /** When the module received the delivery. */
  readonly receivedAt: Date;
  /** The exact request body bytes the signature was verified over, for users who store them. */
  readonly rawBody: Buffer;
  /** The platform whose signature header verified, e.g. `Falkor` or `ByteKast`. */
  readonly platform: string;
  /** The name of the signature header that verified, e.g. `Falkor-Webhook-Signature`. */
  readonly signatureHeader: string;
  /** Index of the secret that verified, in the configured order (never the secret itself). */
  readonly secretIndex: number;
  /** Id of the secret that verified, when it was configured with one. */
  readonly secretId?: string;
  /** The request headers, with lower-case names. */
  readonly headers: IncomingHttpHeaders;
  /** The route parameters of the webhook path, e.g. `{ pathwayId: 'pw_1' }`. */
  readonly params: Readonly<Record<string, string>>;
}

/**
 * What a listener of event type `T` receives: the type, the validated DTO instance (for a record
 * event, the record with its parents) and the delivery's details. For a union of types it is a union, so that checking `type` narrows `payload`.
 */
export type FalkorWebhookEvent<T extends FalkorEventType = FalkorDeliveryType> = T extends unknown
  ? FalkorDeliveryInfo & {
      /** The event type. */
      readonly type: T;
      /** The payload, validated and transformed into its DTO class. */
      readonly payload: FalkorEventMap[T];
    }
  : never;

/**
 * Assembles the event listeners receive from a validated delivery and what verified it.
 *
 * @param type - the event type
 * @param payload - the validated DTO instance
 * @param verified - what verified the delivery
 * @param request - the request it came with
 * @param receivedAt - when the module received it
 */
export function falkorWebhookEvent(
  type: string,
  payload: object,
  verified: FalkorVerifiedRequest,
  request: FalkorWebhookRequest,
  receivedAt: Date,
): FalkorWebhookEvent {
  return {
    type: type as FalkorEventType,
    payload,
    receivedAt,
    rawBody: verified.rawBody,
    platform: verified.platform,
    signatureHeader: verified.signatureHeader,
    secretIndex: verified.secretIndex,
    ...(verified.secretId === undefined ? {} : { secretId: verified.secretId }),
    headers: request.headers,
    params: (request.params ?? {}) as Record<string, string>,
  } as FalkorWebhookEvent;
}

/**
 * The event of one record change: the delivery's details with the record event's name and the
 * record as payload.
 *
 * @param delivery - the delivery's event
 * @param type - the record event, e.g. `attendee.booked`
 * @param payload - the record with its parents, e.g. `{ pathway, event, attendee }`
 */
export function falkorRecordEvent(
  delivery: FalkorWebhookEvent,
  type: string,
  payload: object,
): FalkorWebhookEvent {
  return { ...delivery, type, payload } as FalkorWebhookEvent;
}
