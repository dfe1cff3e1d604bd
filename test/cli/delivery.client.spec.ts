import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeDeliveryError, postDelivery } from '../../src/cli/delivery.client.js';

interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

describe('postDelivery', () => {
  const received: Received[] = [];
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks) });
        if (request.url === '/silent') {
          return;
        }
        if (request.url === '/moved') {
          response.writeHead(307, { Location: '/elsewhere' }).end();
          return;
        }
        response.writeHead(202, 'Accepted', { 'Content-Type': 'text/plain' }).end('ok é');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('POSTs the exact bytes with the headers and reads the whole answer', async () => {
    const body = Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d, 0x0a]);
    const outcome = await postDelivery({
      url: new URL(`${base}/webhooks/falkor`),
      body,
      headers: { 'Content-Type': 'application/json', 'Falkor-Webhook-Signature': 'sha256=00' },
      timeoutMs: 5000,
    });
    expect(outcome).toMatchObject({
      kind: 'answer',
      status: 202,
      statusText: 'Accepted',
      body: 'ok é',
    });
    expect(outcome.latencyMs).toBeGreaterThan(0);
    const last = received.at(-1)!;
    expect(last.body.equals(body)).toBe(true);
    expect(last.headers['falkor-webhook-signature']).toBe('sha256=00');
    expect(last.headers['content-length']).toBe(String(body.length));
  });

  it('does not follow redirects', async () => {
    const before = received.length;
    const outcome = await postDelivery({
      url: new URL(`${base}/moved`),
      body: Buffer.from('{}'),
      headers: {},
      timeoutMs: 5000,
    });
    expect(outcome).toMatchObject({ kind: 'answer', status: 307 });
    expect(received).toHaveLength(before + 1);
  });

  it('gives up after its timeout', async () => {
    const outcome = await postDelivery({
      url: new URL(`${base}/silent`),
      body: Buffer.from('{}'),
      headers: {},
      timeoutMs: 50,
    });
    expect(outcome).toMatchObject({ kind: 'error', cause: 'timeout' });
    expect(outcome.kind === 'error' && outcome.message).toContain(
      'within 50 ms (raise it with --timeout <ms>)',
    );
  });
});

describe('describeDeliveryError', () => {
  const request = { url: new URL('http://localhost:3000/webhooks/falkor'), timeoutMs: 10 };

  it.each([
    ['ECONNREFUSED', 'connection refused: is the app running and listening on that port?'],
    ['ENOTFOUND', 'the host name does not resolve: check the URL'],
    ['EPROTO', 'EPROTO'],
  ])('explains %s', (code, hint) => {
    expect(describeDeliveryError(Object.assign(new Error('x'), { code }), request, false)).toEqual({
      cause: code,
      message: `Could not deliver to http://localhost:3000/webhooks/falkor: ${hint}`,
    });
  });

  it('reads the code of an error that gathers several attempts', () => {
    const error = new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })]);
    expect(describeDeliveryError(error, request, false).cause).toBe('ECONNREFUSED');
  });

  it('falls back to the message of an error without a code', () => {
    expect(describeDeliveryError(new Error('socket hang up'), request, false)).toEqual({
      cause: 'error',
      message: 'Could not deliver to http://localhost:3000/webhooks/falkor: socket hang up',
    });
  });
});
