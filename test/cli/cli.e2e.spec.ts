import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable, type INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  FALKOR_EVENT_TYPES,
  FALKOR_RECORD_EVENT_TYPES,
  type FalkorWebhookEvent,
  OnFalkorEvent,
  signFalkorPayload,
} from 'nestjs-falkor-webhook';
import {
  FALKOR_SAMPLE_PAYLOADS,
  FALKOR_TEST_SECRET,
  FalkorWebhookTestingModule,
} from 'nestjs-falkor-webhook/testing';
import { AppModule } from '../../sample/app.module.js';
import { DEVELOPMENT_SECRET } from '../../sample/sample.config.js';
import { docsDeliveryVectors } from '../support/vectors.js';
import { type BuiltPackage, buildPackage, runNode } from '../support/built-package.js';

/**
 * What the sample's record listeners log for the docs' example delivery of a type, the first time
 * it reaches the app (its voucher is `notified`, which the sample does not listen to).
 */
const SAMPLE_LOGS = {
  enrolments: 'test@example.com is In Progress (90%) on pathway FA-HCPG-06RF',
  events: 'ticket 8bd0705f-c640-4191-9a1c-1a8cc73ad949 for test@example.com to Event (2 booked)',
} as const;

@Injectable()
class Recorder {
  readonly received: FalkorWebhookEvent<'rewards'>[] = [];

  @OnFalkorEvent('rewards')
  record(event: FalkorWebhookEvent<'rewards'>): void {
    this.received.push(event);
  }
}

async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  return `${await app.getUrl()}/webhooks/falkor`.replace('[::1]', '127.0.0.1');
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('the falkor-webhook CLI, built and run against the sample app', () => {
  const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  let build: BuiltPackage;
  let cli: string;
  let sample: INestApplication;
  let sampleUrl: string;
  let recording: INestApplication;
  let recordingUrl: string;

  function run(args: readonly string[], options?: Parameters<typeof runNode>[2]) {
    return runNode(cli, args, options);
  }

  function sampleLogs(text: string): number {
    return log.mock.calls.filter((call) => String(call[0]).includes(text)).length;
  }

  beforeAll(async () => {
    build = await buildPackage();
    cli = join(build.dir, 'cli', 'main.js');
    sample = await NestFactory.create(AppModule.register(DEVELOPMENT_SECRET), {
      rawBody: true,
      logger: false,
    });
    sampleUrl = await listen(sample);
    recording = await NestFactory.create(
      {
        module: class RecordingAppModule {},
        imports: [FalkorWebhookTestingModule.forRoot({ platformName: ['Falkor', 'ByteKast'] })],
        providers: [Recorder],
      },
      { rawBody: true, logger: false },
    );
    recordingUrl = await listen(recording);
  });
  afterAll(async () => {
    await sample?.close();
    await recording?.close();
    await build?.remove();
    log.mockRestore();
  });

  it('builds an executable entry point with a node shebang', async () => {
    expect((await readFile(cli, 'utf8')).split('\n')[0]).toBe('#!/usr/bin/env node');
    await chmod(cli, 0o755);
    const { stdout } = await promisify(execFile)(cli, ['events', 'rewards']);
    expect(JSON.parse(stdout)).toEqual(FALKOR_SAMPLE_PAYLOADS.rewards);
  });

  it('sends a signed sample delivery and prints the status, latency and answer', async () => {
    const before = sampleLogs(SAMPLE_LOGS.enrolments);
    const result = await run([
      'send',
      sampleUrl,
      '--event',
      'enrolments',
      '--secret',
      DEVELOPMENT_SECRET,
    ]);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stderr).toContain(`POST ${sampleUrl}: enrolments`);
    const [status, body] = result.stdout.trim().split('\n');
    expect(status).toMatch(/^200 OK in \d+\.\d ms$/);
    expect(JSON.parse(body)).toEqual({
      received: true,
      type: 'enrolments',
      listeners: 2,
      changes: { fired: 2, alreadyDone: 0 },
    });
    expect(sampleLogs(SAMPLE_LOGS.enrolments)).toBe(before + 1);
  });

  it('sets the pathway of the sample with --pathway', async () => {
    const line = 'test2@example is In Progress (50%) on pathway FA-CLI-0001';
    const before = sampleLogs(line);
    const result = await run([
      'send',
      sampleUrl,
      '-e',
      'enrolments',
      '--pathway',
      'FA-CLI-0001',
      '-s',
      DEVELOPMENT_SECRET,
    ]);
    expect(result).toMatchObject({ code: 0 });
    expect(sampleLogs(line)).toBe(before + 1);
  });

  it('reads the secret from FALKOR_WEBHOOK_SECRET', async () => {
    const before = sampleLogs(SAMPLE_LOGS.events);
    const result = await run(['send', sampleUrl, '-e', 'events'], {
      env: { FALKOR_WEBHOOK_SECRET: DEVELOPMENT_SECRET },
    });
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('"type":"events"');
    expect(sampleLogs(SAMPLE_LOGS.events)).toBe(before + 1);
  });

  it('sends a delivery again: the sample fires none of its record events twice', async () => {
    const before = sampleLogs(SAMPLE_LOGS.events);
    const result = await run(['send', sampleUrl, '-e', 'events', '-s', DEVELOPMENT_SECRET]);
    expect(result).toMatchObject({ code: 0 });
    expect(JSON.parse(result.stdout.trim().split('\n')[1])).toMatchObject({
      listeners: 0,
      changes: { fired: 0, alreadyDone: 1 },
    });
    expect(sampleLogs(SAMPLE_LOGS.events)).toBe(before);
  });

  it('sends --count deliveries with --concurrency and prints progress and a summary', async () => {
    const before = recording.get(Recorder).received.length;
    const result = await run([
      'send',
      recordingUrl,
      '--event',
      'rewards',
      '--secret',
      FALKOR_TEST_SECRET,
      '--count',
      '12',
      '--concurrency',
      '3',
    ]);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stderr).toContain('12/12 sent');
    expect(result.stdout).toMatch(/^12 deliveries in \d+\.\d\d s \([\d.]+\/s\), concurrency 3\n/);
    expect(result.stdout).toContain('  status 200: 12\n');
    expect(result.stdout).toMatch(
      /latency p50 [\d.]+ ms, p99 [\d.]+ ms \(min [\d.]+ ms, max [\d.]+ ms\)/,
    );
    expect(recording.get(Recorder).received.length).toBe(before + 12);
  });

  it('exits with 1 and shows the answer when the receiver refuses the delivery', async () => {
    const single = await run(['send', sampleUrl, '-e', 'rewards', '-s', 'wrong-secret']);
    expect(single.code).toBe(1);
    expect(single.stdout).toMatch(/^401 Unauthorized in /);
    expect(single.stdout).toContain('"error":"Unauthorized","code":"signature_invalid"');
    const repeated = await run(['send', sampleUrl, '-e', 'rewards', '-s', 'wrong', '-n', '3']);
    expect(repeated.code).toBe(1);
    expect(repeated.stdout).toContain('  status 401: 3\n');
    expect(repeated.stdout).toContain('first 401 answer: {"statusCode":401');
  });

  it("sends a file's exact bytes in a white-label platform header", async () => {
    // The docs' rewards delivery as PHP pretty-prints it, with a BOM and a final newline: bytes
    // that JSON.stringify would never give back.
    const php = docsDeliveryVectors.find((v) => v.name === 'docs-rewards-php-pretty')!.body;
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), php, Buffer.from('\n')]);
    const file = join(build.dir, 'payload.json');
    await writeFile(file, bytes);
    const result = await run(['send', recordingUrl, '--file', file, '--platform', 'ByteKast'], {
      env: { FALKOR_WEBHOOK_SECRET: FALKOR_TEST_SECRET },
    });
    expect(result).toMatchObject({ code: 0 });
    expect(result.stderr).toContain(
      `${file}, ${bytes.length} bytes, signed in ByteKast-Webhook-Signature`,
    );
    const event = recording.get(Recorder).received.at(-1);
    expect(event?.platform).toBe('ByteKast');
    expect(event?.rawBody.equals(bytes)).toBe(true);
    expect(event?.payload.data.rewards[0].vouchers[0].expires).toBe('never');
  });

  it('explains a refused connection and exits with 1', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/webhooks/falkor`;
    const result = await run(['send', url, '-e', 'rewards', '-s', 's']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Could not deliver to ${url}: connection refused`);
  });

  it.each([
    [
      'a URL without a scheme',
      ['send', 'localhost:3000/webhooks/falkor', '-e', 'rewards', '-s', 's'],
      'is not an http(s) URL',
    ],
    [
      'a missing secret',
      ['send', 'http://127.0.0.1:9/x', '-e', 'rewards'],
      'FALKOR_WEBHOOK_SECRET',
    ],
    [
      'an unreadable file',
      ['send', 'http://127.0.0.1:9/x', '-f', '/nonexistent/payload.json', '-s', 's'],
      'Cannot read /nonexistent/payload.json',
    ],
    [
      'an unknown event type',
      ['send', 'http://127.0.0.1:9/x', '-e', 'certificates', '-s', 's'],
      'Unknown event type "certificates": use one of enrolments, events, rewards',
    ],
    [
      'an unknown option',
      ['send', 'http://127.0.0.1:9/x', '--evnt', 'rewards'],
      "Unknown option '--evnt'",
    ],
    ['an unknown command', ['post', 'http://127.0.0.1:9/x'], 'Unknown command "post"'],
  ])('exits with 2 on %s, saying what to fix', async (_, args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  it('signs a body from standard input and verifies the header line it printed', async () => {
    const body = '{"type":"rewards","note":"café"}\n';
    const signed = await run(['sign', '--secret', 's3cret', '--platform', 'ByteKast'], {
      input: body,
    });
    expect(signed.code).toBe(0);
    expect(signed.stdout).toBe(
      `ByteKast-Webhook-Signature: ${signFalkorPayload(body, 's3cret')}\n`,
    );
    const valid = await run(['verify', '--signature', signed.stdout, '-s', 'old', '-s', 's3cret'], {
      input: body,
    });
    expect(valid).toMatchObject({ code: 0, stdout: 'valid: signed with secret #1\n' });
    const invalid = await run(['verify', '--signature', signed.stdout], {
      input: body.trim(),
      env: { FALKOR_WEBHOOK_SECRET: 's3cret' },
    });
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toMatch(/^invalid: the signature does not match/);
  });

  it('lists the event types one line each, or prints the sample of one', async () => {
    const all = await run(['events']);
    expect(all.code).toBe(0);
    const lines = all.stdout.trimEnd().split('\n');
    expect(lines.map((line) => line.split(/\s+/)[0])).toEqual([
      ...FALKOR_EVENT_TYPES,
      ...FALKOR_RECORD_EVENT_TYPES,
    ]);
    expect(lines[1]).toMatch(/^events\s+Classroom & Events: /);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^attendee\.booked\s+from events: an attendee whose new state is booked$/,
      ),
    );
    const one = await run(['events', 'events']);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout)).toEqual(FALKOR_SAMPLE_PAYLOADS.events);
    const record = await run(['events', 'voucher.pending']);
    expect(record.code).toBe(0);
    expect(JSON.parse(record.stdout)).toEqual(FALKOR_SAMPLE_PAYLOADS.rewards);
  });

  it.each(['send', 'sign', 'verify', 'events'])('prints the help of %s', async (command) => {
    const result = await run([command, '--help']);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(new RegExp(`^Usage: falkor-webhook ${command}`));
  });

  it('prints the command list with --help, and on stderr with exit 2 without a command', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: falkor-webhook <command>/);
    const bare = await run([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toBe(help.stdout);
  });
});
