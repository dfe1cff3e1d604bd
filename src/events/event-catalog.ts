import type { ClassConstructor } from 'class-transformer';
import { ActivityCompletedDto } from './activity.events.js';
import { AttendanceCheckedInDto, AttendanceRegisteredDto } from './attendance.events.js';
import { EnrolmentCompletedDto, EnrolmentCreatedDto } from './enrolment.events.js';
import { RewardUnlockedDto } from './reward.events.js';

/**
 * Maps each event type to the payload its listeners receive. Add your own types (with their DTOs in
 * the module's `events` option) by augmenting this interface:
 *
 * ```ts
 * declare module 'nestjs-falkor-webhook' {
 *   interface FalkorEventMap { 'course.archived': CourseArchivedDto }
 * }
 * ```
 *
 * To give a catalog type a DTO of your own, subclass its DTO and merge the new fields into the
 * catalog class's interface, so that listeners see them.
 */
export interface FalkorEventMap {
  'enrolment.created': EnrolmentCreatedDto;
  'enrolment.completed': EnrolmentCompletedDto;
  'activity.completed': ActivityCompletedDto;
  'attendance.registered': AttendanceRegisteredDto;
  'attendance.checked_in': AttendanceCheckedInDto;
  'reward.unlocked': RewardUnlockedDto;
}

/** Every event type of the catalog (and of any augmentation of {@link FalkorEventMap}). */
export type FalkorEventType = keyof FalkorEventMap & string;

/** A class the payload of an event is validated and transformed into. */
export type FalkorEventDtoClass = ClassConstructor<object>;

/**
 * The built-in catalog: the DTO class of each event type.
 */
export const FALKOR_EVENT_CATALOG: Readonly<Record<string, FalkorEventDtoClass>> = Object.freeze({
  'enrolment.created': EnrolmentCreatedDto,
  'enrolment.completed': EnrolmentCompletedDto,
  'activity.completed': ActivityCompletedDto,
  'attendance.registered': AttendanceRegisteredDto,
  'attendance.checked_in': AttendanceCheckedInDto,
  'reward.unlocked': RewardUnlockedDto,
});

/** The event types of the built-in catalog. */
export const FALKOR_EVENT_TYPES = Object.freeze(
  Object.keys(FALKOR_EVENT_CATALOG),
) as readonly FalkorEventType[];
