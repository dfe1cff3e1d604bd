import type { IncomingHttpHeaders } from 'node:http';
import { FalkorWebhookError } from '../errors/falkor-webhook.errors.js';
import { printableFalkorValue } from '../logging/printable.text.js';

/**
 * The request's body is compressed (415): the platform documents no compression, so a delivery is
 * refused before its bytes are read rather than inflated. Inflating would check the signature
 * against other bytes than were received, and let a small forged body grow to the body limit.
 */
export class FalkorUnsupportedEncodingError extends FalkorWebhookError {
  /**
   * @param contentEncoding - the `Content-Encoding` the request declared
   */
  constructor(readonly contentEncoding: string) {
    super(
      415,
      'unsupported_media_type',
      'Webhook deliveries are not compressed (the platform documents no compression): send the ' +
        'JSON bytes that were signed with no Content-Encoding header, or "identity"; got ' +
        `${printableFalkorValue(contentEncoding)}.`,
    );
  }
}

/**
 * Whether a `Content-Encoding` header leaves the body as it was sent: none, or only `identity`
 * (codings are case-insensitive, and repeated headers arrive joined by commas).
 *
 * @param contentEncoding - the header's value, if any
 */
export function isIdentityFalkorEncoding(contentEncoding: string | undefined): boolean {
  return (
    contentEncoding === undefined ||
    contentEncoding
      .split(',')
      .every((coding) => ['identity', ''].includes(coding.trim().toLowerCase()))
  );
}

/**
 * Refuses a request whose body is compressed, before any byte of it is read.
 *
 * @param headers - the request's headers
 * @throws FalkorUnsupportedEncodingError when `Content-Encoding` names any coding but `identity`
 */
export function checkFalkorContentEncoding(headers: IncomingHttpHeaders): void {
  const contentEncoding = headers['content-encoding'];
  if (!isIdentityFalkorEncoding(contentEncoding)) {
    throw new FalkorUnsupportedEncodingError(contentEncoding as string);
  }
}
