import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { createFalkorDelivery } from '../../src/testing/index.js';
import {
  adapters,
  type AdapterName,
  createCustomApp,
  postRaw,
  RecordingListener,
  RecordingLogger,
  TEST_SECRET,
  webhookModule,
} from '../support/apps.js';

type Middleware = (request: unknown, response: unknown, next: () => void) => void;
const express = createRequire(import.meta.url)('express') as {
  raw(options: { type: string }): Middleware;
};

const PATH = '/webhooks/falkor';
const delivery = createFalkorDelivery('enrolments', { secret: TEST_SECRET });

let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(
  adapter: AdapterName,
  appOptions: NestApplicationOptions,
  beforeListen?: (app: INestApplication) => void,
) {
  const logger = new RecordingLogger();
  app = await createCustomApp(adapter, {
    imports: [EventEmitterModule.forRoot(), webhookModule()],
    providers: [RecordingListener],
    appOptions: { ...appOptions, logger },
    beforeListen,
  });
  return { app, logger, recorder: app.get(RecordingListener) };
}

const rawBodyWarnings = (logger: RecordingLogger) =>
  logger.at('warn').filter((message) => message.includes('rawBody: true'));

describe.each(adapters)('raw body availability on %s', (adapter) => {
  it('warns once at start-up when the app was created without rawBody: true', async () => {
    const { logger } = await start(adapter, { rawBody: false });
    expect(rawBodyWarnings(logger)).toHaveLength(1);
    expect(rawBodyWarnings(logger)[0]).toContain('bodyParser: false');
  });

  it('answers 500 naming the fix, never 401, and dispatches nothing', async () => {
    const { app, recorder, logger } = await start(adapter, { rawBody: false });
    const response = await postRaw(app, PATH, delivery.body, delivery.headers);
    expect(response.status).toBe(500);
    expect(response.body).toMatchObject({
      error: 'Internal Server Error',
      code: 'configuration_error',
    });
    expect(response.body.message).toContain('rawBody: true');
    expect(recorder.received).toHaveLength(0);
    expect(logger.at('error').join('\n')).toContain('rawBody: true');
  });

  it('does not warn when the app keeps raw bodies', async () => {
    const { app, logger } = await start(adapter, { rawBody: true });
    expect(rawBodyWarnings(logger)).toEqual([]);
    expect((await postRaw(app, PATH, delivery.body, delivery.headers)).status).toBe(200);
  });

  it.each([
    [false, 1],
    [true, 0],
  ])(
    'in a testing module created with rawBody: %s, warns %i time(s)',
    async (rawBody, warnings) => {
      const logger = new RecordingLogger();
      const moduleRef = await Test.createTestingModule({
        imports: [EventEmitterModule.forRoot(), webhookModule()],
      })
        .setLogger(logger)
        .compile();
      app =
        adapter === 'express'
          ? moduleRef.createNestApplication({ rawBody })
          : moduleRef.createNestApplication(new FastifyAdapter(), { rawBody });
      await app.init();
      expect(rawBodyWarnings(logger)).toHaveLength(warnings);
    },
  );
});

describe('an app created with bodyParser: false and no parser of its own', () => {
  it('on Express, reads the body no parser took itself and verifies its exact bytes', async () => {
    const { app, logger, recorder } = await start('express', { rawBody: false, bodyParser: false });
    expect(rawBodyWarnings(logger)).toEqual([]);
    const response = await postRaw(app, PATH, delivery.body, delivery.headers);
    expect(response.status).toBe(200);
    expect(recorder.received).toHaveLength(1);
    expect(recorder.received[0].rawBody.toString('utf8')).toBe(delivery.body);
  });

  it('on Fastify, whose own JSON parser keeps no raw bytes, answers 500 naming the fix without hanging', async () => {
    const { app, logger, recorder } = await start('fastify', { rawBody: false, bodyParser: false });
    expect(rawBodyWarnings(logger)).toEqual([]);
    const response = await postRaw(app, PATH, delivery.body, delivery.headers);
    expect(response.status).toBe(500);
    expect(response.body.message).toContain('express.raw');
    expect(recorder.received).toHaveLength(0);
  });
});

describe('a raw parser mounted by the app on Express', () => {
  it('verifies req.body as the raw bytes with bodyParser: false and express.raw()', async () => {
    const { app, logger, recorder } = await start(
      'express',
      { rawBody: false, bodyParser: false },
      (app) => app.use(PATH, express.raw({ type: 'application/json' })),
    );
    const response = await postRaw(app, PATH, delivery.body, delivery.headers);
    expect(response.status).toBe(200);
    expect(recorder.received).toHaveLength(1);
    expect(recorder.received[0].rawBody.toString('utf8')).toBe(delivery.body);
    expect(rawBodyWarnings(logger)).toEqual([]);
  });

  it("verifies with app.useBodyParser('raw') in front of Nest's JSON parser, without a warning", async () => {
    const { app, logger, recorder } = await start('express', { rawBody: false }, (app) =>
      (app as NestExpressApplication).useBodyParser('raw', { type: 'application/json' }),
    );
    expect(rawBodyWarnings(logger)).toEqual([]);
    expect((await postRaw(app, PATH, delivery.body, delivery.headers)).status).toBe(200);
    expect(recorder.received).toHaveLength(1);
  });

  it("still warns when app.useBodyParser('json') is used without rawBody: true", async () => {
    const { logger } = await start('express', { rawBody: false }, (app) =>
      (app as NestExpressApplication).useBodyParser('json', { limit: '2mb' }),
    );
    expect(rawBodyWarnings(logger)).toHaveLength(1);
  });
});
