import type { FalkorEventType } from '../events/event-catalog.js';

/** A JSON-ready payload, as the platform sends it. */
export type FalkorSamplePayload = Readonly<Record<string, unknown>>;

/** A partial override of a payload: nested objects are merged, `undefined` removes a field, anything else replaces. */
export type FalkorPayloadOverrides = { readonly [key: string]: unknown };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

function merge(
  base: Record<string, unknown>,
  overrides: FalkorPayloadOverrides,
): Record<string, unknown> {
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) {
      delete base[key];
    } else if (isPlainObject(value) && isPlainObject(base[key])) {
      merge(base[key], value);
    } else {
      base[key] = value;
    }
  }
  return base;
}

const common = {
  occurredAt: '2026-11-28T10:15:00+00:00',
  pathway: { id: 'pw_8841', name: 'Onboarding / Safety 101' },
  user: { id: 'usr_1207', email: 'zoe.muller@example.com', firstName: 'Zoë', lastName: 'Müller' },
};

/**
 * A valid payload of every catalog event type, deeply frozen. Use {@link falkorSamplePayload} for
 * a copy you can change.
 */
export const FALKOR_SAMPLE_PAYLOADS: Readonly<Record<FalkorEventType, FalkorSamplePayload>> =
  deepFreeze({
    'enrolment.created': {
      event: 'enrolment.created',
      ...common,
      enrolment: {
        id: 'enr_55',
        status: 'enrolled',
        progress: 0,
        enrolledAt: '2026-11-28T10:15:00+00:00',
        url: 'https://learn.example.com/p/8841',
      },
    },
    'enrolment.completed': {
      event: 'enrolment.completed',
      ...common,
      enrolment: {
        id: 'enr_55',
        status: 'completed',
        progress: 100,
        completedAt: '2026-11-28T10:15:00+00:00',
        url: 'https://learn.example.com/p/8841',
      },
    },
    'activity.completed': {
      event: 'activity.completed',
      ...common,
      activity: { id: 'act_301', title: 'Fire exits', type: 'quiz', score: 92 },
    },
    'attendance.registered': {
      event: 'attendance.registered',
      ...common,
      session: {
        id: 'ses_77',
        kind: 'classroom',
        title: 'First aid in practice',
        startsAt: '2026-12-03T09:00:00+00:00',
        location: 'Room 2',
      },
    },
    'attendance.checked_in': {
      event: 'attendance.checked_in',
      ...common,
      session: { id: 'ses_78', kind: 'event', title: 'Safety fair' },
    },
    'reward.unlocked': {
      event: 'reward.unlocked',
      ...common,
      reward: { id: 'rw_9', kind: 'badge', name: 'Safety champion', points: 50 },
    },
  });

/**
 * A fresh, mutable copy of an event type's sample payload with overrides merged over it. A type
 * without a sample (one you added to the catalog) starts from `{ event: type }`.
 *
 * @example
 * ```ts
 * falkorSamplePayload('enrolment.completed', { enrolment: { progress: 50 }, user: { email: undefined } })
 * ```
 *
 * @param type - the event type
 * @param overrides - fields merged over the sample: nested objects are merged, `undefined` removes a field
 */
export function falkorSamplePayload(
  type: FalkorEventType | (string & Record<never, never>),
  overrides: FalkorPayloadOverrides = {},
): Record<string, unknown> {
  const sample: FalkorSamplePayload | undefined = Object.hasOwn(FALKOR_SAMPLE_PAYLOADS, type)
    ? FALKOR_SAMPLE_PAYLOADS[type as FalkorEventType]
    : undefined;
  return merge(structuredClone(sample ?? { event: type }), overrides);
}
