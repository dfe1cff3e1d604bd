import {
  FalkorBodyTooLargeError,
  FalkorConfigurationError,
  FalkorSignatureError,
  type FalkorSignatureFailure,
  FalkorUnsupportedMediaTypeError,
} from '../errors/falkor-webhook.errors.js';
import type { FalkorWebhookRequest } from './webhook.request.js';
import { checkFalkorContentEncoding } from './content-encoding.js';
import { isUnreadFalkorBody, readFalkorBody } from '../body/body.reader.js';
import { parseFalkorSignatureHeader } from '../signature/signature-header.js';
import { matchFalkorSecret, type FalkorSecret } from '../signature/signature.js';

/**
 * One signature header that is read.
 */
export interface FalkorSignatureHeader {
  /** The platform name, e.g. `ByteKast`. */
  readonly platform: string;
  /** The header name as documented, e.g. `ByteKast-Webhook-Signature`. */
  readonly name: string;
  /** The lower-case name Node uses as the key in `request.headers`. */
  readonly key: string;
}

/**
 * What verification needs to know: the headers to read, the body limit and where the secrets come from.
 */
export interface FalkorVerificationSettings {
  /** The headers to look for, in order of precedence. */
  readonly headers: readonly FalkorSignatureHeader[];
  /** The largest body accepted, in bytes. */
  readonly maxBodyBytes: number;
  /** Gives the secrets for a request (static ones or a resolver's). */
  readonly secretsFor: (
    request: FalkorWebhookRequest,
  ) => readonly FalkorSecret[] | Promise<readonly FalkorSecret[]>;
}

/**
 * A request whose signature verified.
 */
export interface FalkorVerifiedRequest {
  /** The exact body bytes that were verified. */
  readonly rawBody: Buffer;
  /** The platform whose header verified. */
  readonly platform: string;
  /** The header that verified. */
  readonly signatureHeader: string;
  /** Index of the secret that matched. */
  readonly secretIndex: number;
  /** Id of the secret that matched, if it has one. */
  readonly secretId?: string;
}

/** A parser that gave a string kept no bytes: Fastify's own `text/plain` parser does that. */
const TEXT_BODY_FIX =
  'The body was parsed as text without its raw bytes (Fastify parses text/plain so), so the ' +
  'webhook signature cannot be checked. On Fastify, register parsers that keep the raw body: ' +
  "app.useBodyParser(['application/json', 'application/x-www-form-urlencoded', 'text/plain', '*']).";

const RAW_BODY_FIX =
  'The raw request body is not available, so the webhook signature cannot be checked. Create the ' +
  'app with NestFactory.create(AppModule, { rawBody: true }) (Express and Fastify alike); on ' +
  "Express, app.useBodyParser('raw', falkorBodyParserOptions()) mounts an express.raw parser " +
  'that hands the webhook route its exact bytes.';

/** Media types a JSON body may be declared with besides `application/<anything>+json`. */
const JSON_MEDIA_TYPES = new Set([
  'application/json',
  'text/json',
  // The platform documents no Content-Type: a PHP sender that sets none sends one of these.
  'text/plain',
  'application/x-www-form-urlencoded',
]);
const STRUCTURED_JSON = /^application\/[^/\s]+\+json$/;

/**
 * Whether a request's Content-Type may carry a signed JSON body: none at all, `application/json`,
 * `application/*+json`, `text/json`, `text/plain` or `application/x-www-form-urlencoded`,
 * parameters such as `charset=utf-8` allowed. The platform's docs name none, so the signature,
 * not the header, says what the body is.
 */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType === '') {
    return true;
  }
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon === -1 ? contentType : contentType.slice(0, semicolon))
    .trim()
    .toLowerCase();
  return JSON_MEDIA_TYPES.has(mediaType) || STRUCTURED_JSON.test(mediaType);
}

function rawBodyOf(request: FalkorWebhookRequest): Buffer | undefined {
  if (Buffer.isBuffer(request.rawBody)) {
    return request.rawBody;
  }
  return Buffer.isBuffer(request.body) ? request.body : undefined;
}

function declaredLength(request: FalkorWebhookRequest): number {
  const header = request.headers['content-length'];
  return header === undefined ? 0 : Number(header);
}

/**
 * Whether the request has no body by HTTP/1.1's own rules: `Content-Length: 0`, or neither a
 * Content-Length nor a Transfer-Encoding (RFC 9112, section 6.3), and no parser gave one (over
 * HTTP/2 a body needs neither header). Fastify then gives no raw body at all, and that is an empty
 * body, not a missing one.
 */
function hasNoBody(request: FalkorWebhookRequest): boolean {
  const { 'content-length': length, 'transfer-encoding': transferEncoding } = request.headers;
  return (
    length === '0' ||
    (length === undefined && transferEncoding === undefined && request.body == null)
  );
}

const EMPTY_BODY = Buffer.alloc(0);

/**
 * Checks a request in the order that spends the least on a bad one: content type (415), content
 * coding (415: the platform compresses nothing), size against the declared and the actual length
 * (413), raw body availability (500, a configuration error), signature header grammar (401), then
 * HMAC over the exact bytes with each secret (401). A body no parser took (Express leaves
 * `text/plain` and a missing Content-Type to the route) is read here, up to `maxBodyBytes`; a
 * request without any body (no Content-Length, no Transfer-Encoding) has an empty one.
 *
 * With a secret resolver the HMAC check waits for its answer.
 *
 * @returns the verified request
 * @throws FalkorUnsupportedMediaTypeError, FalkorUnsupportedEncodingError, FalkorBodyTooLargeError,
 *   FalkorConfigurationError or FalkorSignatureError
 */
export async function verifyFalkorRequest(
  request: FalkorWebhookRequest,
  settings: FalkorVerificationSettings,
): Promise<FalkorVerifiedRequest> {
  const contentType = request.headers['content-type'];
  if (!isJsonContentType(contentType)) {
    throw new FalkorUnsupportedMediaTypeError(contentType);
  }
  checkFalkorContentEncoding(request.headers);
  const rawBody = rawBodyOf(request);
  if (
    declaredLength(request) > settings.maxBodyBytes ||
    (rawBody?.length ?? 0) > settings.maxBodyBytes
  ) {
    throw new FalkorBodyTooLargeError(settings.maxBodyBytes);
  }
  if (rawBody) {
    return verifyBytes(request, rawBody, settings);
  }
  if (isUnreadFalkorBody(request)) {
    return readFalkorBody(request, settings.maxBodyBytes).then((bytes) =>
      verifyBytes(request, bytes, settings),
    );
  }
  if (hasNoBody(request)) {
    return verifyBytes(request, EMPTY_BODY, settings);
  }
  throw new FalkorConfigurationError(
    typeof request.body === 'string' ? TEXT_BODY_FIX : RAW_BODY_FIX,
  );
}

function signatureError(
  settings: FalkorVerificationSettings,
  reason: FalkorSignatureFailure,
): FalkorSignatureError {
  return new FalkorSignatureError(
    settings.headers.map((candidate) => candidate.name),
    reason,
  );
}

function verifyBytes(
  request: FalkorWebhookRequest,
  rawBody: Buffer,
  settings: FalkorVerificationSettings,
): FalkorVerifiedRequest | Promise<FalkorVerifiedRequest> {
  const header = settings.headers.find((candidate) => request.headers[candidate.key] !== undefined);
  if (!header) {
    throw signatureError(settings, 'missing');
  }
  const value = request.headers[header.key];
  const expected = parseFalkorSignatureHeader(value);
  if (!expected) {
    throw signatureError(settings, value === '' ? 'missing' : 'malformed');
  }
  const secrets = settings.secretsFor(request);
  return Array.isArray(secrets)
    ? matchSecrets(rawBody, header, expected, secrets, settings)
    : (secrets as Promise<readonly FalkorSecret[]>).then((resolved) =>
        matchSecrets(rawBody, header, expected, resolved, settings),
      );
}

function matchSecrets(
  rawBody: Buffer,
  header: FalkorSignatureHeader,
  expected: Buffer,
  secrets: readonly FalkorSecret[],
  settings: FalkorVerificationSettings,
): FalkorVerifiedRequest {
  if (secrets.length === 0) {
    throw signatureError(settings, 'mismatch');
  }
  const check = matchFalkorSecret(rawBody, expected, secrets);
  if (!check.valid) {
    throw signatureError(settings, check.reason);
  }
  return {
    rawBody,
    platform: header.platform,
    signatureHeader: header.name,
    secretIndex: check.secretIndex,
    ...(check.secretId === undefined ? {} : { secretId: check.secretId }),
  };
}
