import { createHash } from 'node:crypto';
import { describe, expect, it, jest } from '@jest/globals';
import {
  FALKOR_SIGNATURE_PREFIX,
  falkorSignatureHeaderName,
  parseFalkorSignatureHeader,
} from '../../../src/index.js';

const DIGEST = createHash('sha256').update('a body').digest();
const LOWER = `sha256=${DIGEST.toString('hex')}`;

describe('parseFalkorSignatureHeader', () => {
  it('decodes sha256= followed by 64 lower-case hex digits into the 32 bytes', () => {
    expect(parseFalkorSignatureHeader(LOWER)).toEqual(DIGEST);
  });

  it('decodes upper-case and mixed-case hex digits to the same bytes', () => {
    const upper = `sha256=${DIGEST.toString('hex').toUpperCase()}`;
    const mixed = `sha256=${[...DIGEST.toString('hex')].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join('')}`;
    expect(parseFalkorSignatureHeader(upper)).toEqual(DIGEST);
    expect(parseFalkorSignatureHeader(mixed)).toEqual(DIGEST);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['an empty string', ''],
    ['the prefix alone', 'sha256='],
    ['bare hex without prefix', DIGEST.toString('hex')],
    ['sha1', `sha1=${'a'.repeat(40)}`],
    ['sha512', `sha512=${'a'.repeat(128)}`],
    ['an upper-case prefix', `SHA256=${DIGEST.toString('hex')}`],
    ['a space after the prefix', `sha256= ${DIGEST.toString('hex').slice(1)}`],
    ['63 hex digits', LOWER.slice(0, -1)],
    ['65 hex digits', `${LOWER}a`],
    ['a non-hex character', `${LOWER.slice(0, -1)}g`],
    ['a NUL character', `${LOWER.slice(0, -1)}\0`],
    ['a non-ASCII character of the right length', `${LOWER.slice(0, -1)}é`],
    ['a full-width digit', `${LOWER.slice(0, -1)}０`],
    ['an astral character', `${LOWER.slice(0, -2)}😀`],
    ['two joined values', `${LOWER}, ${LOWER}`],
    ['a list of values', [LOWER, LOWER]],
    ['a number', 42],
    ['an object', { toString: () => LOWER }],
    ['an 8 KiB value', `sha256=${'a'.repeat(8192)}`],
  ])('rejects %s without throwing', (_, value) => {
    expect(() => parseFalkorSignatureHeader(value)).not.toThrow();
    expect(parseFalkorSignatureHeader(value)).toBeUndefined();
  });

  it('rejects an absurdly long value by its length, before scanning it', () => {
    const huge = `sha256=${'a'.repeat(64)}${'!'.repeat(10_000_000)}`;
    const test = jest.spyOn(RegExp.prototype, 'test');
    try {
      expect(parseFalkorSignatureHeader(huge)).toBeUndefined();
      expect(test).not.toHaveBeenCalled();
      expect(parseFalkorSignatureHeader(LOWER)).toEqual(DIGEST);
      expect(test).toHaveBeenCalledTimes(1);
    } finally {
      test.mockRestore();
    }
  });
});

describe('falkorSignatureHeaderName', () => {
  it('prefixes -Webhook-Signature with the platform name', () => {
    expect(falkorSignatureHeaderName('Falkor')).toBe('Falkor-Webhook-Signature');
    expect(falkorSignatureHeaderName('ByteKast')).toBe('ByteKast-Webhook-Signature');
  });

  it('uses the documented prefix', () => {
    expect(FALKOR_SIGNATURE_PREFIX).toBe('sha256=');
  });
});
