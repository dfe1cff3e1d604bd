import {
  IsRequiredFalkorText,
  IsFalkorTimestamp,
  IsNestedFalkorDto,
  IsOptionalFalkorEmail,
  IsOptionalFalkorText,
} from './dto.decorators.js';

/**
 * The learner an event concerns.
 */
export class FalkorUserDto {
  /** The platform's user id. */
  @IsRequiredFalkorText()
  id: string;

  /** The learner's e-mail address. */
  @IsOptionalFalkorEmail()
  email?: string;

  /** The learner's first name. */
  @IsOptionalFalkorText()
  firstName?: string;

  /** The learner's last name. */
  @IsOptionalFalkorText()
  lastName?: string;

  [extra: string]: unknown;
}

/**
 * The pathway an event belongs to.
 */
export class FalkorPathwayDto {
  /** The platform's pathway id. */
  @IsRequiredFalkorText()
  id: string;

  /** The pathway's name. */
  @IsOptionalFalkorText()
  name?: string;

  [extra: string]: unknown;
}

/**
 * Fields every Falkor event has. Fields the platform adds beyond the catalog are kept on the
 * instance and never rejected.
 */
export class FalkorEventDto {
  /** The event type, e.g. `enrolment.completed`. */
  @IsRequiredFalkorText()
  event: string;

  /** When the event happened, as an ISO 8601 date-time. */
  @IsFalkorTimestamp()
  occurredAt: string;

  /** The learner the event concerns. */
  @IsNestedFalkorDto(() => FalkorUserDto)
  user: FalkorUserDto;

  [extra: string]: unknown;
}

/**
 * Fields of every event that happens on a pathway.
 */
export class FalkorPathwayEventDto extends FalkorEventDto {
  /** The pathway the event belongs to. */
  @IsNestedFalkorDto(() => FalkorPathwayDto)
  pathway: FalkorPathwayDto;
}
