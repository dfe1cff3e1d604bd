import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import {
  FalkorConfigurationError,
  FalkorWebhookModule,
  type FalkorSecretContext,
  type FalkorWebhookModuleOptions,
} from '../../src/index.js';
import { createFalkorDelivery } from '../../src/testing/index.js';
import {
  adapters,
  type AdapterName,
  createCustomApp,
  postRaw,
  RecordingListener,
  RecordingLogger,
} from '../support/apps.js';

const PATH = '/webhooks/falkor';
const NEW_SECRET = 'whsec-NEW-3f9a1c';
const OLD_SECRET = 'whsec-OLD-77e2b0';

function sent(secret: string) {
  return createFalkorDelivery('enrolments', { secret });
}

async function start(
  adapter: AdapterName,
  options: FalkorWebhookModuleOptions & { path?: string },
  logger = new RecordingLogger(),
) {
  const app = await createCustomApp(adapter, {
    imports: [EventEmitterModule.forRoot(), FalkorWebhookModule.forRoot(options)],
    providers: [RecordingListener],
    appOptions: { logger },
  });
  return { app, logger, recorder: app.get(RecordingListener) };
}

function post(app: INestApplication, delivery: ReturnType<typeof sent>, path = PATH) {
  return postRaw(app, path, delivery.body, delivery.headers);
}

describe.each(adapters)('secret rotation on %s', (adapter) => {
  describe('while the old secret is listed', () => {
    let app: INestApplication;
    let logger: RecordingLogger;
    let recorder: InstanceType<typeof RecordingListener>;

    beforeAll(async () => {
      ({ app, logger, recorder } = await start(adapter, {
        secret: [
          { id: '2026-11', secret: NEW_SECRET },
          { id: '2026-05', secret: OLD_SECRET },
        ],
      }));
    });
    afterAll(() => app.close());

    it('accepts the new and the old secret, and the event names the one that matched', async () => {
      expect((await post(app, sent(NEW_SECRET))).status).toBe(200);
      expect((await post(app, sent(OLD_SECRET))).status).toBe(200);
      expect(recorder.received.map((e) => [e.secretIndex, e.secretId])).toEqual([
        [0, '2026-11'],
        [1, '2026-05'],
      ]);
    });

    it('logs at debug level which secret matched, by index and id, never its value', () => {
      const debug = logger.at('debug').filter((line) => line.startsWith('Verified'));
      expect(debug).toEqual(
        expect.arrayContaining([
          expect.stringContaining('matched secret #0 "2026-11"'),
          expect.stringContaining('matched secret #1 "2026-05"'),
        ]),
      );
      const everything = logger.lines.map((line) => line.message).join('\n');
      expect(everything).not.toContain(NEW_SECRET);
      expect(everything).not.toContain(OLD_SECRET);
    });

    it('rejects a secret that is not listed', async () => {
      const response = await post(app, sent('whsec-UNKNOWN'));
      expect(response.status).toBe(401);
      expect(JSON.stringify(response.body)).not.toMatch(/whsec-/);
    });
  });

  it('rejects the old secret once it is removed', async () => {
    const { app, recorder } = await start(adapter, { secret: [NEW_SECRET] });
    try {
      expect((await post(app, sent(OLD_SECRET))).status).toBe(401);
      expect((await post(app, sent(NEW_SECRET))).status).toBe(200);
      expect(recorder.received.map((e) => [e.secretIndex, e.secretId])).toEqual([[0, undefined]]);
    } finally {
      await app.close();
    }
  });
});

describe.each(adapters)('per-pathway secrets on %s', (adapter) => {
  const secrets: Record<string, string> = {
    pw_8841: 'whsec-PATHWAY-A',
    pw_9000: 'whsec-PATHWAY-B',
  };
  const contexts: FalkorSecretContext[] = [];
  let app: INestApplication;
  let recorder: InstanceType<typeof RecordingListener>;

  beforeAll(async () => {
    ({ app, recorder } = await start(adapter, {
      path: 'webhooks/falkor/:pathwayId',
      secret: async (context) => {
        contexts.push(context);
        const secret = secrets[context.params.pathwayId];
        return secret ? [secret] : [];
      },
    }));
  });
  afterAll(() => app.close());
  afterEach(() => {
    contexts.length = 0;
  });

  it("accepts each pathway's own secret and gives the resolver the route params and path", async () => {
    expect((await post(app, sent(secrets.pw_8841), `${PATH}/pw_8841?try=1`)).status).toBe(200);
    expect((await post(app, sent(secrets.pw_9000), `${PATH}/pw_9000`)).status).toBe(200);
    expect(contexts.map((c) => [c.params.pathwayId, c.path])).toEqual([
      ['pw_8841', `${PATH}/pw_8841`],
      ['pw_9000', `${PATH}/pw_9000`],
    ]);
    expect(contexts[0].headers['content-type']).toBe('application/json');
    expect(recorder.received.at(-1)?.params).toEqual({ pathwayId: 'pw_9000' });
  });

  it("rejects another pathway's secret with 401", async () => {
    const before = recorder.received.length;
    expect((await post(app, sent(secrets.pw_9000), `${PATH}/pw_8841`)).status).toBe(401);
    expect(recorder.received).toHaveLength(before);
  });

  it('rejects a pathway without a secret with 401', async () => {
    expect((await post(app, sent(secrets.pw_8841), `${PATH}/pw_unknown`)).status).toBe(401);
  });

  it('does not ask the resolver when the header is malformed', async () => {
    const delivery = sent(secrets.pw_8841);
    const response = await postRaw(app, `${PATH}/pw_8841`, delivery.body, {
      'Content-Type': 'application/json',
      'Falkor-Webhook-Signature': 'sha256=nope',
    });
    expect(response.status).toBe(401);
    expect(contexts).toEqual([]);
  });
});

describe.each(adapters)('secrets checked at start-up on %s', (adapter) => {
  it.each([
    ['a trailing newline', 'whsec-NEWLINE\n'],
    ['a trailing space', 'whsec-SPACE '],
  ])('warns about a secret with %s, without its value, and still starts', async (_, secret) => {
    const { app, logger } = await start(adapter, { secret });
    try {
      const warnings = logger.at('warn').filter((line) => line.includes('webhook secret #0'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('whitespace');
      expect(logger.lines.map((line) => line.message).join('\n')).not.toContain(secret.trim());
    } finally {
      await app.close();
    }
  });

  it.each([
    ['an empty secret', ''],
    ['an empty list', []],
    ['an unset environment variable', undefined],
  ])('refuses to start with %s', async (_, secret) => {
    await expect(start(adapter, { secret: secret as never })).rejects.toThrow(
      FalkorConfigurationError,
    );
    await expect(start(adapter, { secret: secret as never })).rejects.toThrow(
      'FalkorWebhookModule: the "secret" option',
    );
  });
});
