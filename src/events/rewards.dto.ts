import {
  EMAIL,
  type FalkorDocumentedString,
  type FalkorVoucherState,
  VOUCHER_STATE,
} from './documented.values.js';
import {
  FalkorList,
  FalkorNested,
  type FalkorOptional,
  FalkorOptionalText,
  FalkorText,
} from './field.rules.js';
import { FalkorLearnerDto } from './learner.dto.js';
import { FalkorDeliveryDataDto, FalkorDeliveryDto } from './delivery.dto.js';

/**
 * One of a reward's `vouchers`: a voucher a learner obtained and has not redeemed.
 */
export class FalkorVoucherDto extends FalkorLearnerDto {
  /** The voucher's id; the platform's consume API takes it to set the state. */
  @FalkorText()
  guid: string;

  /** `pending` (obtained, the learner not yet told), `notified`, `verify`, `redeemed`, `expired`, or another. */
  @FalkorText({ documented: VOUCHER_STATE })
  state: FalkorVoucherState;

  /** When the voucher expires: the docs' example has `never`; the format of a date is not shown. */
  @FalkorOptionalText()
  expires?: FalkorOptional<'never' | (string & Record<never, never>)>;

  /** The learner's e-mail address. */
  @FalkorOptionalText({ documented: EMAIL })
  email?: FalkorOptional<string>;
}

/**
 * One record of `data.rewards`: a reward with its vouchers.
 */
export class FalkorRewardDto {
  /** The reward's id / SKU, e.g. `FARE-STZH-05MD`. */
  @FalkorText()
  ID: string;

  /** The reward's name. */
  @FalkorOptionalText()
  name?: FalkorOptional<string>;

  /** The vouchers that have not been redeemed. */
  @FalkorList(() => FalkorVoucherDto)
  vouchers: FalkorVoucherDto[];

  [extra: string]: unknown;
}

/**
 * `data` of a `rewards` delivery.
 */
export class FalkorRewardsDataDto extends FalkorDeliveryDataDto {
  /** The rewards the delivery carries (possibly none). */
  @FalkorList(() => FalkorRewardDto)
  rewards: FalkorRewardDto[];
}

/**
 * A `rewards` delivery (Pathways → Webhooks → Rewards): a learner obtained a reward voucher.
 */
export class FalkorRewardsPayloadDto extends FalkorDeliveryDto {
  /** `rewards` (the type the route read, unless a `resolveEventType` option found it elsewhere). */
  declare type: FalkorDocumentedString<'rewards'>;

  /** The pathway and its rewards. */
  @FalkorNested(() => FalkorRewardsDataDto)
  data: FalkorRewardsDataDto;
}
