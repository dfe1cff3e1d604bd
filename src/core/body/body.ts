import secureJson from 'secure-json-parse';
import { FalkorPayloadError } from '../errors/falkor-webhook.errors.js';
import { printableFalkorText } from '../logging/printable.text.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const BOM = 0xfeff;

/**
 * The deepest nesting of objects and arrays a delivery may have, the body's own object counting as
 * level 1. The documented deliveries nest 5 levels (the body, `data`, `data.enrolments`, an
 * enrolment, its `status`); a deeper body is refused with 400 before validation, because
 * class-transformer and class-validator walk a body recursively and a few thousand levels
 * overflow the stack.
 */
export const FALKOR_MAX_JSON_DEPTH = 64;

/**
 * Whether a parsed JSON value nests deeper than `max`, found without recursion (a stack of the
 * containers still to visit) and as soon as one passes `max`, so that no body overflows the stack
 * here.
 */
function nestsDeeperThan(root: object, max: number): boolean {
  const pending: unknown[] = [root];
  const depths: number[] = [1];
  const visit = (child: unknown, depth: number) => {
    if (typeof child === 'object' && child !== null) {
      pending.push(child);
      depths.push(depth);
    }
  };
  while (pending.length > 0) {
    const value = pending.pop() as Record<string, unknown>;
    const depth = depths.pop() as number;
    if (depth > max) {
      return true;
    }
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        visit(value[index], depth + 1);
      }
    } else {
      // JSON.parse makes plain objects: their own enumerable keys are all there is.
      for (const key in value) {
        visit(value[key], depth + 1);
      }
    }
  }
  return false;
}

/**
 * Turns verified body bytes into a JSON object: strict UTF-8 decoding (invalid sequences are an
 * error, exactly one leading BOM is removed: a second one is not JSON), then JSON parsing in which
 * `__proto__` and `constructor.prototype` keys are dropped so that they cannot reach any prototype,
 * and a check that nothing nests deeper than {@link FALKOR_MAX_JSON_DEPTH}.
 *
 * Run it only after the signature of the same bytes has verified.
 *
 * @param raw - the exact request body bytes
 * @returns the parsed JSON object
 * @throws FalkorPayloadError when the body is empty, not UTF-8, not JSON, not a JSON object, or
 * nests deeper than {@link FALKOR_MAX_JSON_DEPTH}
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
      // V8's message quotes the body around the error, controls included: it reaches the logs.
      `The request body is not valid JSON (${printableFalkorText((error as Error).message, 200)}): ` +
        'send a JSON object.',
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FalkorPayloadError(
      'The request body must be a JSON object, not an array or a scalar.',
    );
  }
  if (nestsDeeperThan(value, FALKOR_MAX_JSON_DEPTH)) {
    throw new FalkorPayloadError(
      `The request body nests objects or arrays more than ${FALKOR_MAX_JSON_DEPTH} levels deep: ` +
        'a delivery nests a few levels; send the JSON object the platform documents.',
    );
  }
  return value as Record<string, unknown>;
}
