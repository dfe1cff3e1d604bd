import { FALKOR_ATTENDEE_STATES, FALKOR_VOUCHER_STATES } from '../events/documented.values.js';
import type { FalkorEnrolmentDto } from '../events/enrolments.dto.js';
import type { FalkorAttendeeDto, FalkorEventDto } from '../events/events.dto.js';
import type { FalkorPathwayDto } from '../events/pathway.dto.js';
import type {
  FalkorAttendeeRecord,
  FalkorEnrolmentRecord,
  FalkorRecordEventType,
  FalkorVoucherRecord,
} from '../events/record-events.js';
import type { FalkorRewardDto, FalkorVoucherDto } from '../events/rewards.dto.js';
import { falkorChangeKey } from './record.keys.js';

/**
 * One change of a record found in a delivery: its store key (the record's identity with its new
 * state, hashed), the record events it fires (only those with a listener) and their payload.
 */
export interface FalkorRecordChange {
  /** The change's key in the store, with the `records.keyPrefix`. */
  readonly key: string;
  /** The record events this change fires, each to all its listeners. */
  readonly events: readonly FalkorRecordEventType[];
  /** What the listeners of those events receive. */
  readonly payload: FalkorEnrolmentRecord | FalkorAttendeeRecord | FalkorVoucherRecord;
}

/** Tells whether a record event has a listener, so that changes nobody listens to are skipped. */
export type FalkorRecordListening = (event: FalkorRecordEventType) => boolean;

const ATTENDEE_STATES: ReadonlySet<string> = new Set(FALKOR_ATTENDEE_STATES);
const VOUCHER_STATES: ReadonlySet<string> = new Set(FALKOR_VOUCHER_STATES);

function listOf<T>(value: unknown): readonly T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/** Collects changes by key: a record listed twice with the same state is one change. */
class Changes {
  readonly found = new Map<string, FalkorRecordChange>();

  constructor(
    private readonly prefix: string,
    private readonly listening: FalkorRecordListening,
  ) {}

  add(
    kind: string,
    identity: readonly unknown[],
    names: readonly FalkorRecordEventType[],
    payload: FalkorRecordChange['payload'],
  ): void {
    const events = names.filter(this.listening);
    if (events.length === 0) {
      return;
    }
    const key = falkorChangeKey(this.prefix, kind, identity);
    if (!this.found.has(key)) {
      this.found.set(key, { key, events, payload });
    }
  }
}

function enrolmentChanges(pathway: FalkorPathwayDto, data: object, changes: Changes): void {
  for (const enrolment of listOf<FalkorEnrolmentDto>(
    (data as { enrolments?: unknown }).enrolments,
  )) {
    // The docs name no enrolment id: the pathway and the address, in any letter case, are one.
    const identity = [pathway.ID, String(enrolment.email).toLowerCase()];
    const payload: FalkorEnrolmentRecord = { pathway, enrolment };
    changes.add('enrolment', [...identity, enrolment.status], ['enrolment.updated'], payload);
    if (enrolment.status?.state === 'Complete') {
      // A learner who re-enrols (a new `joined`) and completes again completes again.
      const joined = enrolment.status.joined ?? '';
      changes.add('completion', [...identity, joined], ['enrolment.completed'], payload);
    }
  }
}

/**
 * The changes of records that have a `guid` and a `state` below a parent with an `ID` (the
 * attendees of an event, the vouchers of a reward): `<kind>.updated` for every new state, and
 * `<kind>.<state>` too for a documented one.
 */
function stateChanges<Parent extends { ID: string }, Child extends { guid: string; state: string }>(
  kind: 'attendee' | 'voucher',
  documented: ReadonlySet<string>,
  parents: readonly Parent[],
  childrenOf: (parent: Parent) => unknown,
  payloadOf: (parent: Parent, child: Child) => FalkorRecordChange['payload'],
  changes: Changes,
): void {
  for (const parent of parents) {
    for (const child of listOf<Child>(childrenOf(parent))) {
      const state = String(child.state);
      const names = [`${kind}.updated`, ...(documented.has(state) ? [`${kind}.${state}`] : [])];
      changes.add(
        kind,
        [parent.ID, child.guid, state],
        names as FalkorRecordEventType[],
        payloadOf(parent, child),
      );
    }
  }
}

function attendeeChanges(pathway: FalkorPathwayDto, data: object, changes: Changes): void {
  stateChanges<FalkorEventDto, FalkorAttendeeDto>(
    'attendee',
    ATTENDEE_STATES,
    listOf((data as { events?: unknown }).events),
    (event) => event.attendees,
    (event, attendee) => ({ pathway, event, attendee }),
    changes,
  );
}

function voucherChanges(pathway: FalkorPathwayDto, data: object, changes: Changes): void {
  stateChanges<FalkorRewardDto, FalkorVoucherDto>(
    'voucher',
    VOUCHER_STATES,
    listOf((data as { rewards?: unknown }).rewards),
    (reward) => reward.vouchers,
    (reward, voucher) => ({ pathway, reward, voucher }),
    changes,
  );
}

const FINDERS: Readonly<
  Record<string, (pathway: FalkorPathwayDto, data: object, changes: Changes) => void>
> = { enrolments: enrolmentChanges, events: attendeeChanges, rewards: voucherChanges };

/**
 * The detect step of record events: every change a validated delivery carries that some listener
 * waits for. A change is a record's identity with its new state: an enrolment (pathway `ID`,
 * `email` in lower case) with its whole `status`, or with its `joined` date once `Complete`; an
 * attendee (event `ID`, `guid`) or a voucher (reward `ID`, `guid`) with its `state`.
 *
 * @param type - the delivery's type: `enrolments`, `events` or `rewards` (others carry none)
 * @param payload - the validated delivery
 * @param listening - which record events have listeners
 * @param keyPrefix - the `records.keyPrefix`
 * @returns the changes, each once, in the delivery's order
 */
export function falkorRecordChanges(
  type: string,
  payload: object,
  listening: FalkorRecordListening,
  keyPrefix: string,
): FalkorRecordChange[] {
  const find = Object.hasOwn(FINDERS, type) ? FINDERS[type] : undefined;
  const data = (payload as { data?: { pathway?: FalkorPathwayDto } }).data;
  if (find === undefined || typeof data !== 'object' || data === null || !data.pathway) {
    return [];
  }
  const changes = new Changes(keyPrefix, listening);
  find(data.pathway, data, changes);
  return [...changes.found.values()];
}
