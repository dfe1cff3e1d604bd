import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { type FalkorWebhookEvent, FalkorWebhookModule, OnFalkorEvent } from '../../src/index.js';
import { adapters, createApp, postRaw } from '../support/apps.js';
import { signatureVectors } from '../support/vectors.js';

@Injectable()
class Recorder {
  readonly received: FalkorWebhookEvent[] = [];

  @OnFalkorEvent([
    'enrolment.completed',
    'reward.unlocked',
    'attendance.checked_in',
    'attendance.registered',
  ])
  record(event: FalkorWebhookEvent): void {
    this.received.push(event);
  }
}

const secrets = [...new Set(signatureVectors.map((v) => v.secret))];

describe.each(adapters)('the reference vectors sent to %s', (adapter) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createApp(adapter, [FalkorWebhookModule.forRoot({ secret: secrets })], {
      providers: [Recorder],
    });
  });
  afterAll(() => app.close());

  it.each(signatureVectors.map((v) => [v.name, v] as const))(
    '%s passes verification with its exact bytes',
    async (_, vector) => {
      const response = await postRaw(app, '/webhooks/falkor', vector.body, {
        'Content-Type': 'application/json',
        'Falkor-Webhook-Signature': vector.signature,
      });
      expect(response.status).not.toBe(401);
      expect(response.status).toBeLessThan(500);
      if (vector.name === 'empty-body') {
        expect(response.status).toBe(400);
      }
      if (
        vector.name.startsWith('php-') ||
        vector.name === 'utf8-bom-prefix' ||
        vector.name === 'body-64k'
      ) {
        expect(response.status).toBe(200);
      }
    },
  );

  it.each(
    signatureVectors
      .filter(
        (v) =>
          v.body.length > 0 &&
          JSON.stringify(JSON.parse(v.body.toString('utf8').replace(/^\uFEFF/, ''))) !==
            v.body.toString('utf8'),
      )
      .map((v) => [v.name, v] as const),
  )('%s re-serialised is rejected with 401', async (_, vector) => {
    const reserialised = JSON.stringify(
      JSON.parse(vector.body.toString('utf8').replace(/^\uFEFF/, '')),
    );
    const response = await request(app.getHttpServer())
      .post('/webhooks/falkor')
      .set('Content-Type', 'application/json')
      .set('Falkor-Webhook-Signature', vector.signature)
      .send(reserialised);
    expect(response.status).toBe(401);
  });
});
