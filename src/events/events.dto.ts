import {
  ATTENDEE_STATE,
  AVAILABLE,
  BOOKED,
  EMAIL,
  type FalkorAttendeeState,
  falkorCount,
  TIMESTAMP,
  type FalkorDocumentedString,
} from './documented.values.js';
import {
  FalkorList,
  FalkorNested,
  type FalkorOptional,
  FalkorOptionalCount,
  FalkorOptionalObject,
  FalkorOptionalText,
  FalkorText,
} from './field.rules.js';
import { FalkorLearnerDto } from './learner.dto.js';
import { FalkorDeliveryDataDto, FalkorDeliveryDto } from './delivery.dto.js';

/**
 * One of an event's `attendees`: a learner's booking.
 */
export class FalkorAttendeeDto extends FalkorLearnerDto {
  /** The booking's id (a UUID); the platform's consume API takes it to set the state. */
  @FalkorText()
  guid: string;

  /** `booked`, `absent`, `attended`, or a state the docs do not list. */
  @FalkorText({ documented: ATTENDEE_STATE })
  state: FalkorAttendeeState;

  /** The learner's e-mail address. */
  @FalkorOptionalText({ documented: EMAIL })
  email?: FalkorOptional<string>;
}

/**
 * One record of `data.events`: a classroom or event activity with its attendees.
 */
export class FalkorEventDto {
  /** The event's id / SKU, e.g. `FABK-YVUU-89RU`. */
  @FalkorText()
  ID: string;

  /** The activity's kind: the docs' example has `event`. */
  @FalkorOptionalText()
  type?: FalkorOptional<string>;

  /** The event's name. */
  @FalkorOptionalText()
  name?: FalkorOptional<string>;

  /** When the event starts, ISO 8601 with an offset. */
  @FalkorOptionalText({ documented: TIMESTAMP })
  start?: FalkorOptional<string>;

  /** When the event ends, ISO 8601 with an offset. */
  @FalkorOptionalText({ documented: TIMESTAMP })
  end?: FalkorOptional<string>;

  /** Where it takes place: the docs' example has `place` and `location`; its keys are not defined. */
  @FalkorOptionalObject()
  venue?: FalkorOptional<Readonly<Record<string, unknown>>>;

  /** The number of registered attendees; a string of digits (`"2"`) arrives as its number. */
  @FalkorOptionalCount({ documented: BOOKED, coerce: falkorCount })
  booked?: FalkorOptional<number> | (string & Record<never, never>);

  /** `Unlimited` or the number of places; a string of digits (`"4"`) arrives as its number. */
  @FalkorOptionalCount({ documented: AVAILABLE, coerce: falkorCount })
  available?: FalkorOptional<number> | 'Unlimited' | (string & Record<never, never>);

  /** The attendees that registered. */
  @FalkorList(() => FalkorAttendeeDto)
  attendees: FalkorAttendeeDto[];

  [extra: string]: unknown;
}

/**
 * `data` of an `events` delivery.
 */
export class FalkorEventsDataDto extends FalkorDeliveryDataDto {
  /** The events the delivery carries (possibly none). */
  @FalkorList(() => FalkorEventDto)
  events: FalkorEventDto[];
}

/**
 * An `events` delivery (Pathways → Webhooks → Classroom & Events): a learner registered for, or
 * checked in to, a classroom or event activity.
 */
export class FalkorEventsPayloadDto extends FalkorDeliveryDto {
  /** `events` (the type the route read, unless a `resolveEventType` option found it elsewhere). */
  declare type: FalkorDocumentedString<'events'>;

  /** The pathway and its events. */
  @FalkorNested(() => FalkorEventsDataDto)
  data: FalkorEventsDataDto;
}
