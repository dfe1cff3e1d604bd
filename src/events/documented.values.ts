import type { FalkorDocumentedValues } from './field.rules.js';
import { isFalkorEmail, isFalkorTimestamp } from './format.checks.js';

/** The enrolment states the docs list, exactly as they write them. */
export const FALKOR_ENROLMENT_STATES = Object.freeze(['In Progress', 'Complete'] as const);

/** The attendee states the docs list. */
export const FALKOR_ATTENDEE_STATES = Object.freeze(['booked', 'absent', 'attended'] as const);

/** The voucher states the docs list. */
export const FALKOR_VOUCHER_STATES = Object.freeze([
  'pending',
  'notified',
  'verify',
  'redeemed',
  'expired',
] as const);

/**
 * A documented string value, or any other string the platform may send: editors suggest the
 * documented ones, and every string still type-checks.
 */
export type FalkorDocumentedString<T extends string> = T | (string & Record<never, never>);

/** An enrolment's `status.state`: `In Progress`, `Complete`, or a state the docs do not list. */
export type FalkorEnrolmentState = FalkorDocumentedString<(typeof FALKOR_ENROLMENT_STATES)[number]>;

/** An attendee's `state`: `booked`, `absent`, `attended`, or a state the docs do not list. */
export type FalkorAttendeeState = FalkorDocumentedString<(typeof FALKOR_ATTENDEE_STATES)[number]>;

/** A voucher's `state`: `pending`, `notified`, `verify`, `redeemed`, `expired`, or another. */
export type FalkorVoucherState = FalkorDocumentedString<(typeof FALKOR_VOUCHER_STATES)[number]>;

/** How the docs write an unlimited `available`. */
export const FALKOR_UNLIMITED = 'Unlimited';

const NUMERIC = /^-?\d+(?:\.\d+)?$/;

/**
 * `booked` and `available` arrive as numbers in one example and as strings in another: a string
 * of digits becomes its number (unless too long for one), anything else is passed on unchanged.
 *
 * @param value - the value as it came
 */
export function falkorCount(value: unknown): unknown {
  if (typeof value !== 'string' || !NUMERIC.test(value)) {
    return value;
  }
  const count = Number(value);
  return Number.isFinite(count) ? count : value;
}

function oneOf(values: readonly string[]): FalkorDocumentedValues {
  return {
    includes: (value) => values.includes(value as string),
    description: values.map((value) => JSON.stringify(value)).join(', '),
  };
}

/** Enrolment states. */
export const ENROLMENT_STATE = oneOf(FALKOR_ENROLMENT_STATES);
/** Attendee states. */
export const ATTENDEE_STATE = oneOf(FALKOR_ATTENDEE_STATES);
/** Voucher states. */
export const VOUCHER_STATE = oneOf(FALKOR_VOUCHER_STATES);

/** A percentage. */
export const PERCENTAGE: FalkorDocumentedValues = {
  includes: (value) => typeof value === 'number' && value >= 0 && value <= 100,
  description: 'a percentage from 0 to 100',
};

/** An ISO 8601 date-time, as in `2020-10-09T14:59:06+02:00`. */
export const TIMESTAMP: FalkorDocumentedValues = {
  includes: isFalkorTimestamp,
  description: 'an ISO 8601 date-time such as "2020-10-09T14:59:06+02:00"',
};

/** An e-mail address; a host without a top-level domain is allowed, as in the docs' example. */
export const EMAIL: FalkorDocumentedValues = {
  includes: isFalkorEmail,
  description: 'an e-mail address',
};

/** A number of attendees (a string of digits has become its number). */
export const BOOKED: FalkorDocumentedValues = {
  includes: (value) => typeof value === 'number',
  description: 'a number',
};

/** A number of places, or `Unlimited`. */
export const AVAILABLE: FalkorDocumentedValues = {
  includes: (value) => typeof value === 'number' || value === FALKOR_UNLIMITED,
  description: `a number or "${FALKOR_UNLIMITED}"`,
};
