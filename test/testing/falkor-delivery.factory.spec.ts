import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, type INestApplication } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import {
  checkFalkorSignature,
  type FalkorWebhookEvent,
  OnFalkorEvent,
} from 'nestjs-falkor-webhook';
import {
  createFalkorDelivery,
  FALKOR_SAMPLE_PAYLOADS,
  FALKOR_TEST_SECRET,
  FalkorWebhookTestingModule,
} from 'nestjs-falkor-webhook/testing';

@Injectable()
class Recorder {
  readonly received: FalkorWebhookEvent[] = [];

  @OnFalkorEvent(['enrolment.completed', 'reward.unlocked'])
  record(event: FalkorWebhookEvent<'enrolment.completed' | 'reward.unlocked'>): void {
    this.received.push(event);
  }
}

describe('createFalkorDelivery', () => {
  it('signs the exact body with the test secret in the Falkor header by default', () => {
    const delivery = createFalkorDelivery('enrolment.completed');
    expect(delivery.payload).toEqual(FALKOR_SAMPLE_PAYLOADS['enrolment.completed']);
    expect(JSON.parse(delivery.body)).toEqual(delivery.payload);
    expect(delivery.headers['Content-Type']).toBe('application/json');
    expect(
      checkFalkorSignature(
        Buffer.from(delivery.body, 'utf8'),
        delivery.headers['Falkor-Webhook-Signature'],
        FALKOR_TEST_SECRET,
      ),
    ).toEqual({ valid: true, secretIndex: 0 });
  });

  it('signs with the given secret in the given platform header, with the overrides', () => {
    const delivery = createFalkorDelivery('reward.unlocked', {
      secret: 's3cret',
      platformName: 'ByteKast',
      overrides: { reward: { points: 75 } },
    });
    expect(Object.keys(delivery.headers)).toEqual(['Content-Type', 'ByteKast-Webhook-Signature']);
    expect(
      checkFalkorSignature(delivery.body, delivery.headers['ByteKast-Webhook-Signature'], 's3cret')
        .valid,
    ).toBe(true);
    expect(
      checkFalkorSignature(
        delivery.body,
        delivery.headers['ByteKast-Webhook-Signature'],
        FALKOR_TEST_SECRET,
      ).valid,
    ).toBe(false);
    expect(JSON.parse(delivery.body).reward.points).toBe(75);
  });

  it('refuses an empty secret', () => {
    expect(() => createFalkorDelivery('reward.unlocked', { secret: '' })).toThrow(TypeError);
  });
});

describe.each(['express', 'fastify'] as const)(
  'a delivery sent to FalkorWebhookTestingModule on %s',
  (adapter) => {
    let app: INestApplication;

    beforeAll(async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [FalkorWebhookTestingModule.forRoot({ platformName: ['Falkor', 'ByteKast'] })],
        providers: [Recorder],
      }).compile();
      app =
        adapter === 'express'
          ? moduleRef.createNestApplication({ rawBody: true, logger: false })
          : moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
              rawBody: true,
              logger: false,
            });
      await app.init();
      if (adapter === 'fastify') {
        await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
      }
    });
    afterAll(() => app.close());

    it('is accepted through supertest with its exact bytes', async () => {
      const recorder = app.get(Recorder);
      const before = recorder.received.length;
      const delivery = createFalkorDelivery('enrolment.completed', {
        overrides: { user: { firstName: 'Łucja' } },
      });
      const response = await request(app.getHttpServer())
        .post('/webhooks/falkor')
        .set(delivery.headers)
        .send(delivery.body);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ received: true, type: 'enrolment.completed', listeners: 1 });
      const event = recorder.received[before];
      expect(event.rawBody.toString('utf8')).toBe(delivery.body);
      expect(event.payload.user.firstName).toBe('Łucja');
    });

    it('is accepted in a white-label platform header', async () => {
      const recorder = app.get(Recorder);
      const before = recorder.received.length;
      const delivery = createFalkorDelivery('reward.unlocked', { platformName: 'ByteKast' });
      const response = await request(app.getHttpServer())
        .post('/webhooks/falkor')
        .set(delivery.headers)
        .send(delivery.body);
      expect(response.status).toBe(200);
      expect(recorder.received[before].platform).toBe('ByteKast');
    });

    it('is refused when signed with another secret', async () => {
      const delivery = createFalkorDelivery('enrolment.completed', {
        secret: 'not-the-test-secret',
      });
      const response = await request(app.getHttpServer())
        .post('/webhooks/falkor')
        .set(delivery.headers)
        .send(delivery.body);
      expect(response.status).toBe(401);
    });
  },
);
