import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';

const crypto = await import('node:crypto');
const createHmac = jest.fn(crypto.createHmac);
jest.unstable_mockModule('node:crypto', () => ({ ...crypto, createHmac }));

const { EventEmitterModule } = await import('@nestjs/event-emitter');
const { createFalkorDelivery, falkorSampleEnrolment } = await import('../../src/testing/index.js');
const {
  adapters,
  createApp,
  createCustomApp,
  createQuickStartApp,
  postRaw,
  RecordingListener,
  sendRawRequest,
  TEST_SECRET,
  webhookModule,
} = await import('../support/apps.js');
const { signatureVectors } = await import('../support/vectors.js');

const PATH = '/webhooks/falkor';
const LIMIT = 4096;

/** Signs with node:crypto itself, so that the spy counts only the module's HMAC work. */
function signedHeaders(body: string | Buffer, contentType = 'application/json') {
  const digest = crypto.createHmac('sha256', TEST_SECRET).update(body).digest('hex');
  return { 'Content-Type': contentType, 'Falkor-Webhook-Signature': `sha256=${digest}` };
}

function head(headers: Record<string, string>): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `POST ${PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${lines.join('')}\r\n`;
}

function chunk(part: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n')]);
}

describe.each(adapters)('the body on %s', (adapter) => {
  let app: INestApplication;
  let recorder: InstanceType<typeof RecordingListener>;

  beforeAll(async () => {
    app = await createApp(adapter, [webhookModule({ maxBodyBytes: LIMIT })], {
      providers: [RecordingListener],
    });
    recorder = app.get(RecordingListener);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    createHmac.mockClear();
  });

  describe('re-serialised bodies', () => {
    const vector = signatureVectors.find((v) => v.name === 'php-json-encode-default')!;
    const text = vector.body.toString('utf8');
    const value = JSON.parse(text) as Record<string, unknown>;

    it.each([
      ['re-serialised by JSON.stringify', JSON.stringify(value)],
      ['with other whitespace', JSON.stringify(value, null, 1)],
      [
        'with its keys in another order',
        JSON.stringify(Object.fromEntries(Object.entries(value).reverse())),
      ],
      ['with the PHP \\/ escapes undone', text.replace(/\\\//g, '/')],
      [
        'with the PHP \\u00eb escapes undone',
        text.replace(/\\u([0-9a-f]{4})/g, (_, hex: string) =>
          String.fromCharCode(parseInt(hex, 16)),
        ),
      ],
    ])('answers 401 to the PHP body %s', async (_, body) => {
      expect(body).not.toBe(text);
      const before = recorder.received.length;
      const response = await postRaw(app, PATH, body, {
        'Content-Type': 'application/json',
        'Falkor-Webhook-Signature': vector.signature,
      });
      expect(response.status).toBe(401);
      expect(recorder.received).toHaveLength(before);
    });
  });

  describe('a multi-byte character split across TCP reads', () => {
    const delivery = createFalkorDelivery('enrolments', {
      secret: TEST_SECRET,
      overrides: { data: { enrolments: [falkorSampleEnrolment({ firstname: 'Zoë 🎓' })] } },
    });
    const bytes = Buffer.from(delivery.body, 'utf8');
    const split = bytes.indexOf(Buffer.from('ë')) + 1;
    const [first, second] = [bytes.subarray(0, split), bytes.subarray(split)];

    it('splits inside the character', () => {
      expect(first.at(-1)).toBe(0xc3);
      expect(second[0]).toBe(0xab);
    });

    it('passes with Content-Length', async () => {
      const before = recorder.received.length;
      const response = await sendRawRequest(
        app,
        [
          Buffer.concat([
            Buffer.from(head({ ...signedHeaders(bytes), 'Content-Length': String(bytes.length) })),
            first,
          ]),
          second,
        ],
        { awaitRequest: true },
      );
      expect(response.status).toBe(200);
      const event = recorder.received[before];
      expect(event.rawBody.equals(bytes)).toBe(true);
      expect(event.type).toBe('enrolments');
      if (event.type === 'enrolments') {
        expect(event.payload.data.enrolments[0].firstname).toBe('Zoë 🎓');
      }
    });

    it('passes with chunked transfer encoding', async () => {
      const before = recorder.received.length;
      const response = await sendRawRequest(
        app,
        [
          Buffer.concat([
            Buffer.from(head({ ...signedHeaders(bytes), 'Transfer-Encoding': 'chunked' })),
            chunk(first),
          ]),
          Buffer.concat([chunk(second), Buffer.from('0\r\n\r\n')]),
        ],
        { awaitRequest: true },
      );
      expect(response.status).toBe(200);
      expect(recorder.received[before].rawBody.equals(bytes)).toBe(true);
    });
  });

  it('verifies a correctly signed body with a UTF-8 BOM and removes the BOM before parsing', async () => {
    const vector = signatureVectors.find((v) => v.name === 'utf8-bom-prefix')!;
    const before = recorder.received.length;
    const response = await postRaw(app, PATH, vector.body, signedHeaders(vector.body));
    expect(response.status).toBe(200);
    const event = recorder.received[before];
    expect(event.rawBody.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(event.type).toBe(JSON.parse(vector.body.toString('utf8').slice(1)).type);
  });

  it.each([
    ['an empty body', Buffer.alloc(0)],
    ['a truncated multi-byte sequence', Buffer.from('{"type":"enrolments","n":"\xc3"}', 'latin1')],
    ['an overlong encoding', Buffer.from('{"type":"enrolments","n":"\xc0\xaf"}', 'latin1')],
  ])('answers 400, not 401, to %s that is correctly signed', async (_, body) => {
    const before = recorder.received.length;
    const response = await postRaw(app, PATH, body, signedHeaders(body));
    expect(response.status).toBe(400);
    expect(recorder.received).toHaveLength(before);
  });

  describe(`a body over maxBodyBytes (${LIMIT})`, () => {
    const body = JSON.stringify({ type: 'enrolments', padding: 'x'.repeat(LIMIT) });

    it('answers 413 from Content-Length without any HMAC work', async () => {
      const response = await postRaw(app, PATH, body, signedHeaders(body));
      expect(response.status).toBe(413);
      expect(response.body).toMatchObject({ error: 'Payload Too Large', code: 'body_too_large' });
      expect(response.body.message).toContain('maxBodyBytes');
      expect(createHmac).not.toHaveBeenCalled();
    });

    it('answers 413 to a chunked body without Content-Length, without any HMAC work', async () => {
      const bytes = Buffer.from(body);
      const response = await sendRawRequest(app, [
        Buffer.concat([
          Buffer.from(head({ ...signedHeaders(bytes), 'Transfer-Encoding': 'chunked' })),
          chunk(bytes.subarray(0, 1000)),
          chunk(bytes.subarray(1000)),
          Buffer.from('0\r\n\r\n'),
        ]),
      ]);
      expect(response.status).toBe(413);
      expect(JSON.parse(response.body)).toMatchObject({
        error: 'Payload Too Large',
        code: 'body_too_large',
      });
      expect(createHmac).not.toHaveBeenCalled();
    });

    it('accepts a body of exactly maxBodyBytes', async () => {
      // An unknown type is acknowledged: only the size and the signature are under test here.
      const prefix = '{"type":"certificates","padding":"';
      const exact = `${prefix}${'x'.repeat(LIMIT - prefix.length - 2)}"}`;
      expect(Buffer.byteLength(exact)).toBe(LIMIT);
      const response = await postRaw(app, PATH, exact, signedHeaders(exact));
      expect(response.status).toBe(200);
      expect(createHmac).toHaveBeenCalledTimes(1);
    });
  });

  describe('content types', () => {
    const delivery = createFalkorDelivery('enrolments', { secret: TEST_SECRET });

    it.each([
      ['image/png'],
      ['application/xml'],
      ['multipart/form-data; boundary=x'],
      ['text/html'],
    ])('answers 415 to %s, without any HMAC work', async (contentType) => {
      const before = recorder.received.length;
      const response = await postRaw(
        app,
        PATH,
        delivery.body,
        signedHeaders(delivery.body, contentType),
      );
      // Fastify refuses a type it has no parser for itself; the module's message is checked below.
      expect(response.status).toBe(415);
      expect(recorder.received).toHaveLength(before);
      expect(createHmac).not.toHaveBeenCalled();
    });

    it.each([['application/json; charset=utf-8'], ['Application/JSON']])(
      'accepts %s',
      async (contentType) => {
        const before = recorder.received.length;
        const response = await postRaw(
          app,
          PATH,
          delivery.body,
          signedHeaders(delivery.body, contentType),
        );
        expect(response.status).toBe(200);
        expect(recorder.received).toHaveLength(before + 1);
      },
    );
  });
});

describe.each(adapters)('a refused content type in the Quick start set-up on %s', (adapter) => {
  // Fastify's Quick start parsers take every content type, so that the module itself answers
  // (which content types are accepted is test/e2e/content-type.e2e.spec.ts's concern).
  let app: INestApplication;
  let recorder: InstanceType<typeof RecordingListener>;
  const delivery = createFalkorDelivery('enrolments', { secret: TEST_SECRET });

  beforeAll(async () => {
    app = await createQuickStartApp(adapter, [webhookModule()], [RecordingListener]);
    recorder = app.get(RecordingListener);
  });
  afterAll(() => app.close());

  it.each([['application/xml'], ['image/png'], ['multipart/form-data; boundary=x']])(
    'still answers 415 to %s, naming what it takes, without any HMAC work',
    async (contentType) => {
      createHmac.mockClear();
      const before = recorder.received.length;
      const response = await postRaw(
        app,
        PATH,
        delivery.body,
        signedHeaders(delivery.body, contentType),
      );
      expect(response.status).toBe(415);
      expect(response.body.message).toBe(
        'Webhook deliveries are JSON: send them with no Content-Type or as application/json, ' +
          'application/*+json, text/json, text/plain or application/x-www-form-urlencoded; ' +
          `got "${contentType}".`,
      );
      expect(createHmac).not.toHaveBeenCalled();
      expect(recorder.received).toHaveLength(before);
    },
  );
});

describe.each(adapters)('a signed body holding "__proto__" on %s', (adapter) => {
  const body =
    '{"type":"enrolments","__proto__":{"polluted":"top"},' +
    JSON.stringify(createFalkorDelivery('enrolments', { secret: TEST_SECRET }).payload).slice(
      1,
      -1,
    ) +
    ',"constructor":{"prototype":{"polluted":"constructor"}}}';

  function expectNoPollution(): void {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  }

  it('pollutes nothing: accepted without the keys where the adapter lets it through', async () => {
    const app = await createApp(adapter, [webhookModule()], { providers: [RecordingListener] });
    try {
      const recorder = app.get(RecordingListener);
      const response = await postRaw(app, PATH, body, signedHeaders(body));
      expectNoPollution();
      if (adapter === 'express') {
        expect(response.status).toBe(200);
        const { payload } = recorder.received[0];
        expect(Object.prototype.hasOwnProperty.call(payload, '__proto__')).toBe(false);
        expect((payload as unknown as Record<string, unknown>).polluted).toBeUndefined();
      } else {
        // Fastify's own parser refuses such JSON (onProtoPoisoning: 'error') before the route.
        expect(response.status).toBe(400);
        expect(recorder.received).toHaveLength(0);
      }
    } finally {
      await app.close();
    }
  });
});

describe('Fastify with onProtoPoisoning: "remove"', () => {
  it('accepts the signed "__proto__" body and pollutes nothing', async () => {
    const payload = createFalkorDelivery('enrolments', { secret: TEST_SECRET }).payload;
    const body = `{"__proto__":{"polluted":"top"},${JSON.stringify(payload).slice(1)}`;
    const app = await createCustomApp('fastify', {
      imports: [EventEmitterModule.forRoot(), webhookModule()],
      providers: [RecordingListener],
      fastify: { onProtoPoisoning: 'remove' },
    });
    try {
      const response = await postRaw(app, PATH, body, signedHeaders(body));
      expect(response.status).toBe(200);
      const event = app.get(RecordingListener).received[0];
      expect(Object.prototype.hasOwnProperty.call(event.payload, '__proto__')).toBe(false);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});

describe('the adapters’ own body limits', () => {
  // An unknown type is acknowledged (200): only the adapters' limits are under test here.
  const big = JSON.stringify({ type: 'certificates', padding: 'x'.repeat(200 * 1024) });
  const huge = JSON.stringify({ type: 'certificates', padding: 'x'.repeat(1536 * 1024) });

  it('Express refuses more than 100 kB with 413 unless its JSON parser limit is raised', async () => {
    const defaults = await createApp('express', [webhookModule()]);
    const raised = await createCustomApp('express', {
      imports: [EventEmitterModule.forRoot(), webhookModule()],
      beforeListen: (app) =>
        (app as NestExpressApplication).useBodyParser('json', { limit: '2mb' }),
    });
    try {
      expect((await postRaw(defaults, PATH, big, signedHeaders(big))).status).toBe(413);
      expect((await postRaw(raised, PATH, big, signedHeaders(big))).status).toBe(200);
    } finally {
      await Promise.all([defaults.close(), raised.close()]);
    }
  });

  it('Fastify refuses more than its bodyLimit (1 MiB) with 413 unless it is raised', async () => {
    const module = () => webhookModule({ maxBodyBytes: 2 * 1024 * 1024 });
    const defaults = await createApp('fastify', [module()]);
    const raised = await createApp('fastify', [module()], { bodyLimit: 2 * 1024 * 1024 });
    try {
      expect((await postRaw(defaults, PATH, huge, signedHeaders(huge))).status).toBe(413);
      expect((await postRaw(raised, PATH, huge, signedHeaders(huge))).status).toBe(200);
    } finally {
      await Promise.all([defaults.close(), raised.close()]);
    }
  });
});
