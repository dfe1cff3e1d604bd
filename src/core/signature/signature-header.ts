/** The algorithm prefix of every Falkor signature header value. */
export const FALKOR_SIGNATURE_PREFIX = 'sha256=';

const HEX_DIGITS = 64;
const HEADER_VALUE_LENGTH = FALKOR_SIGNATURE_PREFIX.length + HEX_DIGITS;
const HEADER_VALUE_PATTERN = /^sha256=[0-9a-fA-F]{64}$/;

/**
 * Parses a signature header value of the form `sha256=<64 hex digits>` (digits in either case) into
 * the 32 bytes it encodes.
 *
 * Anything else yields `undefined` without throwing: a missing or empty value, another algorithm,
 * 63 or 65 digits, non-hex or non-ASCII characters, joined duplicates (`sha256=a, sha256=b`), an
 * array of values, or an absurdly long string (rejected by its length before it is scanned).
 *
 * @param value - the raw header value, as the HTTP server exposes it
 * @returns the 32 signature bytes, or `undefined` when the value does not follow the grammar
 */
export function parseFalkorSignatureHeader(value: unknown): Buffer | undefined {
  if (
    typeof value !== 'string' ||
    value.length !== HEADER_VALUE_LENGTH ||
    !HEADER_VALUE_PATTERN.test(value)
  ) {
    return undefined;
  }
  return Buffer.from(value.slice(FALKOR_SIGNATURE_PREFIX.length), 'hex');
}

/** A platform name as it prefixes its header: letters, digits and dashes, not starting with a dash. */
const PLATFORM_NAME = '[A-Za-z0-9][A-Za-z0-9-]*';
const PLATFORM_NAME_PATTERN = new RegExp(`^${PLATFORM_NAME}$`);
const HEADER_LINE_PATTERN = new RegExp(`^${PLATFORM_NAME}-Webhook-Signature\\s*:\\s*`, 'i');

/**
 * Whether a name can prefix a signature header, as `Falkor`, `ByteKast` or `TrainiApp` do:
 * letters, digits and dashes, not starting with a dash.
 *
 * @param name - the platform name
 */
export function isFalkorPlatformName(name: unknown): name is string {
  return typeof name === 'string' && PLATFORM_NAME_PATTERN.test(name);
}

/**
 * The signature value of a whole header line (`Falkor-Webhook-Signature: sha256=...`, any
 * platform), or the value itself when it is not a header line.
 *
 * @param line - a header line or a header value
 */
export function falkorSignatureOfHeaderLine(line: string): string {
  return line.trim().replace(HEADER_LINE_PATTERN, '');
}

/**
 * The signature header name of a platform: `Falkor` gives `Falkor-Webhook-Signature`, `ByteKast`
 * gives `ByteKast-Webhook-Signature`.
 *
 * @param platformName - the platform's name as it appears in its header
 */
export function falkorSignatureHeaderName(platformName: string): string {
  return `${platformName}-Webhook-Signature`;
}
