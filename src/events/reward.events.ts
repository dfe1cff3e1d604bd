import { FalkorPathwayEventDto } from './common.events.js';
import {
  IsRequiredFalkorText,
  IsNestedFalkorDto,
  IsOptionalFalkorNumber,
  IsOptionalFalkorText,
  IsOptionalFalkorTimestamp,
} from './dto.decorators.js';

/**
 * A reward of a pathway (a badge, a certificate, points...).
 */
export class FalkorRewardDto {
  /** The platform's reward id. */
  @IsRequiredFalkorText()
  id: string;

  /** The kind of reward, e.g. `badge` or `certificate`. */
  @IsOptionalFalkorText()
  kind?: string;

  /** The reward's name. */
  @IsOptionalFalkorText()
  name?: string;

  /** Points the reward is worth. */
  @IsOptionalFalkorNumber(0)
  points?: number;

  /** When the learner unlocked the reward. */
  @IsOptionalFalkorTimestamp()
  unlockedAt?: string;

  [extra: string]: unknown;
}

/**
 * `reward.unlocked`: a learner received or unlocked a reward on a pathway.
 */
export class RewardUnlockedDto extends FalkorPathwayEventDto {
  declare event: 'reward.unlocked';

  /** The reward unlocked. */
  @IsNestedFalkorDto(() => FalkorRewardDto)
  reward: FalkorRewardDto;
}
