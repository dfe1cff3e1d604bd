import {
  EMAIL,
  ENROLMENT_STATE,
  type FalkorEnrolmentState,
  PERCENTAGE,
  TIMESTAMP,
  type FalkorDocumentedString,
} from './documented.values.js';
import {
  FalkorList,
  FalkorNested,
  type FalkorOptional,
  FalkorOptionalInteger,
  FalkorOptionalNumber,
  FalkorOptionalText,
  FalkorText,
} from './field.rules.js';
import { FalkorLearnerDto } from './learner.dto.js';
import { FalkorDeliveryDataDto, FalkorDeliveryDto } from './delivery.dto.js';

/**
 * An enrolment's `status`: where the learner is on the pathway.
 */
export class FalkorEnrolmentStatusDto {
  /** The learner's current level. */
  @FalkorOptionalInteger()
  level?: FalkorOptional<number>;

  /** `In Progress` or `Complete` (exact casing, with a space), or a state the docs do not list. */
  @FalkorText({ documented: ENROLMENT_STATE })
  state: FalkorEnrolmentState;

  /** The percentage completed, 0 to 100 in the docs. */
  @FalkorOptionalNumber({ documented: PERCENTAGE })
  progress?: FalkorOptional<number>;

  /** The published version of the pathway the learner is on. */
  @FalkorOptionalText()
  version?: FalkorOptional<string>;

  /** When the status last changed, ISO 8601 with an offset (`2020-10-09T14:59:06+02:00`). */
  @FalkorOptionalText({ documented: TIMESTAMP })
  timestamp?: FalkorOptional<string>;

  /** When the learner enrolled, in the same format. */
  @FalkorOptionalText({ documented: TIMESTAMP })
  joined?: FalkorOptional<string>;

  [extra: string]: unknown;
}

/**
 * One record of `data.enrolments`: a learner on the pathway, with their first and last name and
 * location.
 */
export class FalkorEnrolmentDto extends FalkorLearnerDto {
  /** The learner's e-mail address: the only identity of the learner in the payload. */
  @FalkorText({ documented: EMAIL })
  email: string;

  /** Where the learner is on the pathway. */
  @FalkorNested(() => FalkorEnrolmentStatusDto)
  status: FalkorEnrolmentStatusDto;
}

/**
 * `data` of an `enrolments` delivery.
 */
export class FalkorEnrolmentsDataDto extends FalkorDeliveryDataDto {
  /** The enrolments the delivery carries (possibly none). */
  @FalkorList(() => FalkorEnrolmentDto)
  enrolments: FalkorEnrolmentDto[];
}

/**
 * An `enrolments` delivery (Pathways → Webhooks → Enrolments): a learner started or completed a
 * pathway, or their progress changed.
 */
export class FalkorEnrolmentsPayloadDto extends FalkorDeliveryDto {
  /** `enrolments` (the type the route read, unless a `resolveEventType` option found it elsewhere). */
  declare type: FalkorDocumentedString<'enrolments'>;

  /** The pathway and its enrolments. */
  @FalkorNested(() => FalkorEnrolmentsDataDto)
  data: FalkorEnrolmentsDataDto;
}
