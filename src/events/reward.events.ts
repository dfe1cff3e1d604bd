import { Type } from 'class-transformer';
import {
  IsDefined,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Min,
  ValidateNested,
} from 'class-validator';
import { FalkorPathwayEventDto } from './common.events.js';

/**
 * A reward of a pathway (a badge, a certificate, points...).
 */
export class FalkorRewardDto {
  /** The platform's reward id. */
  @IsString()
  @IsNotEmpty()
  id: string;

  /** The kind of reward, e.g. `badge` or `certificate`. */
  @IsOptional()
  @IsString()
  kind?: string;

  /** The reward's name. */
  @IsOptional()
  @IsString()
  name?: string;

  /** Points the reward is worth. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  points?: number;

  /** When the learner unlocked the reward. */
  @IsOptional()
  @IsISO8601({ strict: true })
  unlockedAt?: string;

  [extra: string]: unknown;
}

/**
 * `reward.unlocked`: a learner received or unlocked a reward on a pathway.
 */
export class RewardUnlockedDto extends FalkorPathwayEventDto {
  declare event: 'reward.unlocked';

  /** The reward unlocked. */
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => FalkorRewardDto)
  reward: FalkorRewardDto;
}
