import { FalkorOptionalText, type FalkorOptional } from './field.rules.js';

/**
 * The learner fields an enrolment, an attendee and a voucher all carry. Learners may withhold
 * their location: `country` and `city` may be absent, `null` or `""`.
 */
export class FalkorLearnerDto {
  /** The learner's first name. */
  @FalkorOptionalText()
  firstname?: FalkorOptional<string>;

  /** The learner's last name. */
  @FalkorOptionalText()
  lastname?: FalkorOptional<string>;

  /** The learner's country. */
  @FalkorOptionalText()
  country?: FalkorOptional<string>;

  /** The learner's city. */
  @FalkorOptionalText()
  city?: FalkorOptional<string>;

  [extra: string]: unknown;
}
