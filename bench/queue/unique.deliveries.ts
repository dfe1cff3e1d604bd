import { randomUUID } from 'node:crypto';
import { createFalkorDelivery, falkorDeliveryHeaders } from 'nestjs-falkor-webhook/testing';
import { BENCH_SECRET } from '../bench.config.js';
import type { BenchRequest } from '../payloads/bench.payloads.js';
import { BENCH_PATHWAY, BENCH_RECORDS, benchEnrolments } from '../payloads/bench.records.js';

const ID_SLOT = 'QUEUE-BENCH-ID-SLOT';
const SENT_SLOT = 'QUEUE-BENCH-SENT-SLOT';
/** How the listener finds the sender's clock reading in the pathway's name. */
const SENT_PATTERN = /, sent at (\d+) ns$/;

/** The sender's clock: `CLOCK_MONOTONIC`, shared by every process of a Linux host. */
export function monotonicNs(): bigint {
  return process.hrtime.bigint();
}

/**
 * The `small` delivery of `npm run bench` (an `enrolments` delivery of 3 enrolments) made unique
 * per request: each carries its own pathway `ID`, so that no two requests have the same bytes.
 * In queue mode the job id is the SHA-256 of the body, so identical bytes would be one job.
 * The pathway's name carries the sender's clock reading, for the end-to-end latency.
 */
export class UniqueDeliveries {
  private readonly parts: readonly [string, string, string];
  private readonly run = randomUUID().slice(0, 8);
  private sequence = 0;

  constructor() {
    const { body } = createFalkorDelivery('enrolments', {
      secret: BENCH_SECRET,
      overrides: {
        data: {
          pathway: { name: `${BENCH_PATHWAY.name}, sent at ${SENT_SLOT} ns`, ID: ID_SLOT },
          enrolments: benchEnrolments(BENCH_RECORDS.small),
        },
      },
    });
    // The payload's keys keep their order: the name (and its clock slot) comes before the ID.
    const [before, rest] = body.split(SENT_SLOT);
    const [between, after] = rest.split(ID_SLOT);
    if (after === undefined) {
      throw new Error('The pathway name does not come before its ID in the sample payload.');
    }
    this.parts = [before, between, after];
  }

  /**
   * The next delivery, signed, with the sender's clock read now.
   *
   * @param sentNs - the clock reading to carry; default now
   */
  next(sentNs: bigint = monotonicNs()): BenchRequest {
    const id = `FA-Q${this.run}-${(this.sequence++).toString(36)}`;
    const body = `${this.parts[0]}${sentNs}${this.parts[1]}${id}${this.parts[2]}`;
    return { body, headers: falkorDeliveryHeaders(body, { secret: BENCH_SECRET }) };
  }
}

/**
 * Milliseconds since the sender's clock reading carried in a pathway's name, or `undefined` when
 * the name carries none.
 *
 * @param pathwayName - `data.pathway.name` of a delivery made by {@link UniqueDeliveries}
 * @param nowNs - this process's reading of the same clock
 */
export function msSinceSent(
  pathwayName: string | null | undefined,
  nowNs: bigint,
): number | undefined {
  const match = typeof pathwayName === 'string' ? SENT_PATTERN.exec(pathwayName) : null;
  return match ? Number(nowNs - BigInt(match[1])) / 1e6 : undefined;
}
