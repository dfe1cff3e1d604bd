import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { IncomingHttpHeaders } from 'node:http';
import { PassThrough } from 'node:stream';

const crypto = await import('node:crypto');
const createHmac = jest.fn(crypto.createHmac);
jest.unstable_mockModule('node:crypto', () => ({ ...crypto, createHmac }));

const { signFalkorPayload } = await import('../../../src/index.js');
const { FalkorUnsupportedEncodingError, checkFalkorContentEncoding, isIdentityFalkorEncoding } =
  await import('../../../src/core/verification/content-encoding.js');
const { verifyFalkorRequest } = await import('../../../src/core/verification/request-verifier.js');
const { prepareFalkorSignatureHeaders } =
  await import('../../../src/nest/falkor-webhook.settings.js');

const SECRET = 'whsec-unit';
const BODY = Buffer.from('{"type":"rewards"}');
// Signed once here: the spy then counts only the module's HMAC work.
const SIGNATURE = signFalkorPayload(BODY, SECRET);
const settings = {
  headers: prepareFalkorSignatureHeaders(undefined, 'test'),
  maxBodyBytes: 1024,
  secretsFor: () => [SECRET],
};

beforeEach(() => {
  createHmac.mockClear();
});

describe('isIdentityFalkorEncoding', () => {
  it.each([undefined, '', 'identity', 'IDENTITY', ' identity ', 'identity, identity'])(
    'takes %j as an uncompressed body',
    (encoding) => {
      expect(isIdentityFalkorEncoding(encoding)).toBe(true);
    },
  );

  it.each(['gzip', 'x-gzip', 'deflate', 'br', 'zstd', 'compress', 'identity, gzip', 'gzip;q=1'])(
    'takes %j as a compressed one',
    (encoding) => {
      expect(isIdentityFalkorEncoding(encoding)).toBe(false);
    },
  );
});

describe('checkFalkorContentEncoding', () => {
  it('refuses a compressed body with 415 saying the platform documents no compression', () => {
    const check = () => checkFalkorContentEncoding({ 'content-encoding': 'gzip' });
    expect(check).toThrow(FalkorUnsupportedEncodingError);
    expect(check).toThrow('the platform documents no compression');
    try {
      check();
    } catch (error) {
      expect(error).toMatchObject({
        status: 415,
        code: 'unsupported_media_type',
        contentEncoding: 'gzip',
      });
    }
  });

  it("quotes a stranger's coding escaped and cut short", () => {
    const coding = `\u0085\u009b${'x'.repeat(15 * 1024)}`;
    const check = () => checkFalkorContentEncoding({ 'content-encoding': coding });
    expect(check).toThrow('"\\u0085\\u009bxxx');
    try {
      check();
    } catch (error) {
      expect((error as Error).message.length).toBeLessThan(400);
      expect((error as Error).message).not.toMatch(/[\u0085\u009b]/);
    }
  });
});

describe('verifyFalkorRequest with a Content-Encoding', () => {
  const signed = (headers: IncomingHttpHeaders) => ({
    headers: {
      'content-type': 'application/json',
      'falkor-webhook-signature': SIGNATURE,
      ...headers,
    },
    rawBody: BODY,
  });

  it('refuses a compressed body before any HMAC and before reading a byte of it', async () => {
    const stream = Object.assign(new PassThrough(), {
      headers: { 'content-encoding': 'gzip', 'content-length': String(BODY.length) },
    });
    await expect(
      verifyFalkorRequest(signed({ 'content-encoding': 'gzip' }), settings),
    ).rejects.toBeInstanceOf(FalkorUnsupportedEncodingError);
    await expect(verifyFalkorRequest(stream, settings)).rejects.toBeInstanceOf(
      FalkorUnsupportedEncodingError,
    );
    expect(stream.readableDidRead).toBe(false);
    expect(createHmac).not.toHaveBeenCalled();
  });

  it('verifies a body declared identity', async () => {
    const verified = await verifyFalkorRequest(
      signed({ 'content-encoding': 'identity' }),
      settings,
    );
    expect(verified.rawBody).toBe(BODY);
  });
});
