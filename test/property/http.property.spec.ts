import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import { signFalkorPayload } from '../../src/index.js';
import {
  adapters,
  createQuickStartApp,
  postRaw,
  RecordingListener,
  sendRawRequest,
  TEST_SECRET,
  webhookModule,
} from '../support/apps.js';
import { CATALOG_TYPES, structuralMutation, validBody } from './catalog.arbitraries.js';

/** Runs per adapter: each one is a real HTTP request to one app that stays up. */
const HTTP_RUNS = 1000;

/** Runs per adapter of raw header bytes, each on a connection of its own. */
const RAW_RUNS = 200;

/** Any header value bytes but CR and LF, which would end the header line. */
const rawHeaderBytes = fc
  .uint8Array({ maxLength: 200 })
  .map((bytes) => Buffer.from(bytes.filter((byte) => byte !== 0x0d && byte !== 0x0a)));

/** Characters Node's HTTP client lets through in a header value (tab, visible ASCII, Latin-1). */
const headerCharacter = fc
  .oneof(
    fc.integer({ min: 0x20, max: 0x7e }),
    fc.integer({ min: 0x80, max: 0xff }),
    fc.constant(0x09),
  )
  .map((code) => String.fromCharCode(code));

const headerText = fc.oneof(
  fc.string({ unit: headerCharacter, maxLength: 120 }),
  fc
    .string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: 62, maxLength: 66 })
    .map((hex) => `sha256=${hex}`),
);

/** The catalog's types, and one it does not have. */
const eventType = fc.constantFrom('enrolments', 'events', 'rewards', 'certificates');

const body = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)),
  fc
    .tuple(eventType, fc.jsonValue())
    .map(([type, data]) => Buffer.from(JSON.stringify({ type, data }))),
  fc
    .tuple(eventType, fc.jsonValue())
    .map(([type, records]) =>
      Buffer.from(JSON.stringify({ type, data: { pathway: { ID: 'FA-1' }, [type]: records } })),
    ),
  fc.oneof(eventType, fc.jsonValue()).map((type) => Buffer.from(JSON.stringify({ type }))),
  fc
    .constantFrom(...CATALOG_TYPES)
    .chain((type) =>
      fc.oneof(
        validBody(type),
        structuralMutation(type).map((m) => m.body),
      ),
    )
    .map((delivery) => Buffer.from(JSON.stringify(delivery))),
);

describe.each(adapters)('any delivery over HTTP to %s (property-based)', (adapter) => {
  let app: INestApplication;

  beforeAll(async () => {
    // The README's Quick start set-up: with `rawBody: true` alone, Fastify's own text/plain parser
    // keeps no raw bytes, and the module answers that documented configuration error with 500.
    app = await createQuickStartApp(
      adapter,
      [webhookModule({ platformName: ['Falkor', 'ByteKast'], maxBodyBytes: 1024 })],
      [RecordingListener],
    );
  });
  afterAll(() => app.close());

  it(`never answers 5xx (${HTTP_RUNS} requests)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          body,
          signed: fc.boolean(),
          falkor: fc.option(headerText, { nil: undefined }),
          bytekast: fc.option(headerText, { nil: undefined }),
          contentType: fc.oneof(
            fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain'),
            fc.string({ unit: headerCharacter, maxLength: 40 }),
          ),
        }),
        async ({ body, signed, falkor, bytekast, contentType }) => {
          const headers: Record<string, string> = { 'Content-Type': contentType };
          const signature = signed ? signFalkorPayload(body, TEST_SECRET) : falkor;
          if (signature !== undefined) {
            headers['Falkor-Webhook-Signature'] = signature;
          }
          if (bytekast !== undefined) {
            headers['ByteKast-Webhook-Signature'] = bytekast;
          }
          const response = await postRaw(app, '/webhooks/falkor', body, headers);
          expect(response.status).toBeGreaterThanOrEqual(200);
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: HTTP_RUNS },
    );
  });

  it(`never answers 5xx to raw header bytes (${RAW_RUNS} requests)`, async () => {
    const payload = Buffer.from(JSON.stringify({ type: 'pathway.archived' }));
    await fc.assert(
      fc.asyncProperty(rawHeaderBytes, fc.boolean(), async (value, signedPrefix) => {
        const signature = signedPrefix
          ? Buffer.concat([
              Buffer.from(signFalkorPayload(payload, TEST_SECRET).slice(0, 40)),
              value,
            ])
          : value;
        const response = await sendRawRequest(app, [
          Buffer.concat([
            Buffer.from(
              'POST /webhooks/falkor HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n' +
                `Content-Type: application/json\r\nContent-Length: ${payload.length}\r\n` +
                'Falkor-Webhook-Signature: ',
            ),
            signature,
            Buffer.from('\r\n\r\n'),
            payload,
          ]),
        ]);
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: RAW_RUNS },
    );
  });
});
