import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type INestApplication, Injectable } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { IsString } from 'class-validator';
import {
  FalkorConfigurationError,
  type FalkorDeliveryType,
  FalkorWebhookModule,
  OnFalkorEvent,
  signFalkorPayload,
} from '../../src/index.js';
import {
  falkorSampleAttendee,
  falkorSampleEnrolment,
  falkorSampleEvent,
  falkorSamplePayload,
  falkorSampleReward,
  falkorSampleVoucher,
} from '../../src/testing/index.js';
import {
  adapters,
  createCustomApp,
  postRaw,
  RecordingListener,
  RecordingLogger,
  TEST_SECRET,
  webhookModule,
} from '../support/apps.js';

const PATH = '/webhooks/falkor';

function post(app: INestApplication, payload: unknown) {
  const body = JSON.stringify(payload);
  return postRaw(app, PATH, body, {
    'Content-Type': 'application/json',
    'Falkor-Webhook-Signature': signFalkorPayload(body, TEST_SECRET),
  });
}

type Errors = { property: string }[];
const paths = (body: { errors?: Errors }) => (body.errors ?? []).map((error) => error.property);

describe.each(adapters)('the documented catalog on %s', (adapter) => {
  let app: INestApplication;
  let recorder: RecordingListener;
  const logger = new RecordingLogger();

  beforeAll(async () => {
    app = await createCustomApp(adapter, {
      imports: [EventEmitterModule.forRoot(), webhookModule()],
      providers: [RecordingListener],
      appOptions: { logger },
    });
    recorder = app.get(RecordingListener);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    recorder.received.length = 0;
    logger.lines.length = 0;
  });

  describe('the structure rules', () => {
    it('refuse a delivery without a type with 400 before any listener runs', async () => {
      const response = await post(app, falkorSamplePayload('enrolments', { type: undefined }));
      expect(response.status).toBe(400);
      expect(response.body.message).toContain('"type"');
      expect(recorder.received).toHaveLength(0);
    });

    it.each([
      ['enrolments', { data: { pathway: { ID: undefined } } }, 'data.pathway.ID'],
      ['enrolments', { data: { pathway: 'FA-1' } }, 'data.pathway'],
      ['enrolments', { data: { enrolments: { email: 'a@b.c' } } }, 'data.enrolments'],
      [
        'rewards',
        { data: { rewards: [{ ID: 'R', vouchers: [{ guid: 'g' }] }] } },
        'data.rewards.0.vouchers.0.state',
      ],
      [
        'events',
        { data: { events: [falkorSampleEvent({ attendees: 'none' })] } },
        'data.events.0.attendees',
      ],
      [
        'events',
        { data: { events: [falkorSampleEvent({ venue: 'Cape Town' })] } },
        'data.events.0.venue',
      ],
      [
        'enrolments',
        { data: { enrolments: [falkorSampleEnrolment({ status: { level: '2' } })] } },
        'data.enrolments.0.status.level',
      ],
    ] as [FalkorDeliveryType, Record<string, unknown>, string][])(
      'refuse a %s delivery breaking %j with 400 naming %s',
      async (type, overrides, path) => {
        const response = await post(app, falkorSamplePayload(type, overrides));
        expect(response.status).toBe(400);
        expect(paths(response.body)).toContain(path);
        expect(recorder.received).toHaveLength(0);
      },
    );

    it('name every failing property of a delivery with several records', async () => {
      const response = await post(
        app,
        falkorSamplePayload('events', {
          data: {
            events: [
              falkorSampleEvent(),
              falkorSampleEvent({
                attendees: [falkorSampleAttendee(), falkorSampleAttendee(), { state: 'booked' }],
              }),
            ],
          },
        }),
      );
      expect(response.status).toBe(400);
      expect(paths(response.body)).toEqual(['data.events.1.attendees.2.guid']);
      const enrolments = await post(
        app,
        falkorSamplePayload('enrolments', {
          data: {
            enrolments: [falkorSampleEnrolment(), falkorSampleEnrolment({ email: undefined })],
          },
        }),
      );
      expect(paths(enrolments.body)).toEqual(['data.enrolments.1.email']);
    });

    it('accept empty lists and dispatch them', async () => {
      const response = await post(app, falkorSamplePayload('rewards', { data: { rewards: [] } }));
      expect(response.status).toBe(200);
      expect(recorder.received).toHaveLength(1);
    });
  });

  describe('the leniency rules', () => {
    it('accept optional fields absent, null or "", and keep unknown fields at every level', async () => {
      const response = await post(app, {
        type: 'enrolments',
        source: 'lms',
        data: {
          pathway: { ID: 'FA-1', name: null, owner: 'L&D' },
          batch: 7,
          enrolments: [
            { email: 'a@example.com', status: { state: 'Complete' } },
            {
              email: 'b@example.com',
              country: null,
              city: '',
              status: { state: 'In Progress', level: '', progress: null, badge: 'gold' },
              telephone: '+27 21 000 0000',
            },
          ],
        },
      });
      expect(response.status).toBe(200);
      const { payload } = recorder.received[0];
      expect(payload).toMatchObject({
        source: 'lms',
        data: {
          pathway: { ID: 'FA-1', name: null, owner: 'L&D' },
          batch: 7,
          enrolments: [
            { email: 'a@example.com' },
            {
              country: null,
              city: '',
              status: { level: '', progress: null, badge: 'gold' },
              telephone: '+27 21 000 0000',
            },
          ],
        },
      });
    });

    it.each([
      [2, 4, 2, 4],
      ['3', '12', 3, 12],
      ['2', 'Unlimited', 2, 'Unlimited'],
      ['n/a', 'lots', 'n/a', 'lots'],
    ])(
      'give listeners booked %j and available %j as %j and %j',
      async (booked, available, b, a) => {
        const response = await post(
          app,
          falkorSamplePayload('events', {
            data: { events: [falkorSampleEvent({ booked, available })] },
          }),
        );
        expect(response.status).toBe(200);
        const { payload } = recorder.received[0] as FalkorEventPayload<'events'>;
        expect(payload.data.events[0].booked).toBe(b);
        expect(payload.data.events[0].available).toBe(a);
      },
    );
  });

  describe('values the docs do not list', () => {
    const undocumented: [FalkorDeliveryType, Record<string, unknown>, string, string][] = [
      [
        'enrolments',
        { data: { enrolments: [falkorSampleEnrolment({ status: { state: 'Paused' } })] } },
        'data.enrolments.0.status.state',
        '"Paused"',
      ],
      [
        'enrolments',
        { data: { enrolments: [falkorSampleEnrolment({ status: { progress: 140 } })] } },
        'data.enrolments.0.status.progress',
        '140',
      ],
      [
        'enrolments',
        { data: { enrolments: [falkorSampleEnrolment({ status: { joined: 'last Tuesday' } })] } },
        'data.enrolments.0.status.joined',
        '"last Tuesday"',
      ],
      [
        'enrolments',
        { data: { enrolments: [falkorSampleEnrolment({ email: 'nobody' })] } },
        'data.enrolments.0.email',
        '"nobody"',
      ],
      [
        'events',
        {
          data: {
            events: [
              falkorSampleEvent({ attendees: [falkorSampleAttendee({ state: 'waitlisted' })] }),
            ],
          },
        },
        'data.events.0.attendees.0.state',
        '"waitlisted"',
      ],
      [
        'rewards',
        {
          data: {
            rewards: [falkorSampleReward({ vouchers: [falkorSampleVoucher({ state: 'gifted' })] })],
          },
        },
        'data.rewards.0.vouchers.0.state',
        '"gifted"',
      ],
    ];

    it.each(undocumented)(
      'accept a %s delivery with %j, dispatch it as it came and warn once naming %s',
      async (type, overrides, path, value) => {
        const payload = falkorSamplePayload(type, overrides);
        for (let copy = 0; copy < 2; copy++) {
          const response = await post(app, payload);
          expect(response.status).toBe(200);
        }
        expect(recorder.received).toHaveLength(2);
        expect(JSON.parse(recorder.received[0].rawBody.toString())).toEqual(payload);
        const warnings = logger.at('warn').filter((line) => line.includes(path));
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toContain(value);
        expect(warnings[0]).toContain('strictValues');
      },
    );

    it("accept the docs' own test2@example without a warning", async () => {
      const response = await post(app, falkorSamplePayload('enrolments'));
      expect(response.status).toBe(200);
      expect(logger.at('warn')).toEqual([]);
    });

    it('warn again for another value of the same field, and not for a record elsewhere in the list', async () => {
      const payload = (state: string) =>
        falkorSamplePayload('enrolments', {
          data: {
            enrolments: [
              falkorSampleEnrolment({ status: { state } }),
              falkorSampleEnrolment({ email: 'x@example.com', status: { state } }),
            ],
          },
        });
      await post(app, payload('Suspended'));
      await post(app, payload('Archived'));
      const warnings = logger.at('warn');
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toContain('"Suspended"');
      expect(warnings[1]).toContain('"Archived"');
    });

    it('escape and bound a value a stranger controls in the warning', async () => {
      const state = `Evil\u0085\u009b[31m\n${'x'.repeat(5000)}`;
      await post(
        app,
        falkorSamplePayload('enrolments', {
          data: { enrolments: [falkorSampleEnrolment({ status: { state } })] },
        }),
      );
      const [warning] = logger.at('warn');
      expect(warning).toContain('Evil\\u0085\\u009b[31m\\u000a');
      expect(warning).not.toMatch(/[\u0085\u009b\n]/);
      expect(warning.length).toBeLessThan(500);
    });
  });

  describe('unknown types', () => {
    it('acknowledge a type without a DTO and log it once', async () => {
      for (let copy = 0; copy < 2; copy++) {
        const response = await post(app, { type: 'certificates', data: {} });
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ received: true, type: 'certificates', listeners: 0 });
      }
      expect(logger.at('warn').filter((line) => line.includes('"certificates"'))).toHaveLength(1);
    });
  });
});

/** The event a listener of `T` receives, as the recorder keeps it. */
type FalkorEventPayload<T extends FalkorDeliveryType> =
  import('../../src/index.js').FalkorWebhookEvent<T>;

describe.each(adapters)('strictValues on %s', (adapter) => {
  let app: INestApplication;
  let recorder: RecordingListener;

  beforeAll(async () => {
    app = await createCustomApp(adapter, {
      imports: [EventEmitterModule.forRoot(), webhookModule({ strictValues: true })],
      providers: [RecordingListener],
    });
    recorder = app.get(RecordingListener);
  });
  afterAll(() => app.close());

  it('refuse undocumented values with 400 naming each, before any listener runs', async () => {
    const response = await post(
      app,
      falkorSamplePayload('enrolments', {
        data: {
          enrolments: [
            falkorSampleEnrolment({ status: { state: 'Paused', progress: 101 } }),
            falkorSampleEnrolment({ status: { timestamp: 'yesterday' } }),
          ],
        },
      }),
    );
    expect(response.status).toBe(400);
    expect(paths(response.body)).toEqual([
      'data.enrolments.0.status.state',
      'data.enrolments.0.status.progress',
      'data.enrolments.1.status.timestamp',
    ]);
    expect(recorder.received).toHaveLength(0);
  });

  it.each(['enrolments', 'events', 'rewards'] as const)(
    "still accept the docs' %s example",
    async (type) => {
      const response = await post(app, falkorSamplePayload(type));
      expect(response.status).toBe(200);
    },
  );
});

describe('a listener of a type without a DTO', () => {
  @Injectable()
  class Certificates {
    @OnFalkorEvent('certificates' as FalkorDeliveryType)
    issue(): void {}
  }

  class CertificatesDto {
    @IsString()
    type: string;
  }

  it.each(adapters)(
    'fails start-up on %s, naming the type and how to add its DTO',
    async (adapter) => {
      const failure = await createCustomApp(adapter, {
        imports: [EventEmitterModule.forRoot(), webhookModule()],
        providers: [Certificates],
      }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(FalkorConfigurationError);
      expect((failure as Error).message).toContain('"certificates"');
      expect((failure as Error).message).toContain('events: {');
      expect((failure as Error).message).toContain('FalkorEventMap');
    },
  );

  it.each(adapters)('starts on %s once the type has its DTO', async (adapter) => {
    const app = await createCustomApp(adapter, {
      imports: [
        EventEmitterModule.forRoot(),
        FalkorWebhookModule.forRoot({
          secret: TEST_SECRET,
          events: { certificates: CertificatesDto },
        }),
      ],
      providers: [Certificates],
    });
    const response = await post(app, { type: 'certificates' });
    expect(response.body).toEqual({ received: true, type: 'certificates', listeners: 1 });
    await app.close();
  });
});
