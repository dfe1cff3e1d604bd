import secureJson from 'secure-json-parse';
import { FalkorPayloadError } from '../errors/falkor-webhook.errors.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const BOM = 0xfeff;

/**
 * Turns verified body bytes into a JSON object: strict UTF-8 decoding (invalid sequences are an
 * error, exactly one leading BOM is removed: a second one is not JSON), then JSON parsing in which
 * `__proto__` and `constructor.prototype` keys are dropped so that they cannot reach any prototype.
 *
 * Run it only after the signature of the same bytes has verified.
 *
 * @param raw - the exact request body bytes
 * @returns the parsed JSON object
 * @throws FalkorPayloadError when the body is empty, not UTF-8, not JSON, or not a JSON object
 */
export function parseFalkorBody(raw: Uint8Array): Record<string, unknown> {
  if (raw.length === 0) {
    throw new FalkorPayloadError('The request body is empty: a delivery must be a JSON object.');
  }
  let text: string;
  try {
    text = decoder.decode(raw);
  } catch {
    throw new FalkorPayloadError(
      'The request body is not valid UTF-8: send JSON encoded as UTF-8.',
    );
  }
  if (text.charCodeAt(0) === BOM) {
    throw new FalkorPayloadError(
      'The request body is not valid JSON (a second byte order mark follows the first): send a ' +
        'JSON object, with at most one byte order mark before it.',
    );
  }
  let value: unknown;
  try {
    value = secureJson.parse(text, undefined, {
      protoAction: 'remove',
      constructorAction: 'remove',
    });
  } catch (error) {
    throw new FalkorPayloadError(
      `The request body is not valid JSON (${(error as Error).message}): send a JSON object.`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FalkorPayloadError(
      'The request body must be a JSON object, not an array or a scalar.',
    );
  }
  return value as Record<string, unknown>;
}
