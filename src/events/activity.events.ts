import { Type } from 'class-transformer';
import {
  IsDefined,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { FalkorPathwayEventDto } from './common.events.js';

/**
 * An activity of a pathway (a lesson, a quiz, a video...).
 */
export class FalkorActivityDto {
  /** The platform's activity id. */
  @IsString()
  @IsNotEmpty()
  id: string;

  /** The activity's title. */
  @IsOptional()
  @IsString()
  title?: string;

  /** The kind of activity, e.g. `quiz`. */
  @IsOptional()
  @IsString()
  type?: string;

  /** The learner's score, in percent. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  score?: number;

  /** When the learner completed the activity. */
  @IsOptional()
  @IsISO8601({ strict: true })
  completedAt?: string;

  [extra: string]: unknown;
}

/**
 * `activity.completed`: a learner completed an activity of a pathway.
 */
export class ActivityCompletedDto extends FalkorPathwayEventDto {
  declare event: 'activity.completed';

  /** The activity that was completed. */
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => FalkorActivityDto)
  activity: FalkorActivityDto;
}
