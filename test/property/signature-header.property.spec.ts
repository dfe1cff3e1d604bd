import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { checkFalkorSignature, parseFalkorSignatureHeader } from '../../src/index.js';
import { bodyBytes, CORE_RUNS, headerValue, hexDigit } from './arbitraries.js';

/** The grammar, written out independently of the parser's regular expression. */
function followsGrammar(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== 71 || !value.startsWith('sha256=')) {
    return false;
  }
  return [...value.slice(7)].every((character) => '0123456789abcdefABCDEF'.includes(character));
}

describe('the signature header grammar (property-based)', () => {
  it('never throws, and accepts exactly the values that follow the grammar', () => {
    fc.assert(
      fc.property(headerValue, (value) => {
        const parsed = parseFalkorSignatureHeader(value);
        if (followsGrammar(value)) {
          expect(parsed).toEqual(Buffer.from(value.slice(7), 'hex'));
        } else {
          expect(parsed).toBeUndefined();
        }
      }),
      { numRuns: CORE_RUNS },
    );
  });

  it('decodes 64 hex digits in any mix of cases to the same 32 bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
        (bytes, upper) => {
          const hex = [...Buffer.from(bytes).toString('hex')]
            .map((digit, i) => (upper[i] ? digit.toUpperCase() : digit))
            .join('');
          expect(parseFalkorSignatureHeader(`sha256=${hex}`)).toEqual(Buffer.from(bytes));
        },
      ),
      { numRuns: CORE_RUNS },
    );
  });

  it('rejects every length of hex digits but 64', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: hexDigit, maxLength: 200 }).filter((hex) => hex.length !== 64),
        (hex) => {
          expect(parseFalkorSignatureHeader(`sha256=${hex}`)).toBeUndefined();
        },
      ),
      { numRuns: CORE_RUNS },
    );
  });

  it('checkFalkorSignature never throws on any header and any body', () => {
    fc.assert(
      fc.property(headerValue, bodyBytes, (value, body) => {
        const check = checkFalkorSignature(body, value, 'whsec-property');
        expect(check.valid).toBe(false);
      }),
      { numRuns: CORE_RUNS },
    );
  });
});
