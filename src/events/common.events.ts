import { Type } from 'class-transformer';
import {
  IsDefined,
  IsEmail,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  ValidateNested,
} from 'class-validator';

/**
 * The learner an event concerns.
 */
export class FalkorUserDto {
  /** The platform's user id. */
  @IsString()
  @IsNotEmpty()
  id: string;

  /** The learner's e-mail address. */
  @IsOptional()
  @IsEmail()
  email?: string;

  /** The learner's first name. */
  @IsOptional()
  @IsString()
  firstName?: string;

  /** The learner's last name. */
  @IsOptional()
  @IsString()
  lastName?: string;

  [extra: string]: unknown;
}

/**
 * The pathway an event belongs to.
 */
export class FalkorPathwayDto {
  /** The platform's pathway id. */
  @IsString()
  @IsNotEmpty()
  id: string;

  /** The pathway's name. */
  @IsOptional()
  @IsString()
  name?: string;

  [extra: string]: unknown;
}

/**
 * Fields every Falkor event has. Fields the platform adds beyond the catalog are kept on the
 * instance and never rejected.
 */
export class FalkorEventDto {
  /** The event type, e.g. `enrolment.completed`. */
  @IsString()
  @IsNotEmpty()
  event: string;

  /** When the event happened, as an ISO 8601 date-time. */
  @IsISO8601({ strict: true })
  occurredAt: string;

  /** The learner the event concerns. */
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => FalkorUserDto)
  user: FalkorUserDto;

  [extra: string]: unknown;
}

/**
 * Fields of every event that happens on a pathway.
 */
export class FalkorPathwayEventDto extends FalkorEventDto {
  /** The pathway the event belongs to. */
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => FalkorPathwayDto)
  pathway: FalkorPathwayDto;
}
