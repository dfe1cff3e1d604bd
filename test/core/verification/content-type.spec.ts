import { describe, expect, it } from '@jest/globals';
import { HttpException } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { falkorBodyParserOptions, FalkorBodyTooLargeError } from '../../../src/index.js';
import { isUnreadFalkorBody, readFalkorBody } from '../../../src/core/body/body.reader.js';
import { isJsonContentType } from '../../../src/core/verification/request-verifier.js';

describe('isJsonContentType', () => {
  it.each([
    undefined,
    '',
    'application/json',
    'application/json; charset=utf-8',
    ' APPLICATION/JSON ;charset=UTF-8',
    'application/vnd.falkor+json',
    'application/problem+json; charset=utf-8',
    'text/json',
    'text/plain',
    'text/plain;charset=utf-8',
    'application/x-www-form-urlencoded',
  ])('takes %j', (contentType) => {
    expect(isJsonContentType(contentType)).toBe(true);
  });

  it.each([
    'application/xml',
    'text/html',
    'multipart/form-data; boundary=x',
    'application/+json',
    'application/a/b+json',
    'application/json5',
    'json',
    'image/png',
  ])('refuses %j', (contentType) => {
    expect(isJsonContentType(contentType)).toBe(false);
  });
});

describe('readFalkorBody', () => {
  it('reads the exact bytes of an unread stream', async () => {
    const stream = new PassThrough();
    expect(isUnreadFalkorBody(stream)).toBe(true);
    const read = readFalkorBody(stream, 10);
    stream.write(Buffer.from([0xe2, 0x82]));
    stream.end(Buffer.from([0xac, 0x31]));
    expect(await read).toEqual(Buffer.from([0xe2, 0x82, 0xac, 0x31]));
    expect(isUnreadFalkorBody(stream)).toBe(false);
  });

  it('refuses a body as soon as it passes the limit', async () => {
    const stream = new PassThrough();
    const read = readFalkorBody(stream, 4);
    stream.write('12345');
    await expect(read).rejects.toBeInstanceOf(FalkorBodyTooLargeError);
  });

  it('is not a stream for a plain request object', () => {
    expect(isUnreadFalkorBody({ headers: {} })).toBe(false);
  });
});

describe('falkorBodyParserOptions', () => {
  const takes = (options: ReturnType<typeof falkorBodyParserOptions>, url: string) =>
    options.type({ url } as IncomingMessage);

  it('takes the webhook path and the paths below it, nothing else', () => {
    const options = falkorBodyParserOptions();
    expect(options).toMatchObject({ limit: 8 * 1024 * 1024, inflate: false });
    expect(takes(options, '/webhooks/falkor')).toBe(true);
    expect(takes(options, '/webhooks/falkor?x=1')).toBe(true);
    expect(takes(options, '/webhooks/falkor/FA-1')).toBe(true);
    expect(takes(options, '/webhooks/falkorx')).toBe(false);
    expect(takes(options, '/webhooks')).toBe(false);
    expect(takes(options, '/api/webhooks/falkor')).toBe(false);
  });

  it('takes a path of its own, slashes or not, and a limit', () => {
    const options = falkorBodyParserOptions('/api/hooks/', 1000);
    expect(options.limit).toBe(1000);
    expect(takes(options, '/api/hooks')).toBe(true);
    expect(takes(options, '/webhooks/falkor')).toBe(false);
  });

  it("throws the module's 415 for a compressed delivery to the webhook path, before reading it", () => {
    const options = falkorBodyParserOptions();
    const compressed = (url: string, encoding: string) =>
      options.type({ url, headers: { 'content-encoding': encoding } } as IncomingMessage);
    expect(() => compressed('/webhooks/falkor', 'gzip')).toThrow(HttpException);
    try {
      compressed('/webhooks/falkor/FA-1', 'br');
    } catch (error) {
      expect((error as HttpException).getStatus()).toBe(415);
      expect(JSON.stringify((error as HttpException).getResponse())).toContain(
        'unsupported_media_type',
      );
    }
    expect(compressed('/webhooks/falkor', 'identity')).toBe(true);
    // Other routes keep whatever the app does with compressed bodies.
    expect(compressed('/api/upload', 'gzip')).toBe(false);
  });
});
