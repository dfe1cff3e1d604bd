import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { checkFalkorSignature, signFalkorPayload, verifyFalkorSignature } from '../../src/index.js';
import { bodyBytes, CORE_RUNS, secret } from './arbitraries.js';

const HEX_LETTERS = /[a-fA-F]/;

describe('signatures (property-based)', () => {
  it('sign-then-verify always passes, for any body and any secret', () => {
    fc.assert(
      fc.property(bodyBytes, secret, (body, key) => {
        const header = signFalkorPayload(body, key);
        expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
        expect(checkFalkorSignature(body, header, key)).toEqual({ valid: true, secretIndex: 0 });
        expect(
          verifyFalkorSignature(body, header.toUpperCase().replace('SHA256=', 'sha256='), key),
        ).toBe(true);
      }),
      { numRuns: CORE_RUNS },
    );
  });

  it('matches an independent HMAC-SHA256 over the exact bytes', () => {
    fc.assert(
      fc.property(bodyBytes, secret, (body, key) => {
        const expected = createHmac('sha256', Buffer.from(key, 'utf8')).update(body).digest('hex');
        expect(signFalkorPayload(body, key)).toBe(`sha256=${expected}`);
      }),
      { numRuns: CORE_RUNS },
    );
  });

  it('any single-byte change to the body fails', () => {
    fc.assert(
      fc.property(
        bodyBytes.filter((body) => body.length > 0),
        secret,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (body, key, at, flip) => {
          const header = signFalkorPayload(body, key);
          const changed = Uint8Array.from(body);
          changed[at % body.length] ^= flip;
          expect(verifyFalkorSignature(changed, header, key)).toBe(false);
        },
      ),
      { numRuns: CORE_RUNS },
    );
  });

  it('adding or removing one byte of the body fails', () => {
    fc.assert(
      fc.property(bodyBytes, secret, fc.integer({ min: 0, max: 255 }), (body, key, byte) => {
        const header = signFalkorPayload(body, key);
        expect(verifyFalkorSignature(Buffer.concat([body, Uint8Array.of(byte)]), header, key)).toBe(
          false,
        );
        if (body.length > 0) {
          expect(verifyFalkorSignature(body.subarray(1), header, key)).toBe(false);
        }
      }),
      { numRuns: CORE_RUNS },
    );
  });

  it('any single-byte change to the signature header fails, except the case of a hex letter', () => {
    fc.assert(
      fc.property(
        bodyBytes,
        secret,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (body, key, at, flip) => {
          const header = Buffer.from(signFalkorPayload(body, key), 'latin1');
          const index = at % header.length;
          const changed = Buffer.from(header);
          changed[index] ^= flip;
          const original = String.fromCharCode(header[index]);
          const replaced = String.fromCharCode(changed[index]);
          const caseOnly =
            index >= 'sha256='.length &&
            HEX_LETTERS.test(original) &&
            replaced.toLowerCase() === original.toLowerCase();
          expect(verifyFalkorSignature(body, changed.toString('latin1'), key)).toBe(caseOnly);
        },
      ),
      { numRuns: CORE_RUNS },
    );
  });

  it('a signature made with any other secret fails, and rotation finds the right index', () => {
    fc.assert(
      fc.property(
        bodyBytes,
        fc.uniqueArray(secret, { minLength: 2, maxLength: 5 }),
        fc.nat(),
        (body, keys, pick) => {
          const index = pick % keys.length;
          const header = signFalkorPayload(body, keys[index]);
          const others = keys.filter((_, i) => i !== index);
          expect(verifyFalkorSignature(body, header, others)).toBe(false);
          expect(checkFalkorSignature(body, header, keys)).toEqual({
            valid: true,
            secretIndex: index,
          });
        },
      ),
      { numRuns: CORE_RUNS },
    );
  });
});
