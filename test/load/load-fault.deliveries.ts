import {
  createFalkorDelivery,
  falkorSampleEnrolment,
  type FalkorPayloadOverrides,
} from '../../src/testing/index.js';
import type { Sendable } from '../support/http.sender.js';

/** How many enrolments a small delivery and a snapshot of the whole pathway carry. */
export const DELIVERY_RECORDS = { small: 3, snapshot: 1000 } as const;

/** Enrolment `i` of a pathway: a learner of their own, somewhere along it or done. */
function enrolment(i: number): Record<string, unknown> {
  const complete = i % 4 === 3;
  return falkorSampleEnrolment({
    email: `learner.${i}@learners.example.com`,
    firstname: `Learner ${i}`,
    status: {
      level: 1 + (i % 5),
      state: complete ? 'Complete' : 'In Progress',
      progress: complete ? 100 : (i * 37) % 100,
    },
  });
}

/** What a delivery is made of. */
export interface EnrolmentsDeliveryOptions {
  /** Enrolments it carries (default 3, a small delivery). */
  readonly records?: number;
  /** The secret it is signed with; another than the instances' gives a forged delivery. */
  readonly secret: string;
  /** Make it fail validation: the first enrolment's e-mail address is a number. */
  readonly invalid?: boolean;
}

/**
 * A signed `enrolments` delivery of the documented shape for a pathway id: the id is what makes
 * each delivery of a run unique (its bytes, hence its de-duplication key) and what the ledger
 * counts its processing by. The same id and options always give the same bytes, as a platform's
 * retry of the same delivery does.
 */
export function enrolmentsDelivery(
  pathwayId: string,
  options: EnrolmentsDeliveryOptions,
): Sendable {
  const enrolments = Array.from({ length: options.records ?? DELIVERY_RECORDS.small }, (_, i) =>
    enrolment(i),
  );
  if (options.invalid) {
    enrolments[0] = { ...enrolments[0], email: 42 };
  }
  const overrides: FalkorPayloadOverrides = {
    data: { pathway: { name: 'Load and faults', ID: pathwayId }, enrolments },
  };
  const { body, headers } = createFalkorDelivery('enrolments', {
    secret: options.secret,
    overrides,
  });
  return { body, headers };
}
