import {
  FALKOR_EVENT_TYPES,
  FALKOR_RECORD_EVENT_TYPES,
  FALKOR_RECORD_EVENTS,
  type FalkorDeliveryType,
  type FalkorRecordEventType,
  isFalkorRecordEvent,
} from '../index.js';
import { CliUsageError } from './cli.errors.js';

/** What each webhook of the platform reports, as its docs page says. */
export const CLI_EVENT_SUMMARIES: Readonly<Record<FalkorDeliveryType, string>> = {
  enrolments: 'Enrolments: a learner starts or completes a pathway, or their progress changes',
  events: 'Classroom & Events: a learner registers for, or checks in to, an activity',
  rewards: 'Rewards: a learner obtains a reward voucher on a pathway',
};

/** When each record event fires, once per change of one record. */
export const CLI_RECORD_EVENT_SUMMARIES: Readonly<Record<FalkorRecordEventType, string>> = {
  'enrolment.updated': 'an enrolment with a status not processed for it before',
  'enrolment.completed': 'an enrolment now Complete, once per enrolment and joined date',
  'attendee.updated': 'an attendee in a new state, whichever it is',
  'attendee.booked': 'an attendee whose new state is booked',
  'attendee.attended': 'an attendee whose new state is attended',
  'attendee.absent': 'an attendee whose new state is absent',
  'voucher.updated': 'a voucher in a new state, whichever it is',
  'voucher.pending': 'a voucher whose new state is pending (the learner not told yet)',
  'voucher.notified': 'a voucher whose new state is notified',
  'voucher.verify': 'a voucher whose new state is verify (peer confirmation asked)',
  'voucher.redeemed': 'a voucher whose new state is redeemed',
  'voucher.expired': 'a voucher whose new state is expired',
};

/** One line of `falkor-webhook events`: a name and what it is. */
export interface CliCatalogEntry {
  /** The delivery type or record event. */
  readonly name: string;
  /** What it reports; for a record event, the delivery type it comes from first. */
  readonly summary: string;
}

/**
 * Every name a listener can take: the delivery types of the catalog, then the record events,
 * each with the delivery type whose records it reports.
 */
export function cliCatalogEntries(): CliCatalogEntry[] {
  return [
    ...FALKOR_EVENT_TYPES.map((type) => ({ name: type, summary: CLI_EVENT_SUMMARIES[type] })),
    ...FALKOR_RECORD_EVENT_TYPES.map((event) => ({
      name: event,
      summary: `from ${FALKOR_RECORD_EVENTS[event]}: ${CLI_RECORD_EVENT_SUMMARIES[event]}`,
    })),
  ];
}

/**
 * Checks that an event type is in the catalog.
 *
 * @param type - the type given
 * @throws CliUsageError naming the known types when it is not
 */
export function catalogEventType(type: string): FalkorDeliveryType {
  if (!(FALKOR_EVENT_TYPES as readonly string[]).includes(type)) {
    throw new CliUsageError(
      `Unknown event type "${type}": use one of ${FALKOR_EVENT_TYPES.join(', ')} ` +
        (isFalkorRecordEvent(type)
          ? `("${type}" is a record event: it fires from ${FALKOR_RECORD_EVENTS[type]} deliveries).`
          : '(or --file to send a payload of another type).'),
    );
  }
  return type as FalkorDeliveryType;
}

/**
 * The delivery type whose sample `falkor-webhook events <name>` prints: the type itself, or the
 * type a record event comes from.
 *
 * @param name - a delivery type or a record event
 * @throws CliUsageError naming the known names when it is neither
 */
export function catalogDeliveryTypeOf(name: string): FalkorDeliveryType {
  if (isFalkorRecordEvent(name)) {
    return FALKOR_RECORD_EVENTS[name] as FalkorDeliveryType;
  }
  if (!(FALKOR_EVENT_TYPES as readonly string[]).includes(name)) {
    throw new CliUsageError(
      `Unknown event type "${name}": use one of ${FALKOR_EVENT_TYPES.join(', ')}, or a record ` +
        `event such as ${FALKOR_RECORD_EVENT_TYPES[1]} (falkor-webhook events lists them all).`,
    );
  }
  return name as FalkorDeliveryType;
}
