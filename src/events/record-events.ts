import type { FalkorEnrolmentDto } from './enrolments.dto.js';
import type { FalkorAttendeeDto, FalkorEventDto } from './events.dto.js';
import type { FalkorPathwayDto } from './pathway.dto.js';
import type { FalkorRewardDto, FalkorVoucherDto } from './rewards.dto.js';

/**
 * The payload of an `enrolment.*` record event: one enrolment of a delivery, with its pathway.
 * Both are the validated instances of the delivery.
 */
export interface FalkorEnrolmentRecord {
  /** The delivery's pathway. */
  readonly pathway: FalkorPathwayDto;
  /** The enrolment that changed. */
  readonly enrolment: FalkorEnrolmentDto;
}

/**
 * The payload of an `attendee.*` record event: one attendee of a delivery, with its event and
 * pathway. `event` is the delivery's instance: its `attendees` list holds every attendee sent.
 */
export interface FalkorAttendeeRecord {
  /** The delivery's pathway. */
  readonly pathway: FalkorPathwayDto;
  /** The event the attendee registered for. */
  readonly event: FalkorEventDto;
  /** The attendee that changed. */
  readonly attendee: FalkorAttendeeDto;
}

/**
 * The payload of a `voucher.*` record event: one voucher of a delivery, with its reward and
 * pathway. `reward` is the delivery's instance: its `vouchers` list holds every voucher sent.
 */
export interface FalkorVoucherRecord {
  /** The delivery's pathway. */
  readonly pathway: FalkorPathwayDto;
  /** The reward the voucher belongs to. */
  readonly reward: FalkorRewardDto;
  /** The voucher that changed. */
  readonly voucher: FalkorVoucherDto;
}

/**
 * The record events: one listener call per change of a record, once, whatever the deliveries
 * that carry it. Each maps to its payload; listen to them with `@OnFalkorEvent` like the
 * delivery types.
 */
export interface FalkorRecordEventMap {
  /** An enrolment whose `status` differs from every status already processed for it. */
  'enrolment.updated': FalkorEnrolmentRecord;
  /** An enrolment whose `status.state` is `Complete`, once per enrolment and `status.joined`. */
  'enrolment.completed': FalkorEnrolmentRecord;
  /** Every new state of an attendee, documented or not. */
  'attendee.updated': FalkorAttendeeRecord;
  /** An attendee whose new state is `booked`. */
  'attendee.booked': FalkorAttendeeRecord;
  /** An attendee whose new state is `attended`. */
  'attendee.attended': FalkorAttendeeRecord;
  /** An attendee whose new state is `absent`. */
  'attendee.absent': FalkorAttendeeRecord;
  /** Every new state of a voucher, documented or not. */
  'voucher.updated': FalkorVoucherRecord;
  /** A voucher whose new state is `pending`. */
  'voucher.pending': FalkorVoucherRecord;
  /** A voucher whose new state is `notified`. */
  'voucher.notified': FalkorVoucherRecord;
  /** A voucher whose new state is `verify`. */
  'voucher.verify': FalkorVoucherRecord;
  /** A voucher whose new state is `redeemed`. */
  'voucher.redeemed': FalkorVoucherRecord;
  /** A voucher whose new state is `expired`. */
  'voucher.expired': FalkorVoucherRecord;
}

/** The name of a record event, e.g. `attendee.booked`. */
export type FalkorRecordEventType = keyof FalkorRecordEventMap;

/**
 * Each record event with the delivery type whose records it reports, e.g.
 * `{ 'attendee.booked': 'events' }`.
 */
export const FALKOR_RECORD_EVENTS: Readonly<Record<FalkorRecordEventType, string>> = Object.freeze({
  'enrolment.updated': 'enrolments',
  'enrolment.completed': 'enrolments',
  'attendee.updated': 'events',
  'attendee.booked': 'events',
  'attendee.attended': 'events',
  'attendee.absent': 'events',
  'voucher.updated': 'rewards',
  'voucher.pending': 'rewards',
  'voucher.notified': 'rewards',
  'voucher.verify': 'rewards',
  'voucher.redeemed': 'rewards',
  'voucher.expired': 'rewards',
});

/** The record event names, in the order of {@link FALKOR_RECORD_EVENTS}. */
export const FALKOR_RECORD_EVENT_TYPES = Object.freeze(
  Object.keys(FALKOR_RECORD_EVENTS),
) as readonly FalkorRecordEventType[];

/**
 * Whether a name is one of the record events.
 *
 * @param name - an event name
 */
export function isFalkorRecordEvent(name: string): name is FalkorRecordEventType {
  return Object.hasOwn(FALKOR_RECORD_EVENTS, name);
}
