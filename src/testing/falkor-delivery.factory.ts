import type { FalkorDeliveryType } from '../events/event-catalog.js';
import { falkorSignatureHeaderName } from '../core/signature/signature-header.js';
import { signFalkorPayload } from '../core/signature/signature.js';
import { falkorSamplePayload, type FalkorPayloadOverrides } from './falkor-sample.payloads.js';
import { FALKOR_TEST_SECRET } from './falkor-testing.constants.js';

/**
 * Options of {@link createFalkorDelivery}.
 */
export interface CreateFalkorDeliveryOptions {
  /** Fields merged over the sample payload (nested objects merged, `undefined` removes a field). */
  readonly overrides?: FalkorPayloadOverrides;
  /** The secret to sign with. Default {@link FALKOR_TEST_SECRET}. */
  readonly secret?: string;
  /** The platform whose header carries the signature, e.g. `ByteKast`. Default `'Falkor'`. */
  readonly platformName?: string;
}

/**
 * A signed delivery: `.set(headers).send(body)` with supertest, or
 * `inject({ method: 'POST', url, headers, payload: body })` with Fastify.
 */
export interface SignedFalkorDelivery {
  /** The exact body that was signed, as JSON text (sent as UTF-8). */
  readonly body: string;
  /** `Content-Type: application/json` and the platform's signature header. */
  readonly headers: Readonly<Record<string, string>>;
  /** The payload as an object. */
  readonly payload: Readonly<Record<string, unknown>>;
}

/**
 * The headers of a signed delivery of exactly these bytes: `Content-Type: application/json` and
 * the platform's signature header, `sha256=<HMAC-SHA256 of the bytes with the secret>`.
 *
 * @param body - the exact body (a string is signed as its UTF-8 bytes)
 * @param options - the secret (default {@link FALKOR_TEST_SECRET}) and platform (default `'Falkor'`)
 * @throws TypeError when the secret is empty
 */
export function falkorDeliveryHeaders(
  body: string | Uint8Array,
  options: Pick<CreateFalkorDeliveryOptions, 'secret' | 'platformName'> = {},
): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    [falkorSignatureHeaderName(options.platformName ?? 'Falkor')]: signFalkorPayload(
      body,
      options.secret ?? FALKOR_TEST_SECRET,
    ),
  };
}

/**
 * Builds a delivery of an event type signed exactly as the platform signs it: HMAC-SHA256 over
 * the exact body bytes with the secret, as `sha256=<hex>` in the `<platformName>-Webhook-Signature`
 * header. The payload is the type's sample payload with the overrides merged over it (a type
 * without a sample starts from `{ type }`).
 *
 * @param type - the event type
 * @param options - overrides, secret and platform
 * @throws TypeError when the secret is empty
 */
export function createFalkorDelivery(
  type: FalkorDeliveryType | (string & Record<never, never>),
  options: CreateFalkorDeliveryOptions = {},
): SignedFalkorDelivery {
  const payload = falkorSamplePayload(type, options.overrides);
  const body = JSON.stringify(payload);
  return { body, payload, headers: falkorDeliveryHeaders(body, options) };
}
