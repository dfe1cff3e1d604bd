import { FalkorPathwayEventDto } from './common.events.js';
import {
  IsRequiredFalkorText,
  IsNestedFalkorDto,
  IsOptionalFalkorNumber,
  IsOptionalFalkorTimestamp,
  IsOptionalFalkorUrl,
} from './dto.decorators.js';

/**
 * A learner's enrolment on a pathway.
 */
export class FalkorEnrolmentDto {
  /** The platform's enrolment id. */
  @IsRequiredFalkorText()
  id: string;

  /** The enrolment's status, e.g. `enrolled`, `in_progress`, `completed`. */
  @IsRequiredFalkorText()
  status: string;

  /** Progress through the pathway, in percent. */
  @IsOptionalFalkorNumber(0, 100)
  progress?: number;

  /** Link to the enrolment on the platform. */
  @IsOptionalFalkorUrl()
  url?: string;

  /** When the learner enrolled. */
  @IsOptionalFalkorTimestamp()
  enrolledAt?: string;

  /** When the learner completed the pathway. */
  @IsOptionalFalkorTimestamp()
  completedAt?: string;

  /** When the pathway is due. */
  @IsOptionalFalkorTimestamp()
  dueAt?: string;

  [extra: string]: unknown;
}

/**
 * Fields of the enrolment events.
 */
export class FalkorEnrolmentEventDto extends FalkorPathwayEventDto {
  /** The enrolment the event concerns. */
  @IsNestedFalkorDto(() => FalkorEnrolmentDto)
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
