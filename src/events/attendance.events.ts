import { IsIn } from 'class-validator';
import { FalkorPathwayEventDto } from './common.events.js';
import {
  IsRequiredFalkorText,
  IsNestedFalkorDto,
  IsOptionalFalkorText,
  IsOptionalFalkorTimestamp,
} from './dto.decorators.js';

/** The kinds of session a learner can attend. */
export const FALKOR_SESSION_KINDS = ['classroom', 'event'] as const;

/**
 * A classroom or event session of a pathway.
 */
export class FalkorSessionDto {
  /** The platform's session id. */
  @IsRequiredFalkorText()
  id: string;

  /** `classroom` or `event`. */
  @IsIn(FALKOR_SESSION_KINDS)
  kind: (typeof FALKOR_SESSION_KINDS)[number];

  /** The session's title. */
  @IsOptionalFalkorText()
  title?: string;

  /** When the session starts. */
  @IsOptionalFalkorTimestamp()
  startsAt?: string;

  /** When the session ends. */
  @IsOptionalFalkorTimestamp()
  endsAt?: string;

  /** Where the session takes place. */
  @IsOptionalFalkorText()
  location?: string;

  [extra: string]: unknown;
}

/**
 * Fields of the attendance events.
 */
export class FalkorAttendanceEventDto extends FalkorPathwayEventDto {
  /** The session attended. */
  @IsNestedFalkorDto(() => FalkorSessionDto)
  session: FalkorSessionDto;
}

/**
 * `attendance.registered`: a learner registered attendance for a classroom or event.
 */
export class AttendanceRegisteredDto extends FalkorAttendanceEventDto {
  declare event: 'attendance.registered';
}

/**
 * `attendance.checked_in`: a learner checked in to a classroom or event.
 */
export class AttendanceCheckedInDto extends FalkorAttendanceEventDto {
  declare event: 'attendance.checked_in';
}
