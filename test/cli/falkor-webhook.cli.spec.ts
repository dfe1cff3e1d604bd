import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  FALKOR_RECORD_EVENT_TYPES,
  FALKOR_RECORD_EVENTS,
  signFalkorPayload,
} from 'nestjs-falkor-webhook';
import { FALKOR_SAMPLE_PAYLOADS } from 'nestjs-falkor-webhook/testing';
import type { CliIo } from '../../src/cli/cli.io.js';
import { runFalkorWebhookCli } from '../../src/cli/falkor-webhook.cli.js';
import { describeSignatureCheck, signatureValue } from '../../src/cli/verify.command.js';

function fakeIo(stdin: string | undefined, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    stdinIsTTY: stdin === undefined,
    stderrIsTTY: false,
    readStdin: async () => Buffer.from(stdin ?? ''),
    readFile: async (path) => {
      throw new Error(`ENOENT: no such file or directory, open '${path}'`);
    },
    env,
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

describe('runFalkorWebhookCli', () => {
  it('signs and verifies the body on standard input', async () => {
    const body = '{"type":"rewards"}';
    const sign = fakeIo(body, { FALKOR_WEBHOOK_SECRET: 'k' });
    expect(await runFalkorWebhookCli(['sign'], sign.io)).toBe(0);
    expect(sign.stdout()).toBe(`Falkor-Webhook-Signature: ${signFalkorPayload(body, 'k')}\n`);
    const verify = fakeIo(body);
    const code = await runFalkorWebhookCli(['verify', '-S', sign.stdout(), '-s', 'k'], verify.io);
    expect(code).toBe(0);
    expect(verify.stdout()).toBe('valid: signed with secret #0\n');
  });

  it.each([
    ['sign', ['sign', '-s', 'k']],
    ['verify', ['verify', '-s', 'k', '-S', 'sha256=00']],
  ])('%s refuses to wait for a body typed on a terminal', async (command, args) => {
    const run = fakeIo(undefined);
    expect(await runFalkorWebhookCli(args, run.io)).toBe(2);
    expect(run.stderr()).toContain(`falkor-webhook ${command} ... < body.json`);
  });

  it.each([
    [['verify', '-s', 'k'], 'verify needs the signature'],
    [['verify', '-S', 'sha256=00', 'extra'], 'verify takes no arguments'],
    [['sign', '-s', 'k', 'body.json'], 'sign takes no arguments'],
    [['sign'], 'No webhook secret'],
    [['events', 'a', 'b'], 'events takes at most one event type'],
    [['events', 'certificates'], 'Unknown event type "certificates"'],
    [['events', 'attendee.cancelled'], 'or a record event such as enrolment.completed'],
  ])('exits with 2 on %j', async (args, message) => {
    const run = fakeIo('{}');
    expect(await runFalkorWebhookCli(args, run.io)).toBe(2);
    expect(run.stderr()).toContain(message);
    expect(run.stderr()).toContain(`Run falkor-webhook ${args[0]} --help for its usage.`);
  });

  it('exits with 1 on a malformed signature', async () => {
    const run = fakeIo('{}');
    expect(await runFalkorWebhookCli(['verify', '-s', 'k', '-S', 'sha1=abc'], run.io)).toBe(1);
    expect(run.stdout()).toBe(
      'invalid: a signature is "sha256=" followed by 64 hexadecimal digits\n',
    );
  });

  it.each(['enrolments', 'events', 'rewards'] as const)(
    'prints the %s sample as JSON',
    async (type) => {
      const run = fakeIo(undefined);
      expect(await runFalkorWebhookCli(['events', type], run.io)).toBe(0);
      expect(JSON.parse(run.stdout())).toEqual(FALKOR_SAMPLE_PAYLOADS[type]);
      expect(JSON.parse(run.stdout()).type).toBe(type);
    },
  );

  it('lists one line per event type, each naming its webhook, then one per record event', async () => {
    const run = fakeIo(undefined);
    expect(await runFalkorWebhookCli(['events'], run.io)).toBe(0);
    const lines = run.stdout().trimEnd().split('\n');
    expect(lines.map((line) => line.split(/\s+/)[0])).toEqual([
      'enrolments',
      'events',
      'rewards',
      ...FALKOR_RECORD_EVENT_TYPES,
    ]);
    expect(lines[0]).toContain('Enrolments:');
    expect(lines[1]).toContain('Classroom & Events:');
    expect(lines[2]).toContain('Rewards:');
    for (const [index, event] of FALKOR_RECORD_EVENT_TYPES.entries()) {
      // Each record event names the delivery type whose records it reports.
      expect(lines[3 + index]).toMatch(
        new RegExp(`^${event.replace('.', '\\.')} +from ${FALKOR_RECORD_EVENTS[event]}: \\S`),
      );
    }
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(100);
  });

  it.each([
    ['enrolment.completed', 'enrolments'],
    ['attendee.booked', 'events'],
    ['voucher.expired', 'rewards'],
  ] as const)('prints the sample delivery %s comes from: %s', async (event, type) => {
    const run = fakeIo(undefined);
    expect(await runFalkorWebhookCli(['events', event], run.io)).toBe(0);
    expect(JSON.parse(run.stdout())).toEqual(FALKOR_SAMPLE_PAYLOADS[type]);
  });

  it('prints a command help with help <command>, and the command list for anything else', async () => {
    const send = fakeIo(undefined);
    expect(await runFalkorWebhookCli(['help', 'send'], send.io)).toBe(0);
    expect(send.stdout()).toMatch(/^Usage: falkor-webhook send <url>/);
    const other = fakeIo(undefined);
    expect(await runFalkorWebhookCli(['help', 'post'], other.io)).toBe(0);
    expect(other.stdout()).toMatch(/^Usage: falkor-webhook <command>/);
  });

  it('treats --help after -- as an argument', async () => {
    const run = fakeIo(undefined);
    expect(await runFalkorWebhookCli(['events', '--', '--help'], run.io)).toBe(2);
    expect(run.stderr()).toContain('Unknown event type "--help"');
  });

  it('exits with 2 when the payload file cannot be read', async () => {
    const run = fakeIo(undefined, { FALKOR_WEBHOOK_SECRET: 'k' });
    const code = await runFalkorWebhookCli(
      ['send', 'http://127.0.0.1:9/x', '-f', 'missing.json'],
      run.io,
    );
    expect(code).toBe(2);
    expect(run.stderr()).toContain('Cannot read missing.json: ENOENT');
  });
});

describe('signatureValue', () => {
  it('takes the value out of any header line that sign prints, and keeps a bare value', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,15}$/),
        fc.stringMatching(/^[0-9a-f]{64}$/),
        (platform, hex) => {
          expect(signatureValue(`${platform}-Webhook-Signature: sha256=${hex}\n`)).toBe(
            `sha256=${hex}`,
          );
          expect(signatureValue(`sha256=${hex}`)).toBe(`sha256=${hex}`);
        },
      ),
    );
  });
});

describe('describeSignatureCheck', () => {
  it('points at a trailing newline when the signature does not match', () => {
    const mismatch = { valid: false, reason: 'mismatch' } as const;
    expect(describeSignatureCheck(mismatch, Buffer.from('{}\n'))).toContain(
      'the body ends with a newline',
    );
    expect(describeSignatureCheck(mismatch, Buffer.from('{}'))).not.toContain('newline');
    expect(describeSignatureCheck({ valid: false, reason: 'missing' }, Buffer.from('{}'))).toBe(
      'invalid: the signature is empty',
    );
  });
});
