import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FalkorSignatureFailure } from '../errors/falkor-webhook.errors.js';
import { FALKOR_SIGNATURE_PREFIX, parseFalkorSignatureHeader } from './signature-header.js';
import { printableFalkorValue } from '../logging/printable.text.js';

/**
 * A secret as configured: its value, or its value with an id to name it in logs and on events
 * (the value itself is never logged).
 */
export type FalkorSecret = string | { readonly id: string; readonly secret: string };

/**
 * One secret, or several that are all accepted (rotation: list the new one and the old one until
 * the platform uses only the new one).
 */
export type FalkorSecrets = FalkorSecret | readonly FalkorSecret[];

/**
 * The outcome of {@link checkFalkorSignature}.
 */
export type FalkorSignatureCheck =
  | {
      readonly valid: true;
      /** Index of the secret that matched, in the order given. */
      readonly secretIndex: number;
      /** Id of the secret that matched, when it was given one. */
      readonly secretId?: string;
    }
  | {
      readonly valid: false;
      /** `missing`: no header value; `malformed`: not `sha256=<64 hex>`; `mismatch`: no secret matches. */
      readonly reason: FalkorSignatureFailure;
    };

function toBytes(body: string | Uint8Array): Uint8Array {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

function secretValue(secret: FalkorSecret): string {
  return typeof secret === 'string' ? secret : secret.secret;
}

/**
 * Lists the secrets of a {@link FalkorSecrets} value, refusing an empty list, an empty secret, and an
 * `{ id, secret }` entry whose id is empty or already used (ids name secrets in logs and on events).
 *
 * @throws TypeError when there is no secret, a secret is empty, or an id is empty or repeated
 */
export function normalizeFalkorSecrets(secrets: FalkorSecrets): readonly FalkorSecret[] {
  const list: readonly FalkorSecret[] = Array.isArray(secrets)
    ? secrets
    : [secrets as FalkorSecret];
  if (list.length === 0) {
    throw new TypeError('No webhook secret was given: pass at least one non-empty secret.');
  }
  const ids = new Set<unknown>();
  list.forEach((secret, index) => {
    const entry = typeof secret === 'object' && secret !== null;
    const value: unknown = entry ? secret.secret : secret;
    if (typeof value !== 'string' || value.length === 0) {
      throw new TypeError(
        `Webhook secret #${index} is empty or not a string: pass the secret set on the platform's webhook.`,
      );
    }
    if (!entry) {
      return;
    }
    if (typeof secret.id !== 'string' || secret.id.length === 0 || ids.has(secret.id)) {
      throw new TypeError(
        `Webhook secret #${index} needs an id that is a non-empty string used by no other secret, ` +
          // A resolver may build ids from the request's path, which a stranger chooses.
          `got ${printableFalkorValue(secret.id)}.`,
      );
    }
    ids.add(secret.id);
  });
  return list;
}

/**
 * Signs a body as the platform does: HMAC-SHA256 of the exact body bytes keyed with the secret's
 * UTF-8 bytes, as `sha256=<lower-case hex>`.
 *
 * @param body - the exact request body; a string is encoded as UTF-8
 * @param secret - the webhook's secret
 * @returns the value of the signature header
 */
export function signFalkorPayload(body: string | Uint8Array, secret: string): string {
  const [key] = normalizeFalkorSecrets(secret);
  return (
    FALKOR_SIGNATURE_PREFIX +
    createHmac('sha256', secretValue(key)).update(toBytes(body)).digest('hex')
  );
}

/**
 * Checks a signature header value against the exact body bytes with each secret in turn, comparing
 * the 32 decoded bytes in constant time. It never throws on a header or a body, whatever they hold.
 *
 * @param body - the exact request body bytes (a string is encoded as UTF-8)
 * @param signature - the signature header value as received
 * @param secrets - one secret or the list of accepted secrets
 * @returns which secret matched, or why none did
 * @throws TypeError when no secret, or an empty secret, is given
 */
export function checkFalkorSignature(
  body: string | Uint8Array,
  signature: unknown,
  secrets: FalkorSecrets,
): FalkorSignatureCheck {
  const list = normalizeFalkorSecrets(secrets);
  if (signature === undefined || signature === null || signature === '') {
    return { valid: false, reason: 'missing' };
  }
  const expected = parseFalkorSignatureHeader(signature);
  if (!expected) {
    return { valid: false, reason: 'malformed' };
  }
  return matchFalkorSecret(toBytes(body), expected, list);
}

/**
 * Finds the secret whose HMAC-SHA256 of the body equals the parsed signature, comparing in constant
 * time. For callers that already parsed the header and checked the secrets.
 *
 * @param body - the exact request body bytes
 * @param expected - the 32 bytes of a parsed signature header
 * @param secrets - the non-empty secrets to try, in order
 */
export function matchFalkorSecret(
  body: Uint8Array,
  expected: Buffer,
  secrets: readonly FalkorSecret[],
): FalkorSignatureCheck {
  for (let index = 0; index < secrets.length; index++) {
    const secret = secrets[index];
    const digest = createHmac('sha256', secretValue(secret)).update(body).digest();
    if (timingSafeEqual(digest, expected)) {
      return typeof secret === 'string'
        ? { valid: true, secretIndex: index }
        : { valid: true, secretIndex: index, secretId: secret.id };
    }
  }
  return { valid: false, reason: 'mismatch' };
}

/**
 * Whether a signature header value is a valid signature of the exact body bytes under one of the
 * secrets. Never throws on a header or a body.
 *
 * @param body - the exact request body bytes (a string is encoded as UTF-8)
 * @param signature - the signature header value as received, e.g. `sha256=4a15…`
 * @param secrets - one secret or the list of accepted secrets
 * @throws TypeError when no secret, or an empty secret, is given
 */
export function verifyFalkorSignature(
  body: string | Uint8Array,
  signature: unknown,
  secrets: FalkorSecrets,
): boolean {
  return checkFalkorSignature(body, signature, secrets).valid;
}
