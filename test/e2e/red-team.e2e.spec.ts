import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { MemoryFalkorDeduplicationStore, signFalkorPayload } from '../../src/index.js';
import { FALKOR_MAX_JSON_DEPTH } from '../../src/core/body/body.js';
import { falkorSamplePayload } from '../../src/testing/index.js';
import {
  adapters,
  type AdapterName,
  createApp,
  createQuickStartApp,
  postRaw,
  RecordingListener,
  RecordingLogger,
  sendRawRequest,
  TEST_SECRET,
  webhookModule,
} from '../support/apps.js';
import {
  EnrolmentLedger,
  enrolmentDelivery,
  gate,
  ledgerListener,
  uniqueEnrolmentId,
} from '../support/enrolment.ledger.js';

// The defects a red team found in issue 11, one block each, on both adapters.

const PATH = '/webhooks/falkor';

/** The machine code of a refusal: in `code` since issue 11, in `error` before. */
function refusalCode(body: unknown): unknown {
  const { code, error } = body as { code?: unknown; error?: unknown };
  return code ?? error;
}

/** C0 and C1 controls, DEL and the Unicode line separators: none may reach a log line raw. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function signed(body: string | Buffer, extra: Record<string, string> = {}) {
  return {
    'Content-Type': 'application/json',
    'Falkor-Webhook-Signature': signFalkorPayload(body, TEST_SECRET),
    ...extra,
  };
}

/** The head of a raw request to the webhook route, `Connection: close` included. */
function head(lines: readonly string[]): string {
  return [`POST ${PATH} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...lines, '', ''].join(
    '\r\n',
  );
}

describe.each(adapters)(
  'defect 1: an empty POST with neither Content-Length nor Transfer-Encoding, on %s',
  (adapter) => {
    const cases = [
      [
        'the default parsers',
        (logger: RecordingLogger) => createApp(adapter, [webhookModule()], { logger }),
      ],
      [
        "the Quick start's set-up",
        (logger: RecordingLogger) => createQuickStartApp(adapter, [webhookModule()], [], logger),
      ],
    ] as const;

    it.each(cases)('is a 401 with %s, with at most a warning', async (_, start) => {
      const logger = new RecordingLogger();
      const app = await start(logger);
      try {
        const response = await sendRawRequest(app, [head([])]);
        expect(response.status).toBe(401);
        expect(refusalCode(JSON.parse(response.body))).toBe('signature_invalid');
        expect(logger.at('error')).toEqual([]);
        expect(logger.at('warn')).toHaveLength(1);
        expect(logger.at('warn')[0]).toContain('signature missing');
      } finally {
        await app.close();
      }
    });
  },
);

/** `levels` objects (or arrays) nested in one another around `1`. */
function nested(levels: number, kind: 'object' | 'array'): string {
  return kind === 'object'
    ? `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`
    : `${'['.repeat(levels)}1${']'.repeat(levels)}`;
}

/** A signed `enrolments` delivery whose `data.pathway` holds an unknown field `deep`. */
function deepDelivery(deep: string): string {
  const payload = falkorSamplePayload('enrolments') as {
    data: { pathway: Record<string, unknown> };
  };
  const text = JSON.stringify({
    ...payload,
    data: { ...payload.data, pathway: { ...payload.data.pathway, deep: '<deep>' } },
  });
  return text.replace('"<deep>"', deep);
}

// The body's root object is level 1, `data` 2, `data.pathway` 3: `deep` adds its own levels.
const PATHWAY_LEVEL = 3;

describe.each(adapters)(
  'defect 2: a signed delivery nested thousands of levels deep, on %s',
  (adapter) => {
    let catalog: INestApplication;
    let stock: INestApplication;

    beforeAll(async () => {
      [catalog, stock] = await Promise.all([
        createApp(adapter, [webhookModule()], { providers: [RecordingListener] }),
        // validatorOptions send every delivery through class-transformer and class-validator.
        createApp(adapter, [webhookModule({ validatorOptions: { forbidUnknownValues: true } })], {
          providers: [RecordingListener],
        }),
      ]);
    });
    afterAll(() => Promise.all([catalog.close(), stock.close()]));

    const paths = [
      ['the compiled plan', () => catalog],
      ['the stock path', () => stock],
    ] as const;
    const deep = [
      ['5,000 objects', nested(5_000, 'object')],
      ['5,000 arrays', nested(5_000, 'array')],
      // Under Express's 100 kB JSON limit, so that the module, not the parser, answers.
      ['15,000 objects', nested(15_000, 'object')],
    ] as const;

    describe.each(paths)('through %s', (_, app) => {
      it.each(deep)('refuses %s with 400 payload_invalid before validation', async (__, value) => {
        const before = app().get(RecordingListener).received.length;
        const body = deepDelivery(value);
        const response = await postRaw(app(), PATH, body, signed(body));
        expect(response.status).toBe(400);
        expect(refusalCode(response.body)).toBe('payload_invalid');
        expect(response.body.message).toContain(`${FALKOR_MAX_JSON_DEPTH} levels`);
        expect(app().get(RecordingListener).received).toHaveLength(before);
      });

      it.each(['object', 'array'] as const)(
        'accepts %s nesting of exactly the documented depth',
        async (kind) => {
          const body = deepDelivery(nested(FALKOR_MAX_JSON_DEPTH - PATHWAY_LEVEL, kind));
          const response = await postRaw(app(), PATH, body, signed(body));
          expect(response.status).toBe(200);
          expect(response.body).toEqual({ received: true, type: 'enrolments', listeners: 1 });
        },
      );
    });
  },
);

describe.each(adapters)(
  'defect 3: 1,000+ distinct unknown types of 10 kB each, on %s',
  (adapter) => {
    const logger = new RecordingLogger();
    let app: INestApplication;
    const TYPES = 1_010;
    // Distinct in their first characters (the index), each over 10 kB, each with characters that
    // would break or forge a log line.
    const typeOf = (index: number) => `t${index}\u0085\u009b\n\u2028${'x'.repeat(10_240)}`;
    // Whatever its wording, a line about one of these types quotes its escaped start.
    const unknownTypeLines = () =>
      logger.at('warn').filter((line) => line.includes('\\u0085\\u009b'));
    beforeAll(async () => {
      app = await createApp(adapter, [webhookModule()], { logger });
    });
    afterAll(() => app.close());

    it('logs a bounded, escaped form of at most 1,000 of them, and acknowledges every one', async () => {
      const statuses: number[] = [];
      for (let start = 0; start < TYPES; start += 50) {
        const batch = Array.from({ length: Math.min(50, TYPES - start) }, (_, offset) => {
          const body = JSON.stringify({ type: typeOf(start + offset), data: {} });
          return postRaw(app, PATH, body, signed(body)).then((response) => response.status);
        });
        statuses.push(...(await Promise.all(batch)));
      }
      expect(statuses).toEqual(Array.from({ length: TYPES }, () => 200));
      const lines = unknownTypeLines();
      // The memory of reported types holds 1,000 at most: the last ten are acknowledged silently.
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.length).toBeLessThanOrEqual(1_000);
      expect(new Set(lines).size).toBe(lines.length);
      // At most one more line, saying that the memory is full.
      expect(logger.at('warn').length).toBeLessThanOrEqual(lines.length + 1);
      for (const line of logger.at('warn')) {
        expect(line.length).toBeLessThan(400);
        expect(line).not.toMatch(RAW_CONTROL);
      }
      for (const line of lines) {
        expect(line).toContain('\\u0085\\u009b\\u000a\\u2028xxx');
        expect(line).toContain('…');
      }
      expect(lines[0]).toContain('"t0\\u0085');
    });

    it('does not log a type again that it already reported', async () => {
      const before = unknownTypeLines().length;
      const body = JSON.stringify({ type: typeOf(0), data: {} });
      expect((await postRaw(app, PATH, body, signed(body))).status).toBe(200);
      expect(unknownTypeLines()).toHaveLength(before);
    });
  },
);

describe.each(adapters)(
  'defect 4: a 15 kB Content-Type with control characters, on %s',
  (adapter) => {
    const logger = new RecordingLogger();
    let app: INestApplication;

    beforeAll(async () => {
      app = await createQuickStartApp(adapter, [webhookModule()], [], logger);
    });
    afterAll(() => app.close());

    it('is refused with 415 and reaches the log escaped and cut short', async () => {
      // Header bytes are Latin-1: 0x85 and 0x9b arrive as U+0085 (NEL) and U+009B (CSI), a tab as is.
      const contentType = Buffer.concat([
        Buffer.from('application/xml; x="\x85\x9b\t', 'latin1'),
        Buffer.alloc(15 * 1024, 'a'),
        Buffer.from('"'),
      ]);
      const body = '{"type":"rewards"}';
      const response = await sendRawRequest(app, [
        Buffer.concat([
          Buffer.from(
            `POST ${PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
              `Content-Length: ${body.length}\r\n` +
              `Falkor-Webhook-Signature: ${signFalkorPayload(body, TEST_SECRET)}\r\nContent-Type: `,
          ),
          contentType,
          Buffer.from(`\r\n\r\n${body}`),
        ]),
      ]);
      expect(response.status).toBe(415);
      const refusals = logger.at('warn').filter((line) => line.includes('application/xml'));
      expect(refusals).toHaveLength(1);
      const [line] = refusals;
      expect(line.length).toBeLessThan(500);
      expect(line).not.toMatch(RAW_CONTROL);
      expect(line).toContain('\\u0085\\u009b\\u0009aaa');
      expect(line).toContain('…');
      expect(JSON.parse(response.body).message.length).toBeLessThan(500);
    });
  },
);

describe.each(adapters)('defect 5: a full memory de-duplication store, on %s', (adapter) => {
  const logger = new RecordingLogger();
  const ledger = new EnrolmentLedger();
  let app: INestApplication;

  beforeAll(async () => {
    app = await createApp(
      adapter,
      [
        webhookModule({
          deduplication: { store: new MemoryFalkorDeduplicationStore({ maxEntries: 2 }) },
        }),
      ],
      { providers: [ledgerListener(ledger)], logger },
    );
  });
  afterAll(() => app.close());

  const send = (delivery: { body: string; headers: Record<string, string> }) =>
    request(app.getHttpServer()).post(PATH).set(delivery.headers).send(delivery.body);

  it('never evicts a delivery in flight: a copy of a running one gets 409, a new one 503', async () => {
    const [first, second, third] = [uniqueEnrolmentId(), uniqueEnrolmentId(), uniqueEnrolmentId()];
    const holds = new Map([
      [first, gate()],
      [second, gate()],
    ]);
    // Only the first two are held: before the fix, the third ran (evicting the first) and returned.
    ledger.behaviour = (id) => holds.get(id)?.opened;
    const [running, other] = [first, second].map((id) =>
      send(enrolmentDelivery(id)).then((response) => response),
    );
    await Promise.all([ledger.whenEntered(first), ledger.whenEntered(second)]);

    // The store holds two reservations in flight: it is full, and none of them may go.
    const refused = await send(enrolmentDelivery(third));
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refusalCode(refused.body)).toBe('deduplication_unavailable');
    const copy = await send(enrolmentDelivery(first));
    expect(copy.status).toBe(409);
    expect(ledger.attempts.get(first)).toBe(1);
    expect(ledger.attempts.has(third)).toBe(false);
    const logged = [...logger.at('error'), ...logger.at('warn')].join('\n');
    expect(logged).toContain('full of deliveries in flight');
    expect(logged).toContain('maxEntries');

    // One after the other, so that the first is the record completed longest ago.
    holds.get(first)?.open();
    expect((await running).status).toBe(200);
    holds.get(second)?.open();
    expect((await other).status).toBe(200);

    // Full of completed records now: the older one makes room, and the retry is processed.
    const retried = await send(enrolmentDelivery(third));
    expect(retried.status).toBe(200);
    expect(retried.body.listeners).toBe(1);
    expect((await send(enrolmentDelivery(second))).body.duplicate).toBe(true);
    expect(ledger.processed.get(first)).toBe(1);
    expect(ledger.processed.get(third)).toBe(1);
  });
});

describe.each(adapters)('defect 7: a compressed body, on %s', (adapter) => {
  let plain: INestApplication;
  let quickStart: INestApplication;

  beforeAll(async () => {
    [plain, quickStart] = await Promise.all([
      createApp(adapter, [webhookModule()], { providers: [RecordingListener] }),
      createQuickStartApp(adapter, [webhookModule()], [RecordingListener]),
    ]);
  });
  afterAll(() => Promise.all([plain.close(), quickStart.close()]));

  const apps = [
    ['the default parsers', () => plain],
    ["the Quick start's set-up", () => quickStart],
  ] as const;
  const json = JSON.stringify(falkorSamplePayload('rewards'));
  // 10 MB of spaces inflate from about 10 kB: past both the JSON limit and maxBodyBytes.
  const bomb = gzipSync(`${json}${' '.repeat(10 * 1024 * 1024)}`);

  describe.each(apps)('with %s', (_, app) => {
    // Express's parsers run before the route (the JSON one inflates); Fastify's JSON parser would
    // answer a compressed body with a 400 of its own: the module's middleware refuses it first.
    it.each([
      ['gzip, signed over the inflated JSON', 'gzip', gzipSync(json), json],
      ['gzip, signed over the compressed bytes', 'gzip', gzipSync(json), gzipSync(json)],
      ['deflate', 'deflate', deflateSync(json), json],
      ['br', 'br', brotliCompressSync(json), json],
      ['GZIP in capitals', 'GZIP', gzipSync(json), json],
    ] as const)('refuses %s with 415 from the module', async (__, encoding, body, signedOver) => {
      const before = app().get(RecordingListener).received.length;
      const response = await postRaw(
        app(),
        PATH,
        body,
        signed(signedOver, { 'Content-Encoding': encoding }),
      );
      expect(response.status).toBe(415);
      expect(refusalCode(response.body)).toBe('unsupported_media_type');
      expect(response.body.message).toContain('no compression');
      expect(app().get(RecordingListener).received).toHaveLength(before);
    });

    // Express's default JSON parser answers a coding it cannot undo with a 415 of its own.
    it.each(['compress', 'identity, gzip', 'x-custom'])(
      'refuses Content-Encoding %s with 415, even over an uncompressed body',
      async (encoding) => {
        const before = app().get(RecordingListener).received.length;
        const response = await postRaw(
          app(),
          PATH,
          json,
          signed(json, { 'Content-Encoding': encoding }),
        );
        expect(response.status).toBe(415);
        expect(app().get(RecordingListener).received).toHaveLength(before);
      },
    );

    it.each(['identity', 'Identity', ''])('accepts Content-Encoding "%s"', async (encoding) => {
      const before = app().get(RecordingListener).received.length;
      const response = await postRaw(
        app(),
        PATH,
        json,
        signed(json, { 'Content-Encoding': encoding }),
      );
      expect(response.status).toBe(200);
      expect(app().get(RecordingListener).received).toHaveLength(before + 1);
    });
  });

  it("refuses a gzip bomb with the module's 415 in the Quick start's set-up, without inflating it", async () => {
    const before = quickStart.get(RecordingListener).received.length;
    const response = await postRaw(
      quickStart,
      PATH,
      bomb,
      signed(bomb, { 'Content-Encoding': 'gzip' }),
    );
    expect(response.status).toBe(415);
    expect(refusalCode(response.body)).toBe('unsupported_media_type');
    expect(quickStart.get(RecordingListener).received).toHaveLength(before);
  });
});

/**
 * Sends a request head declaring `length` body bytes, then one byte of the body each `everyMs`,
 * until the server answers or closes the connection. Resolves with what it received, how many body
 * bytes it had sent and how long it took.
 */
function trickle(
  app: INestApplication,
  length: number,
  everyMs: number,
): Promise<{ status: number; sent: number; elapsedMs: number }> {
  const { port } = (app.getHttpServer() as import('node:http').Server).address() as AddressInfo;
  return new Promise((resolve) => {
    const started = Date.now();
    const received: Buffer[] = [];
    let sent = 0;
    const socket = connect(port, '127.0.0.1');
    const timer = setInterval(() => {
      if (sent < length && socket.writable) {
        socket.write('{');
        sent++;
      }
    }, everyMs);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(Buffer.concat(received).toString('latin1'));
      resolve({ status: Number(status?.[1] ?? 0), sent, elapsedMs: Date.now() - started });
    });
    socket.write(
      head([
        'Content-Type: application/json',
        `Content-Length: ${length}`,
        `Falkor-Webhook-Signature: sha256=${'0'.repeat(64)}`,
      ]),
    );
  });
}

describe.each(adapters)(
  'defect 8: a body trickled slower than requestTimeout, on %s',
  (adapter) => {
    const REQUEST_TIMEOUT_MS = 500;
    const BODY_BYTES = 100;
    const EVERY_MS = 50;
    let app: INestApplication;

    beforeAll(async () => {
      app = await createQuickStartApp(adapter as AdapterName, [webhookModule()], [], false, {
        requestTimeout: REQUEST_TIMEOUT_MS,
        checkingInterval: 100,
      });
    });
    afterAll(() => app.close());

    // Sending the whole body would take 5 s; the test's own limit is the timeout plus Node's checks.
    it(
      'is cut off with 408 or a closed connection soon after the timeout',
      async () => {
        const result = await trickle(app, BODY_BYTES, EVERY_MS);
        expect([0, 408]).toContain(result.status);
        expect(result.sent).toBeLessThan(BODY_BYTES);
        expect(result.elapsedMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - EVERY_MS);
      },
      REQUEST_TIMEOUT_MS * 6,
    );
  },
);
