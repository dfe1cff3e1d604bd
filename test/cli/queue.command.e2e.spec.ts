import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Injectable, type INestApplication } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { QueueEvents } from 'bullmq';
import {
  FalkorDeliveryQueue,
  type FalkorWebhookEvent,
  OnFalkorEvent,
  openFalkorQueue,
} from '../../src/index.js';
import type { CliIo } from '../../src/cli/cli.io.js';
import { runFalkorWebhookCli } from '../../src/cli/falkor-webhook.cli.js';
import { createFalkorDelivery, falkorSampleEnrolment } from '../../src/testing/index.js';
import { createCustomApp, postRaw, TEST_SECRET, webhookModule } from '../support/apps.js';
import { type BuiltPackage, buildPackage, outcomeOf, runNode } from '../support/built-package.js';
import { uniqueEnrolmentId } from '../support/enrolment.ledger.js';
import { freePort, startTestRedis, type TestRedis } from '../support/redis.server.js';

const PATH = '/webhooks/falkor';
const DEADLINE_MS = 10_000;

/** The CLI's streams and environment, in memory. */
function fakeIo(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    stdinIsTTY: true,
    stderrIsTTY: false,
    readStdin: async () => Buffer.alloc(0),
    readFile: async (path) => {
      throw new Error(`ENOENT: no such file or directory, open '${path}'`);
    },
    env,
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

async function cli(args: readonly string[], env: Record<string, string> = {}) {
  const run = fakeIo(env);
  const code = await runFalkorWebhookCli(args, run.io);
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

function connectionOf(url: string) {
  const parsed = new URL(url);
  const db = parsed.pathname.replace(/^\//, '');
  return {
    host: parsed.hostname,
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    ...(parsed.password === '' ? {} : { password: decodeURIComponent(parsed.password) }),
    ...(db === '' ? {} : { db: Number(db) }),
  };
}

/** Which listeners fail: switched off by the test before it replays. */
const failing = { mailer: true };
const calls: string[] = [];

@Injectable()
class Mailer {
  @OnFalkorEvent('enrolments')
  send(event: FalkorWebhookEvent<'enrolments'>): void {
    calls.push(`Mailer.send ${event.payload.data.enrolments[0].email}`);
    if (failing.mailer) {
      throw new Error('smtp.example.com: 421 service not available');
    }
  }
}

@Injectable()
class Crm {
  @OnFalkorEvent('enrolments')
  sync(event: FalkorWebhookEvent<'enrolments'>): void {
    calls.push(`Crm.sync ${event.payload.data.enrolments[0].email}`);
  }
}

function callsOf(listener: string, id: string): number {
  return calls.filter((call) => call === `${listener} ${id}`).length;
}

describe('falkor-webhook queue, against a real queue', () => {
  let redis: TestRedis;
  let app: INestApplication;
  let events: QueueEvents;
  const name = `falkor-cli-e2e-${process.pid}-${Date.now().toString(36)}`;
  const otherName = `${name}-other`;
  let url: string;

  /** Sends a delivery that exhausts its 2 attempts, and resolves to its job id once it failed. */
  async function exhausted(id: string, pathwayId: string): Promise<string> {
    const delivery = createFalkorDelivery('enrolments', {
      secret: TEST_SECRET,
      overrides: {
        data: { pathway: { ID: pathwayId }, enrolments: [falkorSampleEnrolment({ email: id })] },
      },
    });
    const response = await postRaw(app, PATH, delivery.body, delivery.headers);
    expect(response.status).toBe(202);
    const jobId = response.body.id as string;
    const job = await app.get(FalkorDeliveryQueue).queue.getJob(jobId);
    await expect(job!.waitUntilFinished(events, DEADLINE_MS)).rejects.toThrow('Mailer.send');
    return jobId;
  }

  async function completed(jobId: string): Promise<void> {
    const job = await app.get(FalkorDeliveryQueue).queue.getJob(jobId);
    await job!.waitUntilFinished(events, DEADLINE_MS);
  }

  beforeAll(async () => {
    redis = await startTestRedis();
    url = redis.url;
    events = new QueueEvents(name, { connection: connectionOf(url) });
    await events.waitUntilReady();
    app = await createCustomApp('express', {
      imports: [
        EventEmitterModule.forRoot(),
        webhookModule({
          queue: { connection: connectionOf(url), name, attempts: 2, backoff: 10 },
        }),
      ],
      providers: [Mailer, Crm],
    });
  });
  afterAll(async () => {
    await app?.close();
    await events?.close();
    for (const queue of [name, otherName]) {
      const client = await openFalkorQueue({ connection: connectionOf(url), name: queue });
      await client.queue.obliterate({ force: true });
      await client.close();
    }
    await redis?.stop();
  });

  it('says so when no delivery failed', async () => {
    const listed = await cli(['queue', 'failed', '--redis', url, '--queue', name]);
    expect(listed).toEqual({ code: 0, stdout: 'No failed deliveries.\n', stderr: '' });
    expect(await cli(['queue', 'failed', '--redis', url, '--queue', name, '--json'])).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
  });

  it('lists, as a table and as JSON, then replays one failed delivery and then all', async () => {
    failing.mailer = true;
    const first = uniqueEnrolmentId();
    const second = uniqueEnrolmentId();
    const firstJob = await exhausted(first, 'FA-CLI-0001');
    const secondJob = await exhausted(second, 'FA-CLI-0002');

    const table = await cli(['queue', 'failed', '--redis', url, '--queue', name]);
    expect(table.code).toBe(0);
    expect(table.stderr).toBe('');
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    expect(header).toBe('id  type  pathway  attempts  failed listeners  last error');
    expect(rows).toHaveLength(2);
    const row = rows.find((line) => line.startsWith(`${firstJob}  `));
    expect(row).toBeDefined();
    const [id, type, pathway, attempts, listeners, ...lastError] = row!.split('  ');
    expect({ id, type, pathway, attempts, listeners }).toEqual({
      id: firstJob,
      type: 'enrolments',
      pathway: 'FA-CLI-0001',
      attempts: '2 attempt(s)',
      listeners: 'Mailer.send',
    });
    expect(lastError.join('  ')).toContain('Mailer.send');
    expect(lastError.join('  ')).toContain('smtp.example.com: 421 service not available');
    expect(lastError.join('  ')).not.toContain('not acknowledged');

    const named = await cli(['queue', 'failed', '--json', '--queue', name], { REDIS_URL: url });
    expect(named.code).toBe(0);
    const listed = named.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(listed.map((delivery) => delivery.id).sort()).toEqual([firstJob, secondJob].sort());
    expect(listed.find((delivery) => delivery.id === secondJob)).toEqual({
      id: secondJob,
      type: 'enrolments',
      pathway: 'FA-CLI-0002',
      failedListeners: [
        { listener: 'Mailer.send', error: 'smtp.example.com: 421 service not available' },
      ],
      lastError: expect.stringContaining('Mailer.send'),
      attempts: 2,
      failedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    failing.mailer = false;
    const replayed = await cli(['queue', 'replay', firstJob, '--redis', url, '--queue', name]);
    expect(replayed).toEqual({ code: 0, stdout: `Replayed ${firstJob}.\n`, stderr: '' });
    await completed(firstJob);
    expect(callsOf('Mailer.send', first)).toBe(3);
    expect(callsOf('Crm.sync', first)).toBe(1);
    const left = await cli(['queue', 'failed', '--json', '--redis', url, '--queue', name]);
    expect(left.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(left.stdout).id).toBe(secondJob);

    // A completed delivery is no longer failed: replaying it again says so.
    const again = await cli(['queue', 'replay', firstJob, '--redis', url, '--queue', name]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`No failed delivery has the id "${firstJob}"`);

    const all = await cli(['queue', 'replay', '--all', '--redis', url, '--queue', name]);
    expect(all).toEqual({ code: 0, stdout: 'Replayed 1 failed delivery(ies).\n', stderr: '' });
    await completed(secondJob);
    expect(callsOf('Mailer.send', second)).toBe(3);
    expect(callsOf('Crm.sync', second)).toBe(1);
    expect((await cli(['queue', 'failed', '--redis', url, '--queue', name])).stdout).toBe(
      'No failed deliveries.\n',
    );
    const none = await cli(['queue', 'replay', '--all', '--redis', url, '--queue', name]);
    expect(none.stdout).toBe('Replayed 0 failed delivery(ies).\n');
  });

  it('exits with 1 on an id no failed delivery has', async () => {
    const result = await cli(['queue', 'replay', 'no-such-job', '--redis', url, '--queue', name]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'No failed delivery has the id "no-such-job": list them with falkor-webhook queue failed.\n',
    );
  });

  it.each([
    ['no action', ['queue', '--redis', 'redis://127.0.0.1:1'], 'queue needs an action'],
    ['an unknown action', ['queue', 'list', '--redis', 'redis://127.0.0.1:1'], 'failed or replay'],
    [
      'an argument to failed',
      ['queue', 'failed', 'abc', '--redis', 'redis://127.0.0.1:1'],
      'queue failed takes no arguments, got: abc',
    ],
    [
      'replay without an id',
      ['queue', 'replay', '--redis', 'redis://127.0.0.1:1'],
      'queue replay takes one job id, or --all.',
    ],
    [
      'replay with an id and --all',
      ['queue', 'replay', 'abc', '--all', '--redis', 'redis://127.0.0.1:1'],
      'queue replay takes one job id, or --all.',
    ],
    [
      'replay with two ids',
      ['queue', 'replay', 'abc', 'def', '--redis', 'redis://127.0.0.1:1'],
      'queue replay takes one job id, or --all.',
    ],
    ['no Redis', ['queue', 'failed'], 'No Redis: pass --redis <url> or set REDIS_URL.'],
    ['a Redis that is no URL', ['queue', 'failed', '--redis', '127.0.0.1:6379'], 'is not a URL'],
    [
      'a URL of another scheme',
      ['queue', 'failed', '--redis', 'http://127.0.0.1:6379'],
      '--redis must be a redis:// or rediss:// URL, got http:',
    ],
    [
      'a database that is no number',
      ['queue', 'failed', '--redis', 'redis://127.0.0.1:6379/jobs'],
      'names the database "jobs": use a number, as in redis://host:port/0.',
    ],
    ['an unknown option', ['queue', 'failed', '--redis-url', 'x'], "Unknown option '--redis-url'"],
  ])('exits with 2 on %s, saying what to fix', async (_, args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Run falkor-webhook queue --help for its usage.');
  });

  it('prints its help, and is listed in the command list', async () => {
    const help = await cli(['queue', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: falkor-webhook queue failed --redis <url>/);
    expect(help.stdout).toContain('falkor-webhook queue replay <id> | --all');
    const list = await cli(['--help']);
    expect(list.stdout).toMatch(/\n {2}queue {3}list the failed deliveries of queue mode/);
  });

  it('exits with 1 quickly, naming the Redis, when Redis cannot be reached', async () => {
    const port = await freePort();
    for (const action of [['failed'], ['replay', 'abc'], ['replay', '--all']]) {
      const started = Date.now();
      const result = await cli(['queue', ...action, '--redis', `redis://127.0.0.1:${port}`]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`The queue at 127.0.0.1:${port} could not be read`);
      expect(result.stderr).toContain('ECONNREFUSED');
      expect(Date.now() - started).toBeLessThan(3000);
    }
  });

  it('connects to an IPv6 address without its URL brackets', async () => {
    const port = await freePort();
    const result = await cli(['queue', 'failed', '--redis', `redis://[::1]:${port}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`The queue at [::1]:${port} could not be read`);
    // "[::1]" was looked up as a host name.
    expect(result.stderr).not.toContain('ENOTFOUND');
  });

  describe('as the built executable', () => {
    let build: BuiltPackage;
    let main: string;

    beforeAll(async () => {
      build = await buildPackage();
      main = join(build.dir, 'cli', 'main.js');
    });
    afterAll(() => build?.remove());

    it('lists and replays a failed delivery, and exits', async () => {
      failing.mailer = true;
      const id = uniqueEnrolmentId();
      const jobId = await exhausted(id, 'FA-CLI-0003');
      const listed = await runNode(main, ['queue', 'failed', '--queue', name], {
        env: { REDIS_URL: url },
      });
      expect(listed.code).toBe(0);
      expect(listed.stdout).toContain(`${jobId}  enrolments  FA-CLI-0003  2 attempt(s)`);
      failing.mailer = false;
      const replayed = await runNode(main, [
        'queue',
        'replay',
        jobId,
        '--redis',
        url,
        '--queue',
        name,
      ]);
      expect(replayed).toMatchObject({ code: 0, stdout: `Replayed ${jobId}.\n` });
      await completed(jobId);
      expect(callsOf('Mailer.send', id)).toBe(3);
      expect(callsOf('Crm.sync', id)).toBe(1);
    });

    it('exits with 1 as soon as it said that Redis cannot be reached', async () => {
      const port = await freePort();
      const env: Record<string, string | undefined> = { ...process.env };
      delete env.NODE_OPTIONS;
      const child = spawn(
        process.execPath,
        [main, 'queue', 'failed', '--redis', `redis://127.0.0.1:${port}`],
        { env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let saidAt = 0;
      child.stderr.once('data', () => (saidAt = Date.now()));
      const result = await outcomeOf(child);
      const lingered = Date.now() - saidAt;
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`The queue at 127.0.0.1:${port} could not be read`);
      // Nothing (such as a socket's close timer) keeps the process alive once it has answered.
      expect(lingered).toBeLessThan(1000);
    });
  });
});
