import { Injectable, type Type } from '@nestjs/common';
import {
  type FalkorRecordEventType,
  type FalkorWebhookEvent,
  OnFalkorEvent,
} from '../../src/index.js';

/** Every record event, so that a listener of them all sees every change a delivery carries. */
export const RECORD_EVENTS: readonly FalkorRecordEventType[] = [
  'enrolment.updated',
  'enrolment.completed',
  'attendee.updated',
  'attendee.booked',
  'attendee.attended',
  'attendee.absent',
  'voucher.updated',
  'voucher.pending',
  'voucher.notified',
  'voucher.verify',
  'voucher.redeemed',
  'voucher.expired',
];

// The documented states, written out here rather than imported, so that the expectations do not
// follow the code they check.
const ATTENDEE_STATES: ReadonlySet<string> = new Set(['booked', 'attended', 'absent']);
const VOUCHER_STATES: ReadonlySet<string> = new Set([
  'pending',
  'notified',
  'verify',
  'redeemed',
  'expired',
]);

const isBlank = (value: unknown) => value === undefined || value === null || value === '';

/**
 * A value as JSON with sorted keys and blank fields (absent, `null`, `""`) left out: what "the
 * same status" means whatever the key order or the DTO class it went through.
 *
 * @param value - a plain value or a DTO instance
 */
export function canonicalJson(value: unknown): string {
  const canonical = (item: unknown): unknown => {
    if (Array.isArray(item)) {
      return item.map(canonical);
    }
    if (typeof item !== 'object' || item === null) {
      return item;
    }
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(item).sort()) {
      const field = (item as Record<string, unknown>)[key];
      if (!isBlank(field)) {
        sorted[key] = canonical(field);
      }
    }
    return sorted;
  };
  return JSON.stringify(canonical(value)) ?? '';
}

interface PlainEnrolment {
  readonly email: unknown;
  readonly status?: { readonly state?: unknown; readonly joined?: unknown } & object;
}

/** One change of a record, as the test expects it: its identity and the record events it fires. */
export interface ExpectedChange {
  /** What identifies the change (kind, record, new state), readable. */
  readonly change: string;
  /** The fires it gives, each `<record event> <change>`. */
  readonly fires: readonly string[];
}

function enrolmentIdentity(pathwayId: unknown, enrolment: PlainEnrolment): string {
  return `${String(pathwayId)}|${String(enrolment.email).toLowerCase()}`;
}

/** The change identity of an `enrolment.updated` fire: pathway, address in lower case, status. */
function updatedChange(pathwayId: unknown, enrolment: PlainEnrolment): string {
  return `enrolment|${enrolmentIdentity(pathwayId, enrolment)}|${canonicalJson(enrolment.status)}`;
}

/** The change identity of an `enrolment.completed` fire: pathway, address, `joined`. */
function completedChange(pathwayId: unknown, enrolment: PlainEnrolment): string {
  const joined = enrolment.status?.joined;
  return `completion|${enrolmentIdentity(pathwayId, enrolment)}|${isBlank(joined) ? '' : String(joined)}`;
}

function stateChange(kind: string, parentId: unknown, record: { guid?: unknown; state?: unknown }) {
  return `${kind}|${String(parentId)}|${String(record.guid)}|${String(record.state)}`;
}

/**
 * The changes a delivery carries, computed from its plain payload by the rules of the feature
 * (written again here, not taken from the code under test): an enrolment's identity is its
 * pathway `ID` and its `email` in lower case, a change is that with its whole `status`, and its
 * completion that with `joined` once `Complete`; an attendee is its event `ID` and `guid` with
 * its `state`; a voucher its reward `ID` and `guid` with its `state`. A record listed twice with
 * the same state is one change.
 *
 * @param type - the delivery type: `enrolments`, `events` or `rewards`
 * @param payload - the payload as sent
 * @returns the changes by identity, each with its fires
 */
export function expectedChanges(type: string, payload: unknown): Map<string, ExpectedChange> {
  const changes = new Map<string, ExpectedChange>();
  const add = (change: string, events: readonly string[]) =>
    changes.set(change, { change, fires: events.map((event) => `${event} ${change}`) });
  const data = (payload as { data: Record<string, unknown> }).data;
  const pathwayId = (data.pathway as { ID: unknown }).ID;
  if (type === 'enrolments') {
    for (const enrolment of data.enrolments as PlainEnrolment[]) {
      add(updatedChange(pathwayId, enrolment), ['enrolment.updated']);
      if (enrolment.status?.state === 'Complete') {
        add(completedChange(pathwayId, enrolment), ['enrolment.completed']);
      }
    }
  } else if (type === 'events') {
    for (const event of data.events as { ID: unknown; attendees: { state: unknown }[] }[]) {
      for (const attendee of event.attendees) {
        const state = String(attendee.state);
        const specific = ATTENDEE_STATES.has(state) ? [`attendee.${state}`] : [];
        add(stateChange('attendee', event.ID, attendee), ['attendee.updated', ...specific]);
      }
    }
  } else if (type === 'rewards') {
    for (const reward of data.rewards as { ID: unknown; vouchers: { state: unknown }[] }[]) {
      for (const voucher of reward.vouchers) {
        const state = String(voucher.state);
        const specific = VOUCHER_STATES.has(state) ? [`voucher.${state}`] : [];
        add(stateChange('voucher', reward.ID, voucher), ['voucher.updated', ...specific]);
      }
    }
  }
  return changes;
}

/** The change identity of a record event as a listener receives it, by the same rules. */
function changeOf(event: FalkorWebhookEvent<FalkorRecordEventType>): string {
  const payload = event.payload as unknown as Record<string, Record<string, unknown>>;
  const pathwayId = payload.pathway.ID;
  if (event.type === 'enrolment.updated') {
    return updatedChange(pathwayId, payload.enrolment as unknown as PlainEnrolment);
  }
  if (event.type === 'enrolment.completed') {
    return completedChange(pathwayId, payload.enrolment as unknown as PlainEnrolment);
  }
  return event.type.startsWith('attendee.')
    ? stateChange('attendee', payload.event.ID, payload.attendee)
    : stateChange('voucher', payload.reward.ID, payload.voucher);
}

/**
 * Counts, for each fire (`<record event> <change>`), the listener calls that succeeded and
 * those made, over every app of a test: the apps share one ledger, as instances share a
 * database. A call the ledger is told to fail throws before counting as fired.
 */
export class RecordFireLedger {
  /** Successful listener calls, by fire. */
  readonly fired = new Map<string, number>();
  /** Listener calls made, failed ones included, by fire. */
  readonly attempts = new Map<string, number>();
  /** Successful listener calls, by the app that made them. */
  readonly firedBy = new Map<string, number>();
  /** Listener calls that threw because {@link RecordFireLedger.failFirst} said so. */
  injectedFailures = 0;
  /** Whether the first call of a fire throws (later calls succeed). Default: none. */
  failFirst: (fire: string) => boolean = () => false;

  /** Called by the listener of {@link recordFireListener}. */
  record(app: string, event: FalkorWebhookEvent<FalkorRecordEventType>): void {
    const fire = `${event.type} ${changeOf(event)}`;
    const attempt = (this.attempts.get(fire) ?? 0) + 1;
    this.attempts.set(fire, attempt);
    if (attempt === 1 && this.failFirst(fire)) {
      this.injectedFailures++;
      throw new Error(`injected failure of ${fire}`);
    }
    this.fired.set(fire, (this.fired.get(fire) ?? 0) + 1);
    this.firedBy.set(app, (this.firedBy.get(app) ?? 0) + 1);
  }

  /**
   * How the fires compare with what was expected.
   *
   * @param expected - every fire that should have happened once
   */
  compare(expected: ReadonlySet<string>): {
    once: number;
    twice: number;
    lost: number;
    unexpected: number;
  } {
    let once = 0;
    let twice = 0;
    let lost = 0;
    for (const fire of expected) {
      const count = this.fired.get(fire) ?? 0;
      if (count === 0) {
        lost++;
      } else if (count === 1) {
        once++;
      } else {
        twice++;
      }
    }
    const unexpected = [...this.fired.keys()].filter((fire) => !expected.has(fire)).length;
    return { once, twice, lost, unexpected };
  }
}

/**
 * A listener class of every record event that records each call into the ledger, as app `app`.
 *
 * @param ledger - shared by every app of the test
 * @param app - the name of the app the class is provided in
 */
export function recordFireListener(ledger: RecordFireLedger, app: string): Type<unknown> {
  @Injectable()
  class RecordFireListener {
    @OnFalkorEvent(RECORD_EVENTS)
    onRecord(event: FalkorWebhookEvent<FalkorRecordEventType>): void {
      ledger.record(app, event);
    }
  }
  return RecordFireListener;
}
