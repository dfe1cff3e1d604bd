import { Type } from 'class-transformer';
import {
  IsDefined,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { FalkorPathwayEventDto } from './common.events.js';

/**
 * A learner's enrolment on a pathway.
 */
export class FalkorEnrolmentDto {
  /** The platform's enrolment id. */
  @IsString()
  @IsNotEmpty()
  id: string;

  /** The enrolment's status, e.g. `enrolled`, `in_progress`, `completed`. */
  @IsString()
  @IsNotEmpty()
  status: string;

  /** Progress through the pathway, in percent. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  progress?: number;

  /** Link to the enrolment on the platform. */
  @IsOptional()
  @IsUrl({ require_tld: false })
  url?: string;

  /** When the learner enrolled. */
  @IsOptional()
  @IsISO8601({ strict: true })
  enrolledAt?: string;

  /** When the learner completed the pathway. */
  @IsOptional()
  @IsISO8601({ strict: true })
  completedAt?: string;

  /** When the pathway is due. */
  @IsOptional()
  @IsISO8601({ strict: true })
  dueAt?: string;

  [extra: string]: unknown;
}

/**
 * Fields of the enrolment events.
 */
export class FalkorEnrolmentEventDto extends FalkorPathwayEventDto {
  /** The enrolment the event concerns. */
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => FalkorEnrolmentDto)
  enrolment: FalkorEnrolmentDto;
}

/**
 * `enrolment.created`: a learner enrolled on a pathway.
 */
export class EnrolmentCreatedDto extends FalkorEnrolmentEventDto {
  declare event: 'enrolment.created';
}

/**
 * `enrolment.completed`: a learner completed a pathway.
 */
export class EnrolmentCompletedDto extends FalkorEnrolmentEventDto {
  declare event: 'enrolment.completed';
}
