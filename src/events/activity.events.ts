import { FalkorPathwayEventDto } from './common.events.js';
import {
  IsRequiredFalkorText,
  IsNestedFalkorDto,
  IsOptionalFalkorNumber,
  IsOptionalFalkorText,
  IsOptionalFalkorTimestamp,
} from './dto.decorators.js';

/**
 * An activity of a pathway (a lesson, a quiz, a video...).
 */
export class FalkorActivityDto {
  /** The platform's activity id. */
  @IsRequiredFalkorText()
  id: string;

  /** The activity's title. */
  @IsOptionalFalkorText()
  title?: string;

  /** The kind of activity, e.g. `quiz`. */
  @IsOptionalFalkorText()
  type?: string;

  /** The learner's score, in percent. */
  @IsOptionalFalkorNumber(0, 100)
  score?: number;

  /** When the learner completed the activity. */
  @IsOptionalFalkorTimestamp()
  completedAt?: string;

  [extra: string]: unknown;
}

/**
 * `activity.completed`: a learner completed an activity of a pathway.
 */
export class ActivityCompletedDto extends FalkorPathwayEventDto {
  declare event: 'activity.completed';

  /** The activity that was completed. */
  @IsNestedFalkorDto(() => FalkorActivityDto)
  activity: FalkorActivityDto;
}
