import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import {
  FalkorConfigurationError,
  FalkorWebhook,
  type FalkorSecretContext,
} from '../../src/index.js';
import { prepareFalkorWebhookRoute } from '../../src/nest/guard/falkor-webhook.route.js';
import { prepareFalkorWebhookSettings } from '../../src/nest/falkor-webhook.settings.js';
import {
  falkorSecretWarnings,
  prepareFalkorMaxBodyBytes,
  prepareFalkorSecrets,
  prepareFalkorSignatureHeaders,
} from '../../src/nest/falkor-webhook.settings.js';

const OWNER = 'FalkorWebhookModule';

describe('prepareFalkorSecrets', () => {
  it('gives static secrets for every delivery', async () => {
    const { secretsFor, warnings } = prepareFalkorSecrets(
      ['new', { id: 'old', secret: 'o' }],
      OWNER,
    );
    expect(await secretsFor({ headers: {} })).toEqual(['new', { id: 'old', secret: 'o' }]);
    expect(warnings).toEqual([]);
  });

  it.each([
    ['a trailing newline', 'whsec-TRAILING-NL\n', '#0'],
    ['a trailing CRLF', 'whsec-TRAILING-CRLF\r\n', '#0'],
    ['a trailing space', 'whsec-TRAILING-SPACE ', '#0'],
    ['a leading tab', '\twhsec-LEADING-TAB', '#0'],
  ])('warns at start-up about a secret with %s, naming it by index only', (_, secret, name) => {
    const { warnings } = prepareFalkorSecrets(secret, OWNER);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`secret ${name}`);
    expect(warnings[0]).toContain('whitespace');
    expect(warnings[0]).not.toContain(secret.trim());
  });

  it('names a suspicious secret of a list by its index or its id', () => {
    const warnings = falkorSecretWarnings([
      'clean',
      'whsec-SECOND\n',
      { id: 'rotated-2026', secret: 'whsec-THIRD ' },
    ]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('secret #1');
    expect(warnings[1]).toContain('secret "rotated-2026"');
    expect(warnings.join()).not.toMatch(/SECOND|THIRD/);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['an empty string', ''],
    ['an empty list', []],
    ['a list with an empty secret', ['ok', '']],
    ['an entry with an empty secret', { id: 'a', secret: '' }],
    [
      'two entries with one id',
      [
        { id: 'a', secret: 'x' },
        { id: 'a', secret: 'y' },
      ],
    ],
  ])('refuses %s at start-up with an error naming the option', (_, secret) => {
    const prepare = () => prepareFalkorSecrets(secret as never, OWNER);
    expect(prepare).toThrow(FalkorConfigurationError);
    expect(prepare).toThrow(`${OWNER}: the "secret" option`);
  });

  describe('with a resolver', () => {
    it('is not called at start-up and gets the headers, route params and path', async () => {
      const resolve = jest.fn((_context: FalkorSecretContext) => ['pathway-secret']);
      const { secretsFor, warnings } = prepareFalkorSecrets(resolve, OWNER);
      expect(resolve).not.toHaveBeenCalled();
      expect(warnings).toEqual([]);
      const headers = { 'x-tenant': 'acme' };
      await expect(
        secretsFor({
          headers,
          params: { pathwayId: 'pw_1' },
          url: '/falkor/pw_1?attempt=2',
          originalUrl: '/api/webhooks/falkor/pw_1?attempt=2',
        }),
      ).resolves.toEqual(['pathway-secret']);
      expect(resolve).toHaveBeenCalledWith({
        headers,
        params: { pathwayId: 'pw_1' },
        path: '/api/webhooks/falkor/pw_1',
      });
    });

    it('falls back to url (Fastify) and to empty params', async () => {
      const resolve = jest.fn(async (_context: FalkorSecretContext) => 'async-secret');
      const { secretsFor } = prepareFalkorSecrets(resolve, OWNER);
      await expect(secretsFor({ headers: {}, url: '/webhooks/falkor' })).resolves.toEqual([
        'async-secret',
      ]);
      expect(resolve).toHaveBeenCalledWith({ headers: {}, params: {}, path: '/webhooks/falkor' });
    });

    it('gives no secret for an empty list, so the delivery is refused with 401', async () => {
      const { secretsFor } = prepareFalkorSecrets(() => [], OWNER);
      await expect(secretsFor({ headers: {} })).resolves.toEqual([]);
    });

    it.each([
      ['undefined', undefined],
      ['an empty string', ''],
      ['a list with an empty secret', ['ok', '']],
    ])('answers %s with a configuration error (500) naming the resolver', async (_, value) => {
      const { secretsFor } = prepareFalkorSecrets(() => value as never, OWNER);
      const error = await Promise.resolve(secretsFor({ headers: {} })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FalkorConfigurationError);
      expect((error as FalkorConfigurationError).status).toBe(500);
      expect((error as Error).message).toContain('"secret" resolver');
      expect((error as Error).message).toContain('empty list');
    });
  });
});

describe('the module options', () => {
  it('carries the whitespace warnings to the start-up log', () => {
    const settings = prepareFalkorWebhookSettings({ secret: ['ok', 'whsec-NL\n'] });
    expect(settings.warnings).toHaveLength(1);
    expect(settings.warnings[0]).toContain('secret #1');
  });

  it('refuses an empty secret at start-up', () => {
    expect(() => prepareFalkorWebhookSettings({ secret: '' })).toThrow(
      'FalkorWebhookModule: the "secret" option is missing or empty',
    );
  });
});

describe('prepareFalkorSignatureHeaders and prepareFalkorMaxBodyBytes', () => {
  it('default to Falkor and 8 MiB', () => {
    expect(prepareFalkorSignatureHeaders(undefined, OWNER)).toEqual([
      { platform: 'Falkor', name: 'Falkor-Webhook-Signature', key: 'falkor-webhook-signature' },
    ]);
    expect(prepareFalkorMaxBodyBytes(undefined, OWNER)).toBe(8 * 1024 * 1024);
  });

  it.each([['Falkor Pathways'], [''], ['-Falkor'], ['Falkor_1'], [['']]])(
    'refuses the platform name %j',
    (name) => {
      expect(() => prepareFalkorSignatureHeaders(name, OWNER)).toThrow('"platformName"');
    },
  );

  it.each([[0], [-1], [1.5], [Number.NaN], [Number.POSITIVE_INFINITY], ['1mb']])(
    'refuses maxBodyBytes %p',
    (limit) => {
      expect(() => prepareFalkorMaxBodyBytes(limit as number, OWNER)).toThrow('"maxBodyBytes"');
    },
  );
});

describe('@FalkorWebhook() options', () => {
  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  afterEach(() => {
    warn.mockClear();
  });

  it('keeps only the options the route sets', () => {
    expect(prepareFalkorWebhookRoute({})).toEqual({});
    const route = prepareFalkorWebhookRoute({ platformName: ['ByteKast'], maxBodyBytes: 10 });
    expect(route).toEqual({
      headers: [
        {
          platform: 'ByteKast',
          name: 'ByteKast-Webhook-Signature',
          key: 'bytekast-webhook-signature',
        },
      ],
      maxBodyBytes: 10,
    });
  });

  it('refuses a secret key whose value is undefined (an unset environment variable)', () => {
    expect(() => FalkorWebhook({ secret: undefined })).toThrow(
      '@FalkorWebhook(): the "secret" option is missing or empty (an unset environment variable?)',
    );
  });

  it('refuses an unknown option instead of ignoring it', () => {
    expect(() => FalkorWebhook({ secrets: ['a'] } as never)).toThrow(
      '@FalkorWebhook(): unknown option(s) "secrets"',
    );
  });

  it('warns when the decorator is applied about a secret with whitespace, without its value', () => {
    FalkorWebhook({ secret: { id: 'route', secret: 'whsec-ROUTE\n' } });
    expect(warn).toHaveBeenCalledTimes(1);
    const [message] = warn.mock.calls[0] as [string];
    expect(message).toContain('@FalkorWebhook(): webhook secret "route"');
    expect(message).not.toContain('whsec-ROUTE');
  });
});
