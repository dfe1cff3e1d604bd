import { describe, expect, it } from '@jest/globals';
import {
  FALKOR_EVENT_CATALOG,
  FALKOR_EVENT_TYPES,
  FalkorValidationError,
  validateFalkorPayload,
} from '../../src/index.js';
import { FALKOR_SAMPLE_PAYLOADS } from '../../src/testing/index.js';

const REQUIRED: Record<string, string[]> = {
  'enrolment.created': ['pathway.id', 'enrolment.id', 'enrolment.status'],
  'enrolment.completed': ['pathway.id', 'enrolment.id', 'enrolment.status'],
  'activity.completed': ['pathway.id', 'activity.id'],
  'attendance.registered': ['pathway.id', 'session.id', 'session.kind'],
  'attendance.checked_in': ['pathway.id', 'session.id', 'session.kind'],
  'reward.unlocked': ['pathway.id', 'reward.id'],
};
const COMMON = ['event', 'occurredAt', 'user.id'];

function without(
  payload: Readonly<Record<string, unknown>>,
  path: string,
): Record<string, unknown> {
  const copy = structuredClone(payload) as Record<string, unknown>;
  const [head, tail] = path.split('.');
  if (tail === undefined) {
    delete copy[head];
  } else {
    delete (copy[head] as Record<string, unknown>)[tail];
  }
  return copy;
}

async function failingPaths(type: string, body: Record<string, unknown>): Promise<string[]> {
  try {
    await validateFalkorPayload(FALKOR_EVENT_CATALOG[type], type, body);
  } catch (error) {
    expect(error).toBeInstanceOf(FalkorValidationError);
    return (error as FalkorValidationError).issues.map((issue) => issue.property);
  }
  return [];
}

describe.each(FALKOR_EVENT_TYPES)('the %s DTO', (type) => {
  const sample = FALKOR_SAMPLE_PAYLOADS[type];

  it('accepts the sample payload and returns a DTO instance keeping unknown fields', async () => {
    const payload = await validateFalkorPayload(FALKOR_EVENT_CATALOG[type], type, {
      ...sample,
      platformField: { nested: true },
    });
    expect(payload).toBeInstanceOf(FALKOR_EVENT_CATALOG[type]);
    expect(payload).toMatchObject({ event: type, platformField: { nested: true } });
  });

  it.each([...COMMON, ...REQUIRED[type]])('requires %s', async (path) => {
    expect(await failingPaths(type, without(sample, path))).toContain(path);
  });

  it('reports nested objects of the wrong shape by path', async () => {
    expect(await failingPaths(type, { ...sample, user: 'usr_1', occurredAt: 'yesterday' })).toEqual(
      expect.arrayContaining(['user', 'occurredAt']),
    );
  });
});

describe('optional fields', () => {
  it.each([
    ['user.email', { user: { id: 'u', email: 'not-an-email' } }],
    ['enrolment.progress', { enrolment: { id: 'e', status: 's', progress: 101 } }],
    ['enrolment.progress', { enrolment: { id: 'e', status: 's', progress: '50' } }],
    ['enrolment.completedAt', { enrolment: { id: 'e', status: 's', completedAt: '28/11/2026' } }],
  ])('validates %s when present', async (path, overrides) => {
    const body = { ...FALKOR_SAMPLE_PAYLOADS['enrolment.completed'], ...overrides };
    expect(await failingPaths('enrolment.completed', body)).toEqual([path]);
  });

  it('accepts only classroom and event sessions', async () => {
    const body = {
      ...FALKOR_SAMPLE_PAYLOADS['attendance.registered'],
      session: { id: 's', kind: 'webinar' },
    };
    expect(await failingPaths('attendance.registered', body)).toEqual(['session.kind']);
  });
});

describe('the catalog formats', () => {
  const sample = FALKOR_SAMPLE_PAYLOADS['enrolment.completed'];

  it('report a bad timestamp, e-mail address and URL as class-validator does', async () => {
    const body = structuredClone(sample) as Record<string, Record<string, unknown>>;
    body.user.email = 'zoe.muller@example';
    body.enrolment.url = 'https://learn.example.com:70000/p/1';
    body.enrolment.completedAt = '2026-02-30T10:00:00Z';
    const error = await validateFalkorPayload(
      FALKOR_EVENT_CATALOG['enrolment.completed'],
      'enrolment.completed',
      { ...body, occurredAt: '28/11/2026' },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FalkorValidationError);
    expect((error as FalkorValidationError).issues).toEqual([
      {
        property: 'occurredAt',
        constraints: { isIso8601: 'occurredAt must be a valid ISO 8601 date string' },
      },
      { property: 'user.email', constraints: { isEmail: 'email must be an email' } },
      { property: 'enrolment.url', constraints: { isUrl: 'url must be a URL address' } },
      {
        property: 'enrolment.completedAt',
        constraints: { isIso8601: 'completedAt must be a valid ISO 8601 date string' },
      },
    ]);
  });

  it.each([
    ['an ISO 8601 week date', 'occurredAt', '2026-W48-6'],
    ['an address with a quoted local part', 'user.email', '"zoe muller"@example.com'],
    ['a URL on an IP address', 'enrolment.url', 'http://192.168.0.10:8080/p/1'],
  ])('accept %s, outside the usual shape, as class-validator does', async (_, path, value) => {
    const body = structuredClone(sample) as Record<string, Record<string, unknown> | string>;
    const [head, tail] = path.split('.');
    if (tail === undefined) {
      body[head] = value;
    } else {
      (body[head] as Record<string, unknown>)[tail] = value;
    }
    await expect(
      validateFalkorPayload(
        FALKOR_EVENT_CATALOG['enrolment.completed'],
        'enrolment.completed',
        body as Record<string, unknown>,
      ),
    ).resolves.toBeInstanceOf(FALKOR_EVENT_CATALOG['enrolment.completed']);
  });
});
