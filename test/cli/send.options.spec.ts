import { describe, expect, it } from '@jest/globals';
import { CliUsageError } from '../../src/cli/cli.errors.js';
import { DEFAULT_SEND_TIMEOUT_MS, parseSendOptions } from '../../src/cli/send.options.js';

const URL_ARG = 'http://localhost:3000/webhooks/falkor';

describe('parseSendOptions', () => {
  it('sends one sample delivery in the Falkor header by default', () => {
    expect(parseSendOptions([URL_ARG, '--event', 'rewards', '--secret', 's'], {})).toEqual({
      url: new URL(URL_ARG),
      payload: { event: 'rewards' },
      secret: 's',
      platform: 'Falkor',
      count: 1,
      concurrency: 1,
      timeoutMs: DEFAULT_SEND_TIMEOUT_MS,
      repeated: false,
    });
  });

  it('reads every option, short and long', () => {
    const options = parseSendOptions(
      ['-f', 'p.json', '-p', 'ByteKast', '-n', '50', '-c', '8', '--timeout', '250', URL_ARG],
      { FALKOR_WEBHOOK_SECRET: 'from-env' },
    );
    expect(options).toMatchObject({
      payload: { file: 'p.json' },
      secret: 'from-env',
      platform: 'ByteKast',
      count: 50,
      concurrency: 8,
      timeoutMs: 250,
      repeated: true,
    });
  });

  it('sets the pathway of a sample with --pathway', () => {
    expect(
      parseSendOptions([URL_ARG, '-e', 'enrolments', '--pathway', 'FA-TEST-0001', '-s', 's'], {})
        .payload,
    ).toEqual({ event: 'enrolments', pathway: 'FA-TEST-0001' });
  });

  it('prefers --secret over the environment and never runs more at once than it sends', () => {
    const options = parseSendOptions(
      [URL_ARG, '-e', 'rewards', '-s', 'flag', '-n', '2', '-c', '9'],
      {
        FALKOR_WEBHOOK_SECRET: 'env',
      },
    );
    expect(options).toMatchObject({ secret: 'flag', count: 2, concurrency: 2 });
  });

  it.each([
    [[], 'send needs the webhook URL'],
    [[URL_ARG, URL_ARG, '-e', 'rewards'], 'send takes one URL, got 2'],
    [['localhost:3000', '-e', 'rewards'], '"localhost:3000" is not an http(s) URL'],
    [['ftp://example.com/x', '-e', 'rewards'], 'is not an http(s) URL'],
    [['not a url', '-e', 'rewards'], 'is not an http(s) URL'],
    [[URL_ARG], 'Say what to send'],
    [[URL_ARG, '-e', 'rewards', '-f', 'p.json'], '--event and --file exclude each other'],
    [[URL_ARG, '-e', 'reward'], 'Unknown event type "reward"'],
    [[URL_ARG, '-e', 'certificates'], 'use one of enrolments, events, rewards'],
    [[URL_ARG, '-e', 'attendee.booked'], 'is a record event: it fires from events deliveries'],
    [[URL_ARG, '-f', 'p.json', '--pathway', 'FA-1'], '--pathway sets data.pathway.ID of a sample'],
    [[URL_ARG, '-e', 'events', '--pathway', ''], '--pathway needs the pathway ID'],
    [[URL_ARG, '-e', 'rewards', '-n', '0'], '--count must be a whole number of at least 1'],
    [[URL_ARG, '-e', 'rewards', '-n', '1e3'], '--count must be a whole number'],
    [[URL_ARG, '-e', 'rewards', '--concurrency=-2'], '--concurrency must be a whole number'],
    [[URL_ARG, '-e', 'rewards', '--timeout', 'soon'], '--timeout must be a whole number'],
    [[URL_ARG, '-e', 'rewards', '-p', 'Byte Kast'], 'cannot prefix a header name'],
    [[URL_ARG, '-e', 'rewards', '--verbose'], "Unknown option '--verbose'"],
    [[URL_ARG, '-e'], "Option '-e, --event <value>' argument missing"],
  ])('refuses %j: %s', (args, message) => {
    const parse = () => parseSendOptions(args, { FALKOR_WEBHOOK_SECRET: 's' });
    expect(parse).toThrow(CliUsageError);
    expect(parse).toThrow(message);
  });

  it('refuses to run without a secret, naming both ways to give one', () => {
    const parse = () => parseSendOptions([URL_ARG, '-e', 'rewards'], { FALKOR_WEBHOOK_SECRET: '' });
    expect(parse).toThrow(CliUsageError);
    expect(parse).toThrow('pass --secret <secret> or set FALKOR_WEBHOOK_SECRET');
  });
});
