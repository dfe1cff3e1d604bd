import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { createFalkorDelivery, FALKOR_SAMPLE_PAYLOADS } from 'nestjs-falkor-webhook/testing';
import { AppModule } from './app.module.js';
import { DEVELOPMENT_SECRET, readSampleConfig } from './sample.config.js';

describe('the sample app', () => {
  let app: INestApplication;
  const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);

  beforeAll(async () => {
    app = await NestFactory.create(AppModule.register(DEVELOPMENT_SECRET), {
      rawBody: true,
      logger: false,
    });
    await app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await app.close();
    log.mockRestore();
  });

  it.each(Object.keys(FALKOR_SAMPLE_PAYLOADS) as (keyof typeof FALKOR_SAMPLE_PAYLOADS)[])(
    'logs a signed %s delivery in its listener',
    async (type) => {
      log.mockClear();
      const delivery = createFalkorDelivery(type, { secret: DEVELOPMENT_SECRET });
      const response = await request(app.getHttpServer())
        .post('/webhooks/falkor')
        .set(delivery.headers)
        .send(delivery.body);
      expect(response.status).toBe(200);
      expect(response.body.listeners).toBe(1);
      expect(log.mock.calls.map((call) => String(call[0]))).toEqual(
        expect.arrayContaining([expect.stringContaining(`${type}: user usr_1207`)]),
      );
    },
  );

  it('refuses a delivery signed with another secret', async () => {
    const delivery = createFalkorDelivery('reward.unlocked', { secret: 'not-the-sample-secret' });
    const response = await request(app.getHttpServer())
      .post('/webhooks/falkor')
      .set(delivery.headers)
      .send(delivery.body);
    expect(response.status).toBe(401);
  });

  it('reads its port and secret from the environment', () => {
    expect(readSampleConfig({})).toEqual({
      port: 3000,
      secret: DEVELOPMENT_SECRET,
      usingDevelopmentSecret: true,
    });
    expect(readSampleConfig({ PORT: '8080', FALKOR_WEBHOOK_SECRET: 's3cret' })).toEqual({
      port: 8080,
      secret: 's3cret',
      usingDevelopmentSecret: false,
    });
    expect(() => readSampleConfig({ PORT: 'http' })).toThrow('PORT');
  });
});
