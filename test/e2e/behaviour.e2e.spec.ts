import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import {
  FalkorEnrolmentsPayloadDto,
  type FalkorWebhookEvent,
  OnFalkorEvent,
  signFalkorPayload,
} from '../../src/index.js';
import {
  createFalkorDelivery,
  falkorSampleEnrolment,
  falkorSampleEvent,
} from '../../src/testing/index.js';
import {
  adapters,
  createApp,
  postRaw,
  RecordingListener,
  TEST_SECRET,
  webhookModule,
} from '../support/apps.js';

@Injectable()
class Failing {
  calls = 0;

  @OnFalkorEvent('rewards')
  async fail(): Promise<void> {
    this.calls++;
    throw new Error('reward store unavailable');
  }
}

const PATH = '/webhooks/falkor';

describe.each(adapters)('the webhook route on %s', (adapter) => {
  let app: INestApplication;
  let recorder: RecordingListener;
  let failing: Failing;

  beforeAll(async () => {
    app = await createApp(adapter, [webhookModule()], { providers: [RecordingListener, Failing] });
    recorder = app.get(RecordingListener);
    failing = app.get(Failing);
  });
  afterAll(() => app.close());

  function post(body: string | Buffer, headers: Record<string, string>) {
    return request(app.getHttpServer()).post(PATH).set(headers).send(body);
  }

  it('answers 200 after the listener received the validated DTO instance', async () => {
    const before = recorder.received.length;
    const delivery = createFalkorDelivery('enrolments', { secret: TEST_SECRET });
    const response = await post(delivery.body, delivery.headers);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ received: true, type: 'enrolments', listeners: 1 });
    expect(recorder.received).toHaveLength(before + 1);
    const event = recorder.received[before] as FalkorWebhookEvent<'enrolments'>;
    expect(event.type).toBe('enrolments');
    expect(event.payload).toBeInstanceOf(FalkorEnrolmentsPayloadDto);
    expect(event.payload.data.pathway.ID).toBe('FA-HCPG-06RF');
    expect(event.payload.data.enrolments[0].status.state).toBe('In Progress');
    expect(event.receivedAt).toBeInstanceOf(Date);
    expect(event.rawBody.equals(Buffer.from(delivery.body))).toBe(true);
    expect(event.platform).toBe('Falkor');
    expect(event.secretIndex).toBe(0);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['without prefix', 'a'.repeat(64)],
    ['of another algorithm', `sha1=${'a'.repeat(40)}`],
    ['of the wrong secret', signFalkorPayload('{}', 'another-secret')],
  ])('answers 401 to a signature header that is %s, and dispatches nothing', async (_, value) => {
    const before = recorder.received.length;
    const delivery = createFalkorDelivery('enrolments', { secret: TEST_SECRET });
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (value !== undefined) {
      headers['Falkor-Webhook-Signature'] = value;
    }
    const response = await post(delivery.body, headers);
    expect(response.status).toBe(401);
    expect(response.body.message).toContain('Falkor-Webhook-Signature');
    expect(JSON.stringify(response.body)).not.toContain(
      delivery.headers['Falkor-Webhook-Signature'],
    );
    expect(JSON.stringify(response.body)).not.toContain(TEST_SECRET);
    expect(recorder.received).toHaveLength(before);
  });

  it('answers 401 to a body changed after signing', async () => {
    const delivery = createFalkorDelivery('enrolments', { secret: TEST_SECRET });
    const tampered = delivery.body.replace('"progress":90', '"progress":100');
    expect(tampered).not.toBe(delivery.body);
    const response = await post(tampered, delivery.headers);
    expect(response.status).toBe(401);
  });

  it('answers 400 to a correctly signed body that is not JSON', async () => {
    const before = recorder.received.length;
    const body = '{"type": "enrolments",';
    const response = await post(body, {
      'Content-Type': 'application/json',
      'Falkor-Webhook-Signature': signFalkorPayload(body, TEST_SECRET),
    });
    expect(response.status).toBe(400);
    expect(recorder.received).toHaveLength(before);
  });

  it('answers 400 to a correctly signed body that is not valid UTF-8', async () => {
    const before = recorder.received.length;
    const body = Buffer.concat([
      Buffer.from('{"type":"enrolments","note":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]);
    const response = await postRaw(app, PATH, body, {
      'Content-Type': 'application/json',
      'Falkor-Webhook-Signature': signFalkorPayload(body, TEST_SECRET),
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'Bad Request', code: 'payload_invalid' });
    expect(response.body.message).toContain('UTF-8');
    expect(recorder.received).toHaveLength(before);
  });

  it('answers 400 with the failing property paths to a payload that fails its DTO', async () => {
    const before = recorder.received.length;
    const delivery = createFalkorDelivery('enrolments', {
      secret: TEST_SECRET,
      overrides: {
        data: {
          enrolments: [
            falkorSampleEnrolment({ email: 42, status: { state: undefined, progress: 'ninety' } }),
          ],
        },
      },
    });
    const response = await post(delivery.body, delivery.headers);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'Bad Request', code: 'validation_failed' });
    const paths = (response.body.errors as { property: string }[]).map((e) => e.property);
    expect(paths).toEqual(
      expect.arrayContaining([
        'data.enrolments.0.email',
        'data.enrolments.0.status.state',
        'data.enrolments.0.status.progress',
      ]),
    );
    expect(recorder.received).toHaveLength(before);
  });

  it.each([
    ['no "type" field', { data: { pathway: { ID: 'FA-HCPG-06RF' }, enrolments: [] } }],
    ['a "type" that is not a string', { type: 7, data: {} }],
  ])('answers 400 to a correctly signed body with %s, dispatching nothing', async (_, payload) => {
    const before = recorder.received.length;
    const body = JSON.stringify(payload);
    const response = await post(body, {
      'Content-Type': 'application/json',
      'Falkor-Webhook-Signature': signFalkorPayload(body, TEST_SECRET),
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'Bad Request', code: 'payload_invalid' });
    expect(response.body.message).toContain('names no event type');
    expect(recorder.received).toHaveLength(before);
  });

  it('keeps fields the catalog does not declare', async () => {
    const before = recorder.received.length;
    const delivery = createFalkorDelivery('events', {
      secret: TEST_SECRET,
      overrides: { tenant: 'acme', data: { events: [falkorSampleEvent({ capacity: 3 })] } },
    });
    expect((await post(delivery.body, delivery.headers)).status).toBe(200);
    const event = recorder.received[before] as FalkorWebhookEvent<'events'>;
    expect(event.payload.tenant).toBe('acme');
    expect(event.payload.data.events[0].capacity).toBe(3);
  });

  it('answers 200 to an event type nobody knows, dispatching nothing', async () => {
    const before = recorder.received.length;
    const body = JSON.stringify({
      type: 'certificates',
      data: { pathway: { name: 'Pathway Name', ID: 'FA-HCPG-06RF' } },
    });
    const response = await post(body, {
      'Content-Type': 'application/json',
      'Falkor-Webhook-Signature': signFalkorPayload(body, TEST_SECRET),
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ received: true, type: 'certificates', listeners: 0 });
    expect(recorder.received).toHaveLength(before);
  });

  it('answers 500 when a listener throws, after the other listeners ran', async () => {
    const before = recorder.received.length;
    const calls = failing.calls;
    const delivery = createFalkorDelivery('rewards', { secret: TEST_SECRET });
    const response = await post(delivery.body, delivery.headers);
    expect(response.status).toBe(500);
    expect(response.body).toMatchObject({
      error: 'Internal Server Error',
      code: 'listener_failed',
    });
    expect(response.body.message).toContain('Failing.fail');
    // The platform's docs say nothing of retries: the answer only says a sender that retries can.
    expect(response.body.message).toContain('so a sender that retries can deliver it again');
    expect(response.body.message).not.toMatch(/(platform|Falkor) (will )?retr/i);
    expect(failing.calls).toBe(calls + 1);
    expect(recorder.received).toHaveLength(before + 1);
  });
});

describe.each(adapters)('an app created without rawBody on %s', (adapter) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createApp(adapter, [webhookModule()], {
      rawBody: false,
      providers: [RecordingListener],
    });
  });
  afterAll(() => app.close());

  it('answers 500 naming the fix, never 401, and dispatches nothing', async () => {
    const delivery = createFalkorDelivery('enrolments', { secret: TEST_SECRET });
    const response = await request(app.getHttpServer())
      .post(PATH)
      .set(delivery.headers)
      .send(delivery.body);
    expect(response.status).toBe(500);
    expect(response.body.message).toContain('rawBody: true');
    expect(app.get(RecordingListener).received).toHaveLength(0);
  });
});
