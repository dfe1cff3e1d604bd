import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';

const crypto = await import('node:crypto');
const createHmac = jest.fn(crypto.createHmac);
jest.unstable_mockModule('node:crypto', () => ({ ...crypto, createHmac }));

const { default: request } = await import('supertest');
const { signFalkorPayload } = await import('../../src/index.js');
const { createFalkorDelivery } = await import('../../src/testing/index.js');
const { adapters, createApp, RecordingListener, sendRawRequest, TEST_SECRET, webhookModule } =
  await import('../support/apps.js');

const PATH = '/webhooks/falkor';
const delivery = createFalkorDelivery('enrolments', { secret: TEST_SECRET });
const SIGNATURE = delivery.headers['Falkor-Webhook-Signature'];
const HEX = SIGNATURE.slice('sha256='.length);

describe.each(adapters)('the signature header on %s', (adapter) => {
  let app: INestApplication;
  let recorder: InstanceType<typeof RecordingListener>;

  beforeAll(async () => {
    app = await createApp(adapter, [webhookModule()], { providers: [RecordingListener] });
    recorder = app.get(RecordingListener);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    createHmac.mockClear();
  });

  function post(headers: Record<string, string | string[]>, body: string = delivery.body) {
    return request(app.getHttpServer())
      .post(PATH)
      .set({ 'Content-Type': 'application/json', ...headers })
      .send(body);
  }

  async function expectRefused(headers: Record<string, string | string[]>) {
    const before = recorder.received.length;
    const response = await post(headers);
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: 'Unauthorized', code: 'signature_invalid' });
    expect(JSON.stringify(response.body)).not.toContain(HEX);
    expect(JSON.stringify(response.body)).not.toContain(TEST_SECRET);
    expect(recorder.received).toHaveLength(before);
    return response;
  }

  it('accepts sha256=<64 lower-case hex> over the exact bytes; the listener runs once', async () => {
    const before = recorder.received.length;
    const response = await post({ 'Falkor-Webhook-Signature': SIGNATURE });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ received: true, type: 'enrolments', listeners: 1 });
    expect(recorder.received).toHaveLength(before + 1);
    expect(recorder.received[before].rawBody.toString('utf8')).toBe(delivery.body);
    expect(createHmac).toHaveBeenCalledTimes(1);
  });

  it('accepts upper-case hex', async () => {
    const before = recorder.received.length;
    const response = await post({ 'Falkor-Webhook-Signature': `sha256=${HEX.toUpperCase()}` });
    expect(response.status).toBe(200);
    expect(recorder.received).toHaveLength(before + 1);
  });

  it.each([
    ['missing', {}],
    ['empty', { 'Falkor-Webhook-Signature': '' }],
    ['the prefix alone', { 'Falkor-Webhook-Signature': 'sha256=' }],
    ['bare hex without prefix', { 'Falkor-Webhook-Signature': HEX }],
    ['sha1=…', { 'Falkor-Webhook-Signature': `sha1=${HEX.slice(0, 40)}` }],
    ['63 hex digits', { 'Falkor-Webhook-Signature': SIGNATURE.slice(0, -1) }],
    ['65 hex digits', { 'Falkor-Webhook-Signature': `${SIGNATURE}0` }],
    ['non-hex', { 'Falkor-Webhook-Signature': `${SIGNATURE.slice(0, -1)}g` }],
    ['8 KiB long', { 'Falkor-Webhook-Signature': `sha256=${HEX.repeat(128)}` }],
  ])('answers 401 to a header that is %s, without any HMAC work', async (_, headers) => {
    await expectRefused(headers);
    expect(createHmac).not.toHaveBeenCalled();
  });

  it('answers 401 to the header sent twice (joined as "a, b"), without any HMAC work', async () => {
    await expectRefused({ 'Falkor-Webhook-Signature': [SIGNATURE, SIGNATURE] });
    expect(createHmac).not.toHaveBeenCalled();
  });

  it.each([
    ['a Latin-1 byte', Buffer.from(`${SIGNATURE.slice(0, -1)}\xe9`, 'latin1')],
    ['a two-byte UTF-8 character', Buffer.from(`${SIGNATURE.slice(0, -1)}é`, 'utf8')],
    ['a four-byte UTF-8 character', Buffer.from(`${SIGNATURE.slice(0, -2)}😀`, 'utf8')],
  ])('answers 401, never a 5xx, to a header of the right length ending in %s', async (_, value) => {
    const before = recorder.received.length;
    const response = await sendRawRequest(app, [
      Buffer.concat([
        Buffer.from(
          `POST ${PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(delivery.body)}\r\n` +
            'Falkor-Webhook-Signature: ',
        ),
        value,
        Buffer.from(`\r\n\r\n${delivery.body}`),
      ]),
    ]);
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body)).toMatchObject({
      error: 'Unauthorized',
      code: 'signature_invalid',
    });
    expect(recorder.received).toHaveLength(before);
    expect(createHmac).not.toHaveBeenCalled();
  });

  it.each([
    ['falkor-webhook-signature'],
    ['FALKOR-WEBHOOK-SIGNATURE'],
    ['fAlKoR-wEbHoOk-SiGnAtUrE'],
  ])('finds the header named %s', async (name) => {
    const before = recorder.received.length;
    expect((await post({ [name]: SIGNATURE })).status).toBe(200);
    expect(recorder.received).toHaveLength(before + 1);
  });

  it.each([['ByteKast-Webhook-Signature'], ['X-Hub-Signature-256'], ['Webhook-Signature']])(
    'does not count a valid signature in %s, a header it is not configured for',
    async (name) => {
      const response = await expectRefused({ [name]: SIGNATURE });
      expect(response.body.message).toContain('Falkor-Webhook-Signature');
    },
  );
});

describe.each(adapters)('white-label platforms on %s', (adapter) => {
  const sign = (body: string, secret = TEST_SECRET) => signFalkorPayload(body, secret);
  const wrong = sign(delivery.body, 'another-secret');

  describe('with platformName "ByteKast"', () => {
    let app: INestApplication;
    let recorder: InstanceType<typeof RecordingListener>;

    beforeAll(async () => {
      app = await createApp(adapter, [webhookModule({ platformName: 'ByteKast' })], {
        providers: [RecordingListener],
      });
      recorder = app.get(RecordingListener);
    });
    afterAll(() => app.close());

    it('reads ByteKast-Webhook-Signature and puts the platform on the event', async () => {
      const before = recorder.received.length;
      const response = await request(app.getHttpServer())
        .post(PATH)
        .set({ 'Content-Type': 'application/json', 'bytekast-webhook-signature': SIGNATURE })
        .send(delivery.body);
      expect(response.status).toBe(200);
      expect(recorder.received[before]).toMatchObject({
        platform: 'ByteKast',
        signatureHeader: 'ByteKast-Webhook-Signature',
      });
    });

    it('no longer reads Falkor-Webhook-Signature', async () => {
      const response = await request(app.getHttpServer())
        .post(PATH)
        .set(delivery.headers)
        .send(delivery.body);
      expect(response.status).toBe(401);
      expect(response.body.message).toContain('ByteKast-Webhook-Signature');
      expect(response.body.message).not.toContain('Falkor-Webhook-Signature');
    });
  });

  describe('with platformName ["ByteKast", "Falkor"]', () => {
    let app: INestApplication;
    let recorder: InstanceType<typeof RecordingListener>;

    beforeAll(async () => {
      app = await createApp(adapter, [webhookModule({ platformName: ['ByteKast', 'Falkor'] })], {
        providers: [RecordingListener],
      });
      recorder = app.get(RecordingListener);
    });
    afterAll(() => app.close());

    function post(headers: Record<string, string>) {
      return request(app.getHttpServer())
        .post(PATH)
        .set({ 'Content-Type': 'application/json', ...headers })
        .send(delivery.body);
    }

    it.each([['ByteKast'], ['Falkor']])('accepts %s alone', async (platform) => {
      const before = recorder.received.length;
      expect((await post({ [`${platform}-Webhook-Signature`]: SIGNATURE })).status).toBe(200);
      expect(recorder.received[before].platform).toBe(platform);
    });

    it('lets the first configured platform decide when both headers are present', async () => {
      const before = recorder.received.length;
      const valid = await post({
        'Falkor-Webhook-Signature': wrong,
        'ByteKast-Webhook-Signature': SIGNATURE,
      });
      expect(valid.status).toBe(200);
      expect(recorder.received[before].platform).toBe('ByteKast');
      const refused = await post({
        'Falkor-Webhook-Signature': SIGNATURE,
        'ByteKast-Webhook-Signature': wrong,
      });
      expect(refused.status).toBe(401);
      expect(recorder.received).toHaveLength(before + 1);
    });

    it('does not count TrainiApp-Webhook-Signature', async () => {
      const response = await post({ 'TrainiApp-Webhook-Signature': SIGNATURE });
      expect(response.status).toBe(401);
      expect(response.body.message).toContain(
        'ByteKast-Webhook-Signature or Falkor-Webhook-Signature',
      );
    });
  });
});
