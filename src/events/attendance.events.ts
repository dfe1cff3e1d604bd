import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  ValidateNested,
} from 'class-validator';
import { FalkorPathwayEventDto } from './common.events.js';

/** The kinds of session a learner can attend. */
export const FALKOR_SESSION_KINDS = ['classroom', 'event'] as const;

/**
 * A classroom or event session of a pathway.
 */
export class FalkorSessionDto {
  /** The platform's session id. */
  @IsString()
  @IsNotEmpty()
  id: string;

  /** `classroom` or `event`. */
  @IsIn(FALKOR_SESSION_KINDS)
  kind: (typeof FALKOR_SESSION_KINDS)[number];

  /** The session's title. */
  @IsOptional()
  @IsString()
  title?: string;

  /** When the session starts. */
  @IsOptional()
  @IsISO8601({ strict: true })
  startsAt?: string;

  /** When the session ends. */
  @IsOptional()
  @IsISO8601({ strict: true })
  endsAt?: string;

  /** Where the session takes place. */
  @IsOptional()
  @IsString()
  location?: string;

  [extra: string]: unknown;
}

/**
 * Fields of the attendance events.
 */
export class FalkorAttendanceEventDto extends FalkorPathwayEventDto {
  /** The session attended. */
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => FalkorSessionDto)
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
