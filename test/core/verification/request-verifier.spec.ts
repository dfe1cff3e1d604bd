import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';

const crypto = await import('node:crypto');
const createHmac = jest.fn(crypto.createHmac);
jest.unstable_mockModule('node:crypto', () => ({ ...crypto, createHmac }));

const {
  FalkorBodyTooLargeError,
  FalkorConfigurationError,
  FalkorSignatureError,
  FalkorUnsupportedMediaTypeError,
  signFalkorPayload,
} = await import('../../../src/index.js');
const { verifyFalkorRequest } = await import('../../../src/core/verification/request-verifier.js');
const { prepareFalkorSignatureHeaders } =
  await import('../../../src/nest/falkor-webhook.settings.js');

type Settings = Parameters<typeof verifyFalkorRequest>[1];
type Request = Parameters<typeof verifyFalkorRequest>[0];

const SECRET = 'whsec-unit';
const BODY = Buffer.from('{"type":"enrolments"}');
const LIMIT = 1024;

let secretsCalls = 0;

function settings(overrides: Partial<Settings> = {}): Settings {
  return {
    headers: prepareFalkorSignatureHeaders(undefined, 'test'),
    maxBodyBytes: LIMIT,
    secretsFor: () => {
      secretsCalls++;
      return [SECRET];
    },
    ...overrides,
  };
}

function request(headers: IncomingHttpHeaders, extra: Partial<Request> = {}): Request {
  return {
    headers: { 'content-type': 'application/json', ...headers },
    rawBody: BODY,
    ...extra,
  };
}

const signed = { 'falkor-webhook-signature': signFalkorPayload(BODY, SECRET) };

async function refusal(verify: () => unknown): Promise<Error> {
  try {
    await verify();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal');
}

beforeEach(() => {
  createHmac.mockClear();
  secretsCalls = 0;
});

describe('verifyFalkorRequest', () => {
  it('accepts a signed request and tells what verified', async () => {
    expect(await verifyFalkorRequest(request(signed), settings())).toEqual({
      rawBody: BODY,
      platform: 'Falkor',
      signatureHeader: 'Falkor-Webhook-Signature',
      secretIndex: 0,
    });
    expect(createHmac).toHaveBeenCalledTimes(1);
  });

  it('reads the raw bytes from a Buffer body when a raw parser was mounted', async () => {
    const verified = await verifyFalkorRequest(
      request(signed, { rawBody: undefined, body: BODY }),
      settings(),
    );
    expect(verified.rawBody).toBe(BODY);
  });

  describe('a body no parser took (Express leaves text/plain and no Content-Type to the route)', () => {
    function unread(headers: IncomingHttpHeaders, chunks: readonly Buffer[]): Request {
      return Object.assign(Readable.from(chunks), { headers });
    }

    it('is read from the request stream and verified over its exact bytes', async () => {
      const verified = await verifyFalkorRequest(
        unread({ 'content-type': 'text/plain', ...signed }, [
          BODY.subarray(0, 5),
          BODY.subarray(5),
        ]),
        settings(),
      );
      expect(verified.rawBody.equals(BODY)).toBe(true);
      expect(verified.secretIndex).toBe(0);
    });

    it('is refused with 413 once it passes maxBodyBytes, without any HMAC work', async () => {
      const half = Buffer.alloc(LIMIT / 2 + 1, 0x20);
      const error = await refusal(() =>
        verifyFalkorRequest(unread({ ...signed }, [half, half]), settings()),
      );
      expect(error).toBeInstanceOf(FalkorBodyTooLargeError);
      expect(createHmac).not.toHaveBeenCalled();
    });
  });

  it('prefers rawBody over a parsed body', async () => {
    const verified = await verifyFalkorRequest(
      request(signed, { body: { type: 'enrolments' } }),
      settings(),
    );
    expect(verified.rawBody).toBe(BODY);
  });

  it('names the secret by index and id', async () => {
    const header = signFalkorPayload(BODY, 'old');
    const verified = await verifyFalkorRequest(
      request({ 'falkor-webhook-signature': header }),
      settings({
        secretsFor: () => [
          { id: 'new', secret: SECRET },
          { id: 'old', secret: 'old' },
        ],
      }),
    );
    expect(verified).toMatchObject({ secretIndex: 1, secretId: 'old' });
  });

  describe('checks in the order that spends least on a bad request', () => {
    it('415 before anything else', async () => {
      const error = await refusal(() =>
        verifyFalkorRequest(
          request(
            { 'content-type': 'application/xml', 'content-length': '999999' },
            { rawBody: undefined },
          ),
          settings(),
        ),
      );
      expect(error).toBeInstanceOf(FalkorUnsupportedMediaTypeError);
      expect(error).toMatchObject({ status: 415 });
    });

    it('413 before the raw body check, the header and any HMAC, from the declared length', async () => {
      const error = await refusal(() =>
        verifyFalkorRequest(
          request({ 'content-length': String(LIMIT + 1) }, { rawBody: undefined }),
          settings(),
        ),
      );
      expect(error).toBeInstanceOf(FalkorBodyTooLargeError);
      expect(error).toMatchObject({ status: 413, limit: LIMIT });
      expect(secretsCalls).toBe(0);
      expect(createHmac).not.toHaveBeenCalled();
    });

    it('413 from the actual length when no Content-Length was sent (chunked)', async () => {
      const big = Buffer.alloc(LIMIT + 1, 0x20);
      const error = await refusal(() =>
        verifyFalkorRequest(
          request({ 'falkor-webhook-signature': signFalkorPayload(big, SECRET) }, { rawBody: big }),
          settings(),
        ),
      );
      expect(error).toBeInstanceOf(FalkorBodyTooLargeError);
      expect(secretsCalls).toBe(0);
      expect(createHmac).toHaveBeenCalledTimes(1);
    });

    it('accepts a body of exactly maxBodyBytes', async () => {
      const exact = Buffer.alloc(LIMIT, 0x20);
      expect(
        await verifyFalkorRequest(
          request(
            {
              'falkor-webhook-signature': signFalkorPayload(exact, SECRET),
              'content-length': String(LIMIT),
            },
            { rawBody: exact },
          ),
          settings(),
        ),
      ).toMatchObject({ secretIndex: 0 });
    });

    it('500 naming the fix when the raw body is unavailable, before the header', async () => {
      const error = await refusal(() =>
        verifyFalkorRequest(
          request({}, { rawBody: undefined, body: { type: 'enrolments' } }),
          settings(),
        ),
      );
      expect(error).toBeInstanceOf(FalkorConfigurationError);
      expect(error).toMatchObject({ status: 500 });
      expect(error.message).toContain('rawBody: true');
      expect(error.message).toContain('express.raw');
      expect(secretsCalls).toBe(0);
    });

    it('401 for a malformed header before asking for secrets or computing an HMAC', async () => {
      const error = await refusal(() =>
        verifyFalkorRequest(
          request({ 'falkor-webhook-signature': `sha256=${'a'.repeat(8192)}` }),
          settings(),
        ),
      );
      expect(error).toBeInstanceOf(FalkorSignatureError);
      expect(error).toMatchObject({ status: 401, reason: 'malformed' });
      expect(secretsCalls).toBe(0);
      expect(createHmac).not.toHaveBeenCalled();
    });

    it('401 for a wrong signature after the HMAC', async () => {
      const error = await refusal(() =>
        verifyFalkorRequest(
          request({ 'falkor-webhook-signature': signFalkorPayload(BODY, 'other') }),
          settings(),
        ),
      );
      expect(error).toMatchObject({ status: 401, reason: 'mismatch' });
      expect(secretsCalls).toBe(1);
    });
  });

  it('verifies an empty body without a raw body when Content-Length is 0', async () => {
    const empty = Buffer.alloc(0);
    const verified = await verifyFalkorRequest(
      request(
        { 'content-length': '0', 'falkor-webhook-signature': signFalkorPayload(empty, SECRET) },
        { rawBody: undefined },
      ),
      settings(),
    );
    expect(verified.rawBody).toHaveLength(0);
  });

  it('takes a request with neither Content-Length nor Transfer-Encoding as an empty body (Fastify gives none)', async () => {
    const empty = Buffer.alloc(0);
    const unsigned = await refusal(() => verifyFalkorRequest({ headers: {} }, settings()));
    expect(unsigned).toBeInstanceOf(FalkorSignatureError);
    expect(unsigned).toMatchObject({ status: 401, reason: 'missing' });
    const verified = await verifyFalkorRequest(
      { headers: { 'falkor-webhook-signature': signFalkorPayload(empty, SECRET) } },
      settings(),
    );
    expect(verified.rawBody).toHaveLength(0);
  });

  it('still names the fix when a chunked body left no raw bytes', async () => {
    const error = await refusal(() =>
      verifyFalkorRequest(
        request({ 'transfer-encoding': 'chunked', ...signed }, { rawBody: undefined }),
        settings(),
      ),
    );
    expect(error).toBeInstanceOf(FalkorConfigurationError);
  });

  it.each([
    ['missing', {}, 'missing'],
    ['empty', { 'falkor-webhook-signature': '' }, 'missing'],
    [
      'sent twice and joined',
      {
        'falkor-webhook-signature': `${signed['falkor-webhook-signature']}, ${signed['falkor-webhook-signature']}`,
      },
      'malformed',
    ],
    [
      'an array',
      { 'falkor-webhook-signature': [signed['falkor-webhook-signature']] as unknown as string },
      'malformed',
    ],
  ])('refuses a header that is %s with 401 and one generic message', async (_, headers, reason) => {
    const error = await refusal(() => verifyFalkorRequest(request(headers), settings()));
    expect(error).toBeInstanceOf(FalkorSignatureError);
    expect(error).toMatchObject({ status: 401, reason });
    expect(error.message).toBe(
      'Webhook signature verification failed: send the Falkor-Webhook-Signature header as ' +
        '"sha256=<hex HMAC-SHA256 of the exact request body>" made with this webhook\'s secret.',
    );
  });

  it('refuses with 401 when the resolver has no secret for the delivery', async () => {
    const error = await refusal(() =>
      verifyFalkorRequest(request(signed), settings({ secretsFor: () => [] })),
    );
    expect(error).toMatchObject({ status: 401, reason: 'mismatch' });
    expect(createHmac).not.toHaveBeenCalled();
  });

  describe('with several platforms', () => {
    const platforms = settings({
      headers: prepareFalkorSignatureHeaders(['ByteKast', 'Falkor'], 'test'),
    });
    const bytekast = { 'bytekast-webhook-signature': signFalkorPayload(BODY, SECRET) };

    it('reads each configured header and reports the platform that verified', async () => {
      expect(await verifyFalkorRequest(request(bytekast), platforms)).toMatchObject({
        platform: 'ByteKast',
        signatureHeader: 'ByteKast-Webhook-Signature',
      });
      expect(await verifyFalkorRequest(request(signed), platforms)).toMatchObject({
        platform: 'Falkor',
      });
    });

    it('lets the first configured platform whose header is present decide', async () => {
      const both = {
        'bytekast-webhook-signature': signFalkorPayload(BODY, 'wrong'),
        ...signed,
      };
      const error = await refusal(() => verifyFalkorRequest(request(both), platforms));
      expect(error).toMatchObject({ status: 401, reason: 'mismatch' });
      const reversed = settings({
        headers: prepareFalkorSignatureHeaders(['Falkor', 'ByteKast'], 'test'),
      });
      expect(await verifyFalkorRequest(request(both), reversed)).toMatchObject({
        platform: 'Falkor',
      });
    });

    it('ignores the headers of platforms that are not configured', async () => {
      const error = await refusal(() =>
        verifyFalkorRequest(
          request({
            'trainiapp-webhook-signature': signFalkorPayload(BODY, SECRET),
            'x-hub-signature-256': signFalkorPayload(BODY, SECRET),
          }),
          platforms,
        ),
      );
      expect(error).toMatchObject({ status: 401, reason: 'missing' });
      expect(error.message).toContain('ByteKast-Webhook-Signature or Falkor-Webhook-Signature');
    });
  });
});
