import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { signFalkorPayload } from '../../src/index.js';
import { falkorSampleEnrolment, falkorSamplePayload } from '../../src/testing/index.js';
import {
  adapters,
  createApp,
  createQuickStartApp,
  RecordingListener,
  RecordingLogger,
  sendRawRequest,
  TEST_SECRET,
  webhookModule,
} from '../support/apps.js';

const PATH = '/webhooks/falkor';

/** A signed POST of exact bytes with exactly the given Content-Type (or none), over raw TCP. */
function post(app: INestApplication, body: Buffer, contentType: string | undefined) {
  const headers = [
    `POST ${PATH} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Connection: close',
    `Content-Length: ${body.length}`,
    `Falkor-Webhook-Signature: ${signFalkorPayload(body, TEST_SECRET)}`,
    ...(contentType === undefined ? [] : [`Content-Type: ${contentType}`]),
  ];
  return sendRawRequest(app, [`${headers.join('\r\n')}\r\n\r\n`, body]);
}

const ACCEPTED = [
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'Application/JSON;charset=UTF-8',
  'application/vnd.falkor+json',
  'text/json',
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
];
const REFUSED = ['application/xml', 'multipart/form-data; boundary=x', 'image/png'];

/** A snapshot of `count` enrolments on one pathway, as the list API returns them. */
function snapshot(count: number): Buffer {
  const enrolments = Array.from({ length: count }, (_, index) =>
    falkorSampleEnrolment({
      email: `learner.${index}@example.com`,
      firstname: `Learner ${index}`,
      status: { progress: index % 101, state: index % 3 === 0 ? 'Complete' : 'In Progress' },
    }),
  );
  return Buffer.from(JSON.stringify(falkorSamplePayload('enrolments', { data: { enrolments } })));
}

describe.each(adapters)("the Quick start's set-up on %s", (adapter) => {
  let app: INestApplication;
  let recorder: RecordingListener;

  beforeAll(async () => {
    app = await createQuickStartApp(adapter, [webhookModule()], [RecordingListener]);
    recorder = app.get(RecordingListener);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    recorder.received.length = 0;
  });

  it.each(ACCEPTED)('accepts a signed delivery with Content-Type %s', async (contentType) => {
    const body = Buffer.from(JSON.stringify(falkorSamplePayload('rewards')));
    const response = await post(app, body, contentType);
    expect(response.status).toBe(200);
    expect(recorder.received).toHaveLength(1);
    expect(recorder.received[0].rawBody.equals(body)).toBe(true);
  });

  it.each(REFUSED)('refuses Content-Type %s with 415', async (contentType) => {
    const response = await post(app, Buffer.from('{"type":"rewards"}'), contentType);
    expect(response.status).toBe(415);
    expect(JSON.parse(response.body).message).toContain('text/plain');
    expect(recorder.received).toHaveLength(0);
  });

  it('accepts a snapshot of 5,000 enrolments (about 1.5 MB) in every accepted form', async () => {
    const body = snapshot(5000);
    expect(body.length).toBeGreaterThan(1_300_000);
    for (const contentType of [
      'application/json',
      'application/x-www-form-urlencoded',
      undefined,
    ]) {
      const response = await post(app, body, contentType);
      expect(response.status).toBe(200);
    }
    expect(recorder.received).toHaveLength(3);
    const { payload } = recorder.received[0] as { payload: { data: { enrolments: unknown[] } } };
    expect(payload.data.enrolments).toHaveLength(5000);
  });
});

describe.each(adapters)('a delivery larger than maxBodyBytes on %s', (adapter) => {
  let app: INestApplication;
  const logger = new RecordingLogger();

  beforeAll(async () => {
    app = await createQuickStartApp(
      adapter,
      [webhookModule({ maxBodyBytes: 1_000_000 })],
      [RecordingListener],
      logger,
    );
  });
  afterAll(() => app.close());

  it('gets 413 and a log line naming the option', async () => {
    const response = await post(app, snapshot(5000), 'application/json');
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body).message).toContain('maxBodyBytes');
    expect(logger.at('warn').some((line) => line.includes('"maxBodyBytes"'))).toBe(true);
    expect(app.get(RecordingListener).received).toHaveLength(0);
  });
});

describe("Express's default parsers without the Quick start's raw parser", () => {
  let app: INestApplication;
  let recorder: RecordingListener;

  beforeAll(async () => {
    app = await createApp('express', [webhookModule()], { providers: [RecordingListener] });
    recorder = app.get(RecordingListener);
  });
  afterAll(() => app.close());

  it.each([undefined, 'text/plain', 'text/json', 'application/vnd.falkor+json'])(
    'leave a body of Content-Type %s to the module, which reads it whole',
    async (contentType) => {
      recorder.received.length = 0;
      const body = Buffer.from(JSON.stringify(falkorSamplePayload('events')));
      const response = await post(app, body, contentType);
      expect(response.status).toBe(200);
      expect(recorder.received[0].rawBody.equals(body)).toBe(true);
    },
  );

  it('refuse a body the module reads past maxBodyBytes with 413', async () => {
    const small = await createApp('express', [webhookModule({ maxBodyBytes: 100 })]);
    const response = await post(
      small,
      Buffer.from(JSON.stringify(falkorSamplePayload('events'))),
      'text/plain',
    );
    expect(response.status).toBe(413);
    await small.close();
  });
});

describe("Fastify's own parsers without the Quick start's", () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createApp('fastify', [webhookModule()]);
  });
  afterAll(() => app.close());

  it('answer text/plain with a configuration error naming the parsers to register', async () => {
    const body = Buffer.from(JSON.stringify(falkorSamplePayload('events')));
    const response = await post(app, body, 'text/plain');
    expect(response.status).toBe(500);
    expect(JSON.parse(response.body).message).toContain("'text/plain', '*'");
  });
});
