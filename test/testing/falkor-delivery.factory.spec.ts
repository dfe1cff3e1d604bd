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
  falkorSampleEnrolment,
  falkorSampleReward,
  FalkorWebhookTestingModule,
} from 'nestjs-falkor-webhook/testing';

@Injectable()
class Recorder {
  readonly received: FalkorWebhookEvent[] = [];

  @OnFalkorEvent(['enrolments', 'rewards'])
  record(event: FalkorWebhookEvent<'enrolments' | 'rewards'>): void {
    this.received.push(event);
  }
}

describe('createFalkorDelivery', () => {
  it('signs the exact body with the test secret in the Falkor header by default', () => {
    const delivery = createFalkorDelivery('enrolments');
    expect(delivery.payload).toEqual(FALKOR_SAMPLE_PAYLOADS.enrolments);
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
    const delivery = createFalkorDelivery('rewards', {
      secret: 's3cret',
      platformName: 'ByteKast',
      overrides: { data: { rewards: [falkorSampleReward({ name: 'Free lunch' })] } },
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
    expect(JSON.parse(delivery.body).data.rewards[0].name).toBe('Free lunch');
    expect(JSON.parse(delivery.body).data.pathway.ID).toBe('FA-HCPG-06RF');
  });

  it('refuses an empty secret', () => {
    expect(() => createFalkorDelivery('rewards', { secret: '' })).toThrow(TypeError);
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
      const delivery = createFalkorDelivery('enrolments', {
        overrides: { data: { enrolments: [falkorSampleEnrolment({ firstname: 'Łucja' })] } },
      });
      const response = await request(app.getHttpServer())
        .post('/webhooks/falkor')
        .set(delivery.headers)
        .send(delivery.body);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ received: true, type: 'enrolments', listeners: 1 });
      const event = recorder.received[before];
      expect(event.rawBody.toString('utf8')).toBe(delivery.body);
      expect(event.type).toBe('enrolments');
      if (event.type === 'enrolments') {
        expect(event.payload.data.enrolments[0].firstname).toBe('Łucja');
      }
    });

    it('is accepted in a white-label platform header', async () => {
      const recorder = app.get(Recorder);
      const before = recorder.received.length;
      const delivery = createFalkorDelivery('rewards', { platformName: 'ByteKast' });
      const response = await request(app.getHttpServer())
        .post('/webhooks/falkor')
        .set(delivery.headers)
        .send(delivery.body);
      expect(response.status).toBe(200);
      expect(recorder.received[before].platform).toBe('ByteKast');
    });

    it('is refused when signed with another secret', async () => {
      const delivery = createFalkorDelivery('enrolments', { secret: 'not-the-test-secret' });
      const response = await request(app.getHttpServer())
        .post('/webhooks/falkor')
        .set(delivery.headers)
        .send(delivery.body);
      expect(response.status).toBe(401);
    });
  },
);
