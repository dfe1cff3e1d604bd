import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { signatureVectors } from '../../support/vectors.js';

const crypto = await import('node:crypto');
const createHmac = jest.fn(crypto.createHmac);
const timingSafeEqual = jest.fn(crypto.timingSafeEqual);
jest.unstable_mockModule('node:crypto', () => ({ ...crypto, createHmac, timingSafeEqual }));

const { checkFalkorSignature, normalizeFalkorSecrets, signFalkorPayload, verifyFalkorSignature } =
  await import('../../../src/core/signature/signature.js');

const SECRET = 'whsec-current';
const OLD = 'whsec-previous';
const BODY = Buffer.from(
  '{"type":"enrolments","data":{"pathway":{"ID":"FA-HCPG-06RF"},"enrolments":[{"firstname":"Zoë"}]}}',
);

function hmacHex(body: Uint8Array | string, secret: string): string {
  return crypto.createHmac('sha256', secret).update(body).digest('hex');
}

beforeEach(() => {
  createHmac.mockClear();
  timingSafeEqual.mockClear();
});

describe('signFalkorPayload', () => {
  it('signs the exact bytes as sha256=<lower-case hex HMAC-SHA256>', () => {
    expect(signFalkorPayload(BODY, SECRET)).toBe(`sha256=${hmacHex(BODY, SECRET)}`);
    expect(signFalkorPayload(BODY.toString('utf8'), SECRET)).toBe(signFalkorPayload(BODY, SECRET));
  });

  it.each(signatureVectors.map((v) => [v.name, v] as const))(
    'reproduces the reference vector %s',
    (_, vector) => {
      expect(vector.body).toHaveLength(vector.bodyLength);
      expect(signFalkorPayload(vector.body, vector.secret)).toBe(vector.signature);
    },
  );

  it('refuses an empty secret', () => {
    expect(() => signFalkorPayload(BODY, '')).toThrow(TypeError);
  });
});

describe('checkFalkorSignature', () => {
  it('accepts a valid signature over the exact bytes, comparing 32 bytes in constant time', () => {
    expect(checkFalkorSignature(BODY, signFalkorPayload(BODY, SECRET), SECRET)).toEqual({
      valid: true,
      secretIndex: 0,
    });
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
    const [digest, expected] = timingSafeEqual.mock.calls[0] as [Buffer, Buffer];
    expect(digest).toHaveLength(32);
    expect(expected).toHaveLength(32);
  });

  it('accepts an upper-case signature', () => {
    const upper = `sha256=${hmacHex(BODY, SECRET).toUpperCase()}`;
    expect(verifyFalkorSignature(BODY, upper, SECRET)).toBe(true);
  });

  it.each([
    ['missing', undefined, 'missing'],
    ['null', null, 'missing'],
    ['empty', '', 'missing'],
    ['the prefix alone', 'sha256=', 'malformed'],
    ['bare hex', hmacHex(BODY, SECRET), 'malformed'],
    ['sha1', `sha1=${crypto.createHmac('sha1', SECRET).update(BODY).digest('hex')}`, 'malformed'],
    ['63 digits', `sha256=${hmacHex(BODY, SECRET).slice(1)}`, 'malformed'],
    ['65 digits', `sha256=${hmacHex(BODY, SECRET)}0`, 'malformed'],
    ['non-hex', `sha256=${hmacHex(BODY, SECRET).slice(1)}z`, 'malformed'],
    ['non-ASCII of the right length', `sha256=${hmacHex(BODY, SECRET).slice(1)}é`, 'malformed'],
    ['8 KiB long', `sha256=${'0'.repeat(8192)}`, 'malformed'],
    [
      'two joined values',
      `${signFalkorPayload(BODY, SECRET)}, ${signFalkorPayload(BODY, SECRET)}`,
      'malformed',
    ],
  ])('rejects a header that is %s before any HMAC work', (_, header, reason) => {
    expect(checkFalkorSignature(BODY, header, SECRET)).toEqual({ valid: false, reason });
    expect(createHmac).not.toHaveBeenCalled();
    expect(timingSafeEqual).not.toHaveBeenCalled();
  });

  it('rejects the signature of another secret as a mismatch', () => {
    expect(checkFalkorSignature(BODY, signFalkorPayload(BODY, 'other'), SECRET)).toEqual({
      valid: false,
      reason: 'mismatch',
    });
  });

  it.each(
    signatureVectors
      .filter((v) => v.body.length > 0)
      .flatMap((v) => {
        const text = v.body.toString('utf8').replace(/^\uFEFF/, '');
        const value = JSON.parse(text) as Record<string, unknown>;
        const reordered = Object.fromEntries(Object.entries(value).reverse());
        return [
          [`${v.name} re-serialised`, v, JSON.stringify(value)],
          [`${v.name} pretty-printed`, v, JSON.stringify(value, null, 2)],
          [`${v.name} with its keys reordered`, v, JSON.stringify(reordered)],
        ] as const;
      })
      .filter(([, vector, body]) => !Buffer.from(body).equals(vector.body)),
  )('rejects %s', (_, vector, body) => {
    expect(verifyFalkorSignature(vector.body, vector.signature, vector.secret)).toBe(true);
    expect(verifyFalkorSignature(body, vector.signature, vector.secret)).toBe(false);
  });

  it('rejects the PHP body with its \\/ and \\u00eb escapes undone', () => {
    const vector = signatureVectors.find((v) => v.name === 'php-json-encode-default')!;
    const undone = vector.body
      .toString('utf8')
      .replace(/\\\//g, '/')
      .replace(/\\u([0-9a-f]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    expect(undone).not.toBe(vector.body.toString('utf8'));
    expect(JSON.parse(undone)).toEqual(JSON.parse(vector.body.toString('utf8')));
    expect(verifyFalkorSignature(undone, vector.signature, vector.secret)).toBe(false);
  });

  it('verifies bytes that are not valid UTF-8 as they are', () => {
    const invalid = Buffer.from([0x7b, 0xc3, 0x28, 0xff, 0x7d]);
    const header = `sha256=${hmacHex(invalid, SECRET)}`;
    expect(verifyFalkorSignature(invalid, header, SECRET)).toBe(true);
    expect(verifyFalkorSignature(invalid.toString('utf8'), header, SECRET)).toBe(false);
  });

  describe('with several secrets (rotation)', () => {
    const header = signFalkorPayload(BODY, OLD);

    it('accepts the old secret while it is listed, naming it by index', () => {
      expect(checkFalkorSignature(BODY, header, [SECRET, OLD])).toEqual({
        valid: true,
        secretIndex: 1,
      });
    });

    it('names the matching secret by id when it has one', () => {
      expect(
        checkFalkorSignature(BODY, header, [
          { id: '2026-11', secret: SECRET },
          { id: '2026-05', secret: OLD },
        ]),
      ).toEqual({ valid: true, secretIndex: 1, secretId: '2026-05' });
    });

    it('rejects the old secret once it is removed', () => {
      expect(checkFalkorSignature(BODY, header, [SECRET])).toEqual({
        valid: false,
        reason: 'mismatch',
      });
    });

    it('tries each listed secret once', () => {
      checkFalkorSignature(BODY, signFalkorPayload(BODY, 'none'), [SECRET, OLD, 'third']);
      expect(createHmac).toHaveBeenCalledTimes(4);
      expect(timingSafeEqual).toHaveBeenCalledTimes(3);
    });
  });

  it.each([
    ['no secret', []],
    ['an empty secret', ''],
    ['an empty secret in a list', [SECRET, '']],
    ['a secret that is not a string', [SECRET, 42]],
    ['an id that is empty', [{ id: '', secret: SECRET }]],
    ['an id that is not a string', [{ id: 7, secret: SECRET }]],
    [
      'an id used twice',
      [
        { id: 'a', secret: SECRET },
        { id: 'a', secret: OLD },
      ],
    ],
  ])('throws a TypeError for %s, naming no secret', (_, secrets) => {
    const check = () =>
      checkFalkorSignature(BODY, signFalkorPayload(BODY, SECRET), secrets as never);
    expect(check).toThrow(TypeError);
    expect(check).not.toThrow(SECRET);
  });
});

describe('normalizeFalkorSecrets', () => {
  it('lists one secret, a list, and { id, secret } entries in their order', () => {
    expect(normalizeFalkorSecrets(SECRET)).toEqual([SECRET]);
    expect(normalizeFalkorSecrets({ id: 'a', secret: SECRET })).toEqual([
      { id: 'a', secret: SECRET },
    ]);
    expect(normalizeFalkorSecrets([OLD, { id: 'a', secret: SECRET }])).toEqual([
      OLD,
      { id: 'a', secret: SECRET },
    ]);
  });
});
