import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import { IsString } from 'class-validator';
import {
  FALKOR_EVENT_CATALOG,
  FALKOR_EVENT_TYPES,
  FalkorEnrolmentsPayloadDto,
  FalkorValidationError,
  validateFalkorPayload,
} from '../../src/index.js';
import { FALKOR_PLAN_DECLINED, falkorPayloadPlan } from '../../src/events/payload.plan.js';
import {
  FALKOR_SAMPLE_PAYLOADS,
  falkorSampleAttendee,
  falkorSampleEnrolment,
  falkorSampleEvent,
  falkorSamplePayload,
  falkorSampleReward,
  falkorSampleVoucher,
} from '../../src/testing/index.js';

async function failingPaths(type: string, body: Record<string, unknown>): Promise<string[]> {
  try {
    await validateFalkorPayload(FALKOR_EVENT_CATALOG[type], type, body);
  } catch (error) {
    expect(error).toBeInstanceOf(FalkorValidationError);
    return (error as FalkorValidationError).issues.map((issue) => issue.property);
  }
  return [];
}

/** Sets (or with `undefined`, removes) the value at a dotted path of a copy of `body`. */
function withValue(body: object, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(body) as Record<string, unknown>;
  const keys = path.split('.');
  const parent = keys
    .slice(0, -1)
    .reduce((node, key) => (node as Record<string, unknown>)[key], copy as unknown) as Record<
    string,
    unknown
  >;
  const last = keys[keys.length - 1];
  if (value === undefined) {
    delete parent[last];
  } else {
    parent[last] = value;
  }
  return copy;
}

const REQUIRED: Record<string, string[]> = {
  enrolments: [
    'data.enrolments.0.email',
    'data.enrolments.0.status',
    'data.enrolments.0.status.state',
  ],
  events: [
    'data.events.0.ID',
    'data.events.0.attendees',
    'data.events.0.attendees.0.guid',
    'data.events.0.attendees.0.state',
  ],
  rewards: [
    'data.rewards.0.ID',
    'data.rewards.0.vouchers',
    'data.rewards.0.vouchers.0.guid',
    'data.rewards.0.vouchers.0.state',
  ],
};

describe.each(FALKOR_EVENT_TYPES)('the %s DTO', (type) => {
  const sample = FALKOR_SAMPLE_PAYLOADS[type];

  it("accepts the docs' example as an instance with the wire's field names, keeping unknown fields", async () => {
    const body = withValue(sample, 'data.pathway.owner', { team: 'L&D' });
    const payload = (await validateFalkorPayload(FALKOR_EVENT_CATALOG[type], type, {
      ...body,
      platformField: [1, { nested: true }],
    })) as unknown as Record<string, Record<string, unknown>>;
    expect(payload).toBeInstanceOf(FALKOR_EVENT_CATALOG[type]);
    expect(payload).toMatchObject({ type, platformField: [1, { nested: true }] });
    expect(payload.data.pathway).toMatchObject({ ID: 'FA-HCPG-06RF', owner: { team: 'L&D' } });
  });

  it.each(['type', 'data', 'data.pathway', 'data.pathway.ID', `data.${type}`, ...REQUIRED[type]])(
    'requires %s',
    async (path) => {
      expect(await failingPaths(type, withValue(sample, path, undefined))).toContain(path);
    },
  );

  it('accepts an empty list of records', async () => {
    expect(await failingPaths(type, withValue(sample, `data.${type}`, []))).toEqual([]);
  });

  it('names a record that is not an object by its index', async () => {
    const records = [...(sample.data as Record<string, unknown[]>)[type], 'oops'];
    expect(await failingPaths(type, withValue(sample, `data.${type}`, records))).toEqual(
      expect.arrayContaining([`data.${type}.${records.length - 1}`]),
    );
  });
});

describe('the structure rules', () => {
  it('name every failing property by its full path', async () => {
    const body = falkorSamplePayload('enrolments', {
      data: {
        enrolments: [
          falkorSampleEnrolment(),
          falkorSampleEnrolment({ email: 42, status: { level: 1.5 } }),
        ],
      },
    });
    expect(await failingPaths('enrolments', body)).toEqual([
      'data.enrolments.1.email',
      'data.enrolments.1.status.level',
    ]);
    const events = falkorSamplePayload('events', {
      data: {
        events: [
          falkorSampleEvent({
            attendees: [falkorSampleAttendee(), falkorSampleAttendee(), { state: 'booked' }],
          }),
        ],
      },
    });
    expect(await failingPaths('events', events)).toEqual(['data.events.0.attendees.2.guid']);
  });

  it.each([
    ['data.pathway', 'FA-1'],
    ['data.pathway', [{ ID: 'FA-1' }]],
    ['data.pathway.ID', 7],
    ['data.enrolments', { 0: falkorSampleEnrolment() }],
    ['data.enrolments', [[falkorSampleEnrolment()]]],
    ['data.enrolments.0.status', 'Complete'],
    ['data.enrolments.0.status.progress', '90'],
    ['data.enrolments.0.status.timestamp', 1602248346],
    ['data.enrolments.0.country', false],
    ['type', 1],
  ])('refuse %s as %j', async (path, value) => {
    expect(
      await failingPaths('enrolments', withValue(FALKOR_SAMPLE_PAYLOADS.enrolments, path, value)),
    ).toContain(path);
  });

  it.each([
    ['data.events.0.venue', 'Cape Town'],
    ['data.events.0.booked', true],
    ['data.events.0.available', {}],
    ['data.events.0.attendees', {}],
  ])('refuse %s as %j', async (path, value) => {
    expect(
      await failingPaths('events', withValue(FALKOR_SAMPLE_PAYLOADS.events, path, value)),
    ).toContain(path);
  });

  it.each([null, '', undefined])('accept an optional field that is %j', async (value) => {
    for (const path of [
      'data.pathway.name',
      'data.enrolments.0.country',
      'data.enrolments.0.city',
      'data.enrolments.0.status.level',
      'data.enrolments.0.status.progress',
      'data.enrolments.0.status.timestamp',
    ]) {
      expect(
        await failingPaths('enrolments', withValue(FALKOR_SAMPLE_PAYLOADS.enrolments, path, value)),
      ).toEqual([]);
    }
    for (const path of ['data.events.0.venue', 'data.events.0.booked', 'data.events.0.start']) {
      expect(
        await failingPaths('events', withValue(FALKOR_SAMPLE_PAYLOADS.events, path, value)),
      ).toEqual([]);
    }
    expect(
      await failingPaths(
        'rewards',
        withValue(FALKOR_SAMPLE_PAYLOADS.rewards, 'data.rewards.0.vouchers.0.expires', value),
      ),
    ).toEqual([]);
  });
});

describe('booked and available', () => {
  async function event(booked: unknown, available: unknown) {
    const body = falkorSamplePayload('events', {
      data: { events: [falkorSampleEvent({ booked, available })] },
    });
    const payload = await validateFalkorPayload(FALKOR_EVENT_CATALOG.events, 'events', body);
    return (payload as unknown as { data: { events: Record<string, unknown>[] } }).data.events[0];
  }

  it.each([
    [2, 4, 2, 4],
    ['3', '12', 3, 12],
    ['2', 'Unlimited', 2, 'Unlimited'],
    ['many', 'unlimited', 'many', 'unlimited'],
  ])('arrive as numbers where the docs show either (%j, %j)', async (booked, available, b, a) => {
    expect(await event(booked, available)).toMatchObject({ booked: b, available: a });
  });
});

describe('values the docs do not list', () => {
  it.each([
    ['data.enrolments.0.status.state', 'Paused'],
    ['data.enrolments.0.status.progress', 150],
    ['data.enrolments.0.status.timestamp', '09/10/2020 14:59'],
    ['data.enrolments.0.email', 'not an address'],
  ])('pass structural validation: %s = %j', async (path, value) => {
    const body = withValue(FALKOR_SAMPLE_PAYLOADS.enrolments, path, value);
    expect(await failingPaths('enrolments', body)).toEqual([]);
  });
});

describe('the compiled plan', () => {
  const plan = falkorPayloadPlan(FalkorEnrolmentsPayloadDto)!;

  it('builds what plainToInstance builds for a valid delivery', () => {
    const body = withValue(FALKOR_SAMPLE_PAYLOADS.enrolments, 'data.enrolments.0.toString', 'x');
    expect(plan(body)).toEqual(plainToInstance(FalkorEnrolmentsPayloadDto, body));
    expect(plan(body)).toBeInstanceOf(FalkorEnrolmentsPayloadDto);
  });

  it('declines an invalid delivery, which the stock path then refuses', async () => {
    const body = withValue(FALKOR_SAMPLE_PAYLOADS.enrolments, 'data.pathway.ID', undefined);
    expect(plan(body)).toBe(FALKOR_PLAN_DECLINED);
    await expect(
      validateFalkorPayload(FalkorEnrolmentsPayloadDto, 'enrolments', body),
    ).rejects.toBeInstanceOf(FalkorValidationError);
  });

  it("is not made for a user's DTO, which takes plainToInstance and validate", async () => {
    class CertificatesDto {
      @IsString()
      type: string;
    }
    expect(falkorPayloadPlan(CertificatesDto)).toBeUndefined();
    class StricterEnrolments extends FalkorEnrolmentsPayloadDto {
      @IsString()
      declare source: string;
    }
    expect(falkorPayloadPlan(StricterEnrolments)).toBeUndefined();
    const body = structuredClone(FALKOR_SAMPLE_PAYLOADS.enrolments) as Record<string, unknown>;
    await expect(
      validateFalkorPayload(StricterEnrolments, 'enrolments', body),
    ).rejects.toBeInstanceOf(FalkorValidationError);
    await expect(
      validateFalkorPayload(StricterEnrolments, 'enrolments', { ...body, source: 'lms' }),
    ).resolves.toBeInstanceOf(StricterEnrolments);
  });

  it('builds every record builder of the testing kit into its DTO', async () => {
    const events = falkorSamplePayload('events', {
      data: { events: [falkorSampleEvent({ attendees: [falkorSampleAttendee({ guid: 'g-2' })] })] },
    });
    const rewards = falkorSamplePayload('rewards', {
      data: {
        rewards: [falkorSampleReward({ vouchers: [falkorSampleVoucher({ state: 'pending' })] })],
      },
    });
    expect(await failingPaths('events', events)).toEqual([]);
    expect(await failingPaths('rewards', rewards)).toEqual([]);
  });
});
