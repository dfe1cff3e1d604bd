import type { FalkorEventType } from '../events/event-catalog.js';
import { falkorSignatureHeaderName } from '../signature/signature-header.js';
import { signFalkorPayload } from '../signature/signature.js';
import { FALKOR_SAMPLE_PAYLOADS } from './sample-payloads.js';

/** A partial override of a payload: nested objects are merged, everything else replaced. */
export type FalkorPayloadOverrides = { readonly [key: string]: unknown };

/**
 * Options of {@link createFalkorDelivery}.
 */
export interface CreateFalkorDeliveryOptions {
  /** Fields merged over the sample payload (nested objects merged, `undefined` removes a field). */
  readonly overrides?: FalkorPayloadOverrides;
  /** The secret to sign with. Default: the `FALKOR_WEBHOOK_SECRET` environment variable. */
  readonly secret?: string;
  /** The platform whose header carries the signature. Default `'Falkor'`. */
  readonly platformName?: string;
}

/**
 * A signed delivery, ready for supertest (`.set(headers).send(body)`) or `fastify.inject`.
 */
export interface FalkorDelivery {
  /** The exact body that was signed. */
  readonly body: string;
  /** `Content-Type` and the platform's signature header. */
  readonly headers: Readonly<Record<string, string>>;
  /** The payload as an object. */
  readonly payload: Readonly<Record<string, unknown>>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(
  base: Readonly<Record<string, unknown>>,
  overrides: FalkorPayloadOverrides,
): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) {
      delete result[key];
    } else if (isPlainObject(value) && isPlainObject(result[key])) {
      result[key] = merge(result[key] as Record<string, unknown>, value);
    } else {
      result[key] = value;
    }
  }
  return result;
}

/**
 * Builds a delivery of a catalog event type signed exactly as the platform signs it: HMAC-SHA256
 * over the exact body bytes, in the `<platformName>-Webhook-Signature` header.
 *
 * @param type - the event type whose sample payload to send
 * @param options - overrides, secret and platform
 * @throws TypeError when no secret is given and `FALKOR_WEBHOOK_SECRET` is not set
 */
export function createFalkorDelivery(
  type: FalkorEventType,
  options: CreateFalkorDeliveryOptions = {},
): FalkorDelivery {
  const secret = options.secret ?? process.env.FALKOR_WEBHOOK_SECRET;
  if (!secret) {
    throw new TypeError(
      'createFalkorDelivery() needs a secret: pass { secret } or set FALKOR_WEBHOOK_SECRET.',
    );
  }
  const sample = FALKOR_SAMPLE_PAYLOADS[type] ?? { event: type };
  const payload = merge(sample, options.overrides ?? {});
  const body = JSON.stringify(payload);
  return {
    body,
    payload,
    headers: {
      'Content-Type': 'application/json',
      [falkorSignatureHeaderName(options.platformName ?? 'Falkor')]: signFalkorPayload(
        body,
        secret,
      ),
    },
  };
}
