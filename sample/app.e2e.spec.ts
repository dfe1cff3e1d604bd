import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import {
  createFalkorDelivery,
  type FalkorPayloadOverrides,
  falkorSampleAttendee,
  falkorSampleEnrolment,
  falkorSampleEvent,
  falkorSampleReward,
  falkorSampleVoucher,
} from 'nestjs-falkor-webhook/testing';
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

  /** What the listeners logged since the last call, as `<listener>: <message>`. */
  function logged(): string[] {
    const lines = log.mock.calls.map(
      (call, index) => `${(log.mock.contexts[index] as { context?: string }).context}: ${call[0]}`,
    );
    log.mockClear();
    // Sorted: the changes of a delivery run concurrently, so their order is not promised.
    return lines.filter((line) => /^(Certificates|Tickets|Vouchers)Listener: /.test(line)).sort();
  }

  async function deliver(
    type: 'enrolments' | 'events' | 'rewards',
    overrides: FalkorPayloadOverrides = {},
  ) {
    const delivery = createFalkorDelivery(type, { secret: DEVELOPMENT_SECRET, overrides });
    log.mockClear();
    return request(app.getHttpServer())
      .post('/webhooks/falkor')
      .set(delivery.headers)
      .send(delivery.body);
  }

  it.each([
    [
      'enrolments',
      { listeners: 2, changes: { fired: 2, alreadyDone: 0 } },
      [
        'CertificatesListener: test2@example is In Progress (50%) on pathway FA-HCPG-06RF',
        'CertificatesListener: test@example.com is In Progress (90%) on pathway FA-HCPG-06RF',
      ],
    ],
    [
      'events',
      { listeners: 1, changes: { fired: 1, alreadyDone: 0 } },
      [
        'TicketsListener: ticket 8bd0705f-c640-4191-9a1c-1a8cc73ad949 for test@example.com to Event (2 booked)',
      ],
    ],
    // The docs' voucher is "notified": no listener waits for that change.
    ['rewards', { listeners: 0, changes: { fired: 0, alreadyDone: 0 } }, []],
  ] as const)(
    'hands the records of the docs %s delivery to its record listeners',
    async (type, answer, lines) => {
      const response = await deliver(type);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ received: true, type, ...answer });
      expect(logged()).toEqual(lines);
    },
  );

  it('fires a record event once across two identical deliveries, and for other bytes too', async () => {
    const overrides = {
      data: { events: [falkorSampleEvent({ attendees: [falkorSampleAttendee({ guid: 'g-1' })] })] },
    };
    const first = await deliver('events', overrides);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      received: true,
      type: 'events',
      listeners: 1,
      changes: { fired: 1, alreadyDone: 0 },
    });
    expect(logged()).toEqual([
      'TicketsListener: ticket g-1 for test@example.com to Event (2 booked)',
    ]);
    const again = await deliver('events', overrides);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({
      received: true,
      type: 'events',
      listeners: 0,
      changes: { fired: 0, alreadyDone: 1 },
    });
    expect(logged()).toEqual([]);
    // Another delivery carrying the same booking, in another event count: still the same change.
    const other = await deliver('events', {
      data: {
        events: [
          falkorSampleEvent({ booked: 3, attendees: [falkorSampleAttendee({ guid: 'g-1' })] }),
        ],
      },
    });
    expect(other.body.changes).toEqual({ fired: 0, alreadyDone: 1 });
    expect(logged()).toEqual([]);
  });

  it('issues a certificate once per completion, and again after a new enrolment', async () => {
    const ada = (joined: string) =>
      falkorSampleEnrolment({
        email: 'ada@example.com',
        status: { state: 'Complete', progress: 100, joined },
      });
    const delivery = (joined: string) => ({
      data: {
        pathway: { ID: 'FA-TEST-0001' },
        enrolments: [
          ada(joined),
          falkorSampleEnrolment({ email: 'bob@example.com', status: { progress: undefined } }),
        ],
      },
    });
    const response = await deliver('enrolments', delivery('2020-10-01T12:00:06+02:00'));
    expect(response.status).toBe(200);
    expect(response.body.changes).toEqual({ fired: 3, alreadyDone: 0 });
    expect(logged()).toEqual([
      'CertificatesListener: ada@example.com is Complete (100%) on pathway FA-TEST-0001',
      'CertificatesListener: bob@example.com is In Progress (0%) on pathway FA-TEST-0001',
      'CertificatesListener: certificate for ada@example.com on pathway FA-TEST-0001',
    ]);
    const again = await deliver('enrolments', delivery('2020-10-01T12:00:06+02:00'));
    expect(again.body.changes).toEqual({ fired: 0, alreadyDone: 3 });
    expect(logged()).toEqual([]);
    const reenrolled = await deliver('enrolments', delivery('2021-03-01T09:00:00+02:00'));
    expect(reenrolled.body.changes).toEqual({ fired: 2, alreadyDone: 1 });
    expect(logged()).toEqual([
      'CertificatesListener: ada@example.com is Complete (100%) on pathway FA-TEST-0001',
      'CertificatesListener: certificate for ada@example.com on pathway FA-TEST-0001',
    ]);
  });

  it('sends tickets to booked attendees only', async () => {
    const response = await deliver('events', {
      data: {
        events: [
          falkorSampleEvent({
            name: undefined,
            booked: '2',
            attendees: [
              falkorSampleAttendee({ guid: 'g-booked' }),
              falkorSampleAttendee({ guid: 'g-attended', state: 'attended' }),
            ],
          }),
        ],
      },
    });
    expect(response.status).toBe(200);
    // The string "2" the list API sends arrives as the number.
    expect(logged()).toEqual([
      'TicketsListener: ticket g-booked for test@example.com to FABK-YVUU-89RU (2 booked)',
    ]);
  });

  it('fulfils pending vouchers only, once each', async () => {
    const rewards = (state: string) => ({
      data: {
        rewards: [
          falkorSampleReward({
            vouchers: [
              falkorSampleVoucher({ guid: 'v-pending', state, expires: '2027-01-31' }),
              falkorSampleVoucher({ guid: 'v-redeemed', state: 'redeemed' }),
            ],
          }),
        ],
      },
    });
    const response = await deliver('rewards', rewards('pending'));
    expect(response.status).toBe(200);
    expect(logged()).toEqual([
      'VouchersListener: fulfil voucher v-pending (Cup of Coffee) for test@example.com, expires 2027-01-31',
    ]);
    const again = await deliver('rewards', rewards('pending'));
    expect(again.body.changes).toEqual({ fired: 0, alreadyDone: 1 });
    expect(logged()).toEqual([]);
    // Notified since: no listener waits for that change.
    const notified = await deliver('rewards', rewards('notified'));
    expect(notified.body.changes).toEqual({ fired: 0, alreadyDone: 0 });
    expect(logged()).toEqual([]);
  });

  it('refuses a delivery signed with another secret', async () => {
    log.mockClear();
    const delivery = createFalkorDelivery('rewards', { secret: 'not-the-sample-secret' });
    const response = await request(app.getHttpServer())
      .post('/webhooks/falkor')
      .set(delivery.headers)
      .send(delivery.body);
    expect(response.status).toBe(401);
    expect(logged()).toEqual([]);
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
