import type { ClassConstructor } from 'class-transformer';
import { FalkorEnrolmentsPayloadDto } from './enrolments.dto.js';
import { FalkorEventsPayloadDto } from './events.dto.js';
import type { FalkorRecordEventMap, FalkorRecordEventType } from './record-events.js';
import { FalkorRewardsPayloadDto } from './rewards.dto.js';

/**
 * Maps each event type to the payload its listeners receive: the platform's three webhooks,
 * named by the `type` their deliveries carry, and the record events of their records
 * ({@link FalkorRecordEventMap}: `enrolment.completed`, `attendee.booked`, ...). Add your own types (with their DTOs in the module's
 * `events` option) by augmenting this interface:
 *
 * ```ts
 * declare module 'nestjs-falkor-webhook' {
 *   interface FalkorEventMap { certificates: CertificatesPayloadDto }
 * }
 * ```
 *
 * To give a catalog type a DTO of your own, subclass its DTO and merge the new fields into the
 * catalog class's interface, so that listeners see them.
 */
export interface FalkorEventMap extends FalkorRecordEventMap {
  enrolments: FalkorEnrolmentsPayloadDto;
  events: FalkorEventsPayloadDto;
  rewards: FalkorRewardsPayloadDto;
}

/**
 * Every event type of the catalog, the record events, and any augmentation of
 * {@link FalkorEventMap}.
 */
export type FalkorEventType = keyof FalkorEventMap & string;

/**
 * The types a delivery can carry: the catalog's `enrolments`, `events`, `rewards` and any
 * augmentation of {@link FalkorEventMap}, without the record events.
 */
export type FalkorDeliveryType = Exclude<FalkorEventType, FalkorRecordEventType>;

/** A class the payload of an event is validated and transformed into. */
export type FalkorEventDtoClass = ClassConstructor<object>;

/**
 * The built-in catalog: the DTO class of each of the platform's webhooks.
 */
export const FALKOR_EVENT_CATALOG: Readonly<Record<string, FalkorEventDtoClass>> = Object.freeze({
  enrolments: FalkorEnrolmentsPayloadDto,
  events: FalkorEventsPayloadDto,
  rewards: FalkorRewardsPayloadDto,
});

/** The delivery types of the built-in catalog: `enrolments`, `events`, `rewards`. */
export const FALKOR_EVENT_TYPES = Object.freeze(
  Object.keys(FALKOR_EVENT_CATALOG),
) as readonly FalkorDeliveryType[];
