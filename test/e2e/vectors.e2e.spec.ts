import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { type FalkorWebhookEvent, FalkorWebhookModule } from '../../src/index.js';
import { FALKOR_SAMPLE_PAYLOADS } from '../../src/testing/index.js';
import { adapters, createApp, postRaw, RecordingListener } from '../support/apps.js';
import {
  docsDeliveryVectors,
  type DocsDeliveryVector,
  signatureVectors,
} from '../support/vectors.js';

const secrets = [...new Set([...signatureVectors, ...docsDeliveryVectors].map((v) => v.secret))];

/**
 * What each reference vector gets: every one verifies; the two that are no delivery (no body, no
 * `type`) are refused as payloads, never as signatures. A vector added to the fixture without an
 * entry here fails, so that its expected answer is decided rather than assumed.
 */
const EXPECTED_STATUS: Readonly<Record<string, number>> = {
  'php-json-encode-default': 200,
  'php-json-unescaped': 200,
  'php-json-pretty': 200,
  'utf8-bom-prefix': 200,
  'empty-object': 400,
  'empty-body': 400,
  'short-secret': 200,
  'long-secret': 200,
  'unicode-secret': 200,
  'body-64k': 200,
};

/** The values the docs' example of each type publishes, written out rather than read from a sample. */
function expectDocumentedValues(vector: DocsDeliveryVector, event: FalkorWebhookEvent): void {
  expect(event.type).toBe(vector.type);
  expect(event.payload.type).toBe(vector.type);
  expect(event.payload.data.pathway.ID).toBe('FA-HCPG-06RF');
  switch (event.type) {
    case 'enrolments': {
      const { enrolments } = event.payload.data;
      expect(event.payload.data.pathway.name).toBe('Pathway Name');
      expect(enrolments.map((enrolment) => enrolment.email)).toEqual([
        'test@example.com',
        'test2@example',
      ]);
      expect(enrolments[0].status).toMatchObject({
        level: 2,
        state: 'In Progress',
        progress: 90,
        version: '1.2.3',
        timestamp: '2020-10-09T14:59:06+02:00',
        joined: '2020-10-07T12:00:06+02:00',
      });
      expect(enrolments[1].city).toBe('Johannesburg');
      expect(enrolments[1].status.progress).toBe(50);
      break;
    }
    case 'events': {
      const [activity] = event.payload.data.events;
      expect(event.payload.data.events).toHaveLength(1);
      expect(activity.ID).toBe('FABK-YVUU-89RU');
      expect(activity.type).toBe('event');
      expect(activity.start).toBe('2020-10-15T16:15:00+02:00');
      expect(activity.venue).toEqual({ place: 'Cable Car Station', location: 'Cape Town ZA' });
      expect(activity.booked).toBe(2);
      expect(activity.available).toBe(4);
      expect(activity.attendees).toHaveLength(1);
      expect(activity.attendees[0]).toMatchObject({
        guid: '8bd0705f-c640-4191-9a1c-1a8cc73ad949',
        state: 'booked',
        email: 'test@example.com',
      });
      break;
    }
    case 'rewards': {
      const [reward] = event.payload.data.rewards;
      expect(event.payload.data.rewards).toHaveLength(1);
      expect(reward.ID).toBe('FARE-STZH-05MD');
      expect(reward.name).toBe('Cup of Coffee');
      expect(reward.vouchers).toHaveLength(1);
      expect(reward.vouchers[0]).toMatchObject({
        guid: '6c720133-3916-4172-94c9-62d1394fc72b',
        state: 'notified',
        expires: 'never',
      });
      break;
    }
  }
}

describe.each(adapters)('the reference vectors sent to %s', (adapter) => {
  let app: INestApplication;
  let recorder: RecordingListener;

  beforeAll(async () => {
    app = await createApp(adapter, [FalkorWebhookModule.forRoot({ secret: secrets })], {
      providers: [RecordingListener],
    });
    recorder = app.get(RecordingListener);
  });
  afterAll(() => app.close());

  it('has an expected answer for every signature vector', () => {
    expect(signatureVectors.map((v) => v.name).sort()).toEqual(Object.keys(EXPECTED_STATUS).sort());
  });

  it.each(signatureVectors.map((v) => [v.name, v] as const))(
    '%s passes verification with its exact bytes',
    async (name, vector) => {
      const before = recorder.received.length;
      const response = await postRaw(app, '/webhooks/falkor', vector.body, {
        'Content-Type': 'application/json',
        'Falkor-Webhook-Signature': vector.signature,
      });
      expect(response.status).toBe(EXPECTED_STATUS[name]);
      if (response.status === 200) {
        expect(recorder.received).toHaveLength(before + 1);
        expect(recorder.received[before].rawBody.equals(vector.body)).toBe(true);
      } else {
        // Fastify refuses an empty application/json body itself, before the route.
        if (vector.body.length > 0 || adapter === 'express') {
          expect(response.body).toMatchObject({ error: 'Bad Request', code: 'payload_invalid' });
        }
        expect(recorder.received).toHaveLength(before);
      }
    },
  );

  it.each(docsDeliveryVectors.map((v) => [v.name, v] as const))(
    'accepts the docs delivery %s with its exact bytes, with the documented values',
    async (_, vector) => {
      const before = recorder.received.length;
      const response = await postRaw(app, '/webhooks/falkor', vector.body, {
        'Content-Type': 'application/json',
        'Falkor-Webhook-Signature': vector.signature,
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ received: true, type: vector.type, listeners: 1 });
      expect(recorder.received).toHaveLength(before + 1);
      const event = recorder.received[before];
      expect(event.rawBody.equals(vector.body)).toBe(true);
      expectDocumentedValues(vector, event);
      // The testing kit's samples are these very deliveries.
      expect(event.payload).toEqual(FALKOR_SAMPLE_PAYLOADS[vector.type]);
    },
  );

  it.each(
    [...signatureVectors, ...docsDeliveryVectors]
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

describe.each(adapters)('the docs deliveries with strictValues on %s', (adapter) => {
  // The docs' own examples hold only documented values (`test2@example` included): strict mode
  // must not refuse what the platform publishes.
  let app: INestApplication;
  let recorder: RecordingListener;

  beforeAll(async () => {
    app = await createApp(
      adapter,
      [FalkorWebhookModule.forRoot({ secret: secrets, strictValues: true })],
      { providers: [RecordingListener] },
    );
    recorder = app.get(RecordingListener);
  });
  afterAll(() => app.close());

  it.each(docsDeliveryVectors.map((v) => [v.name, v] as const))('accepts %s', async (_, vector) => {
    const before = recorder.received.length;
    const response = await postRaw(app, '/webhooks/falkor', vector.body, {
      'Content-Type': 'application/json',
      'Falkor-Webhook-Signature': vector.signature,
    });
    expect(response.status).toBe(200);
    expectDocumentedValues(vector, recorder.received[before]);
  });
});
