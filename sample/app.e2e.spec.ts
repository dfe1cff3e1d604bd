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
    return lines.filter((line) => /^(Certificates|Tickets|Vouchers)Listener: /.test(line));
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
      [
        'CertificatesListener: test@example.com is In Progress (90%) on pathway FA-HCPG-06RF',
        'CertificatesListener: test2@example is In Progress (50%) on pathway FA-HCPG-06RF',
      ],
    ],
    [
      'events',
      [
        'TicketsListener: ticket 8bd0705f-c640-4191-9a1c-1a8cc73ad949 for test@example.com to Event (2 booked)',
      ],
    ],
    [
      'rewards',
      [
        'VouchersListener: fulfil voucher 6c720133-3916-4172-94c9-62d1394fc72b (Cup of Coffee) for test@example.com, expires never',
      ],
    ],
  ] as const)('hands the docs %s delivery to its listener, which logs it', async (type, lines) => {
    const response = await deliver(type);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ received: true, type, listeners: 1 });
    expect(logged()).toEqual(lines);
  });

  it('issues a certificate only for a Complete enrolment', async () => {
    const response = await deliver('enrolments', {
      data: {
        pathway: { ID: 'FA-TEST-0001' },
        enrolments: [
          falkorSampleEnrolment({
            email: 'ada@example.com',
            status: { state: 'Complete', progress: 100 },
          }),
          falkorSampleEnrolment({ email: 'bob@example.com', status: { progress: undefined } }),
        ],
      },
    });
    expect(response.status).toBe(200);
    expect(logged()).toEqual([
      'CertificatesListener: certificate for ada@example.com on pathway FA-TEST-0001',
      'CertificatesListener: bob@example.com is In Progress (0%) on pathway FA-TEST-0001',
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

  it('fulfils pending and notified vouchers only', async () => {
    const response = await deliver('rewards', {
      data: {
        rewards: [
          falkorSampleReward({
            vouchers: [
              falkorSampleVoucher({ guid: 'v-pending', state: 'pending', expires: '2027-01-31' }),
              falkorSampleVoucher({ guid: 'v-redeemed', state: 'redeemed' }),
            ],
          }),
        ],
      },
    });
    expect(response.status).toBe(200);
    expect(logged()).toEqual([
      'VouchersListener: fulfil voucher v-pending (Cup of Coffee) for test@example.com, expires 2027-01-31',
    ]);
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
