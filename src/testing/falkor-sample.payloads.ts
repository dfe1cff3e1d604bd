import type { FalkorDeliveryType } from '../events/event-catalog.js';

/** A JSON-ready payload, as the platform sends it. */
export type FalkorSamplePayload = Readonly<Record<string, unknown>>;

/** A partial override of a payload: nested objects are merged, `undefined` removes a field, anything else (arrays too) replaces. */
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

const PATHWAY = { name: 'Pathway Name', ID: 'FA-HCPG-06RF' };

/** The first enrolment of the docs' example. */
const ENROLMENT = {
  email: 'test@example.com',
  firstname: 'Test',
  lastname: 'User',
  country: 'South Africa',
  city: 'Cape Town',
  status: {
    level: 2,
    state: 'In Progress',
    progress: 90,
    version: '1.2.3',
    timestamp: '2020-10-09T14:59:06+02:00',
    joined: '2020-10-07T12:00:06+02:00',
  },
};

/** The attendee of the docs' example. */
const ATTENDEE = {
  guid: '8bd0705f-c640-4191-9a1c-1a8cc73ad949',
  state: 'booked',
  firstname: 'Test',
  lastname: 'User',
  email: 'test@example.com',
  country: 'South Africa',
  city: 'Cape Town',
};

/** The event of the docs' example. */
const EVENT = {
  ID: 'FABK-YVUU-89RU',
  type: 'event',
  name: 'Event',
  start: '2020-10-15T16:15:00+02:00',
  end: '2020-10-15T22:15:00+02:00',
  venue: { place: 'Cable Car Station', location: 'Cape Town ZA' },
  available: 4,
  booked: 2,
  attendees: [ATTENDEE],
};

/** The voucher of the docs' example. */
const VOUCHER = {
  guid: '6c720133-3916-4172-94c9-62d1394fc72b',
  firstname: 'Test',
  lastname: 'User',
  email: 'test@example.com',
  country: 'South Africa',
  city: 'Cape Town',
  state: 'notified',
  expires: 'never',
};

/** The reward of the docs' example. */
const REWARD = { ID: 'FARE-STZH-05MD', name: 'Cup of Coffee', vouchers: [VOUCHER] };

/**
 * The platform docs' example delivery of each webhook (Pathways → Webhooks → Enrolments,
 * Classroom & Events, Rewards), with the commas and `...etc` placeholders the published examples
 * lack repaired, deeply frozen. Use {@link falkorSamplePayload} for a copy you can change.
 */
export const FALKOR_SAMPLE_PAYLOADS: Readonly<Record<FalkorDeliveryType, FalkorSamplePayload>> =
  deepFreeze(
    structuredClone({
      enrolments: {
        type: 'enrolments',
        data: {
          pathway: PATHWAY,
          enrolments: [
            ENROLMENT,
            {
              email: 'test2@example',
              firstname: 'Test2',
              lastname: 'User',
              country: 'South Africa',
              city: 'Johannesburg',
              status: {
                level: 1,
                state: 'In Progress',
                progress: 50,
                version: '1.1.6',
                timestamp: '2020-10-02T12:33:33+02:00',
                joined: '2020-10-01T12:00:06+02:00',
              },
            },
          ],
        },
      },
      events: {
        type: 'events',
        data: { pathway: { ...PATHWAY, name: 'My Pathway' }, events: [EVENT] },
      },
      rewards: {
        type: 'rewards',
        data: { pathway: { ...PATHWAY, name: 'My Pathway' }, rewards: [REWARD] },
      },
    }),
  );

/**
 * A fresh, mutable copy of an event type's sample payload with overrides merged over it: nested
 * objects are merged, arrays and other values replace, `undefined` removes a field. A type without
 * a sample (one you added to the catalog) starts from `{ type }`.
 *
 * @example
 * ```ts
 * falkorSamplePayload('enrolments', {
 *   data: { pathway: { ID: 'FA-TEST-0001' }, enrolments: [falkorSampleEnrolment({ status: { state: 'Complete' } })] },
 * })
 * ```
 *
 * @param type - the event type
 * @param overrides - fields merged over the sample
 */
export function falkorSamplePayload(
  type: FalkorDeliveryType | (string & Record<never, never>),
  overrides: FalkorPayloadOverrides = {},
): Record<string, unknown> {
  const sample: FalkorSamplePayload | undefined = Object.hasOwn(FALKOR_SAMPLE_PAYLOADS, type)
    ? FALKOR_SAMPLE_PAYLOADS[type as FalkorDeliveryType]
    : undefined;
  return merge(structuredClone(sample ?? { type }), overrides);
}

function builder(record: Record<string, unknown>) {
  return (overrides: FalkorPayloadOverrides = {}): Record<string, unknown> =>
    merge(structuredClone(record), overrides);
}

/**
 * One enrolment for `data.enrolments`: the docs' first one with overrides merged over it.
 *
 * @example `falkorSampleEnrolment({ email: 'ada@example.com', status: { state: 'Complete', progress: 100 } })`
 */
export const falkorSampleEnrolment = builder(ENROLMENT);

/**
 * One event for `data.events`: the docs' one (with its attendee) with overrides merged over it.
 *
 * @example `falkorSampleEvent({ ID: 'FABK-0001', attendees: [falkorSampleAttendee(), falkorSampleAttendee({ guid: 'g-2' })] })`
 */
export const falkorSampleEvent = builder(EVENT);

/**
 * One attendee for an event's `attendees`: the docs' one with overrides merged over it.
 *
 * @example `falkorSampleAttendee({ guid: 'g-2', state: 'attended' })`
 */
export const falkorSampleAttendee = builder(ATTENDEE);

/**
 * One reward for `data.rewards`: the docs' one (with its voucher) with overrides merged over it.
 *
 * @example `falkorSampleReward({ vouchers: [falkorSampleVoucher({ state: 'pending' })] })`
 */
export const falkorSampleReward = builder(REWARD);

/**
 * One voucher for a reward's `vouchers`: the docs' one with overrides merged over it.
 *
 * @example `falkorSampleVoucher({ guid: 'v-2', state: 'redeemed' })`
 */
export const falkorSampleVoucher = builder(VOUCHER);
