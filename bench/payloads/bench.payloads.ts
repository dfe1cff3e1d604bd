import { createFalkorDelivery, type FalkorPayloadOverrides } from 'nestjs-falkor-webhook/testing';
import { BENCH_SECRET } from '../bench.config.js';
import {
  BENCH_PATHWAY,
  BENCH_RECORDS,
  benchEnrolments,
  benchEvent,
  benchReward,
} from './bench.records.js';

/** One request the load generator sends: the exact body and its headers. */
export interface BenchRequest {
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** A named load: the requests each connection sends in turn. */
export interface BenchLoad {
  readonly name: string;
  readonly description: string;
  readonly requests: readonly BenchRequest[];
}

/** The loads a benchmark run can use. */
export const LOAD_NAMES = ['small', 'snapshot', 'mix'] as const;

/** A load name. */
export type LoadName = (typeof LOAD_NAMES)[number];

/** A delivery signed as the platform signs it, with the payload's `data` replaced. */
function signed(type: string, data: FalkorPayloadOverrides): BenchRequest {
  const { body, headers } = createFalkorDelivery(type, {
    secret: BENCH_SECRET,
    overrides: { data },
  });
  return { body, headers };
}

function enrolments(records: number): BenchRequest {
  return signed('enrolments', { pathway: BENCH_PATHWAY, enrolments: benchEnrolments(records) });
}

const kib = (request: BenchRequest) => `${(Buffer.byteLength(request.body) / 1024).toFixed(1)} KiB`;

/**
 * Builds a load, every delivery correctly signed: `small` is one `enrolments` delivery of 3
 * enrolments (about 1 KiB), `snapshot` one of 1,000 enrolments (about 300 KB: the whole pathway,
 * which the docs do not rule out), `mix` one delivery of each of the three webhooks in turn, each
 * with 3 records (3 enrolments; an event with 3 attendees; a reward with 3 vouchers).
 */
export function benchLoad(name: LoadName): BenchLoad {
  if (name === 'mix') {
    const requests = [
      enrolments(BENCH_RECORDS.small),
      signed('events', { pathway: BENCH_PATHWAY, events: [benchEvent(3)] }),
      signed('rewards', { pathway: BENCH_PATHWAY, rewards: [benchReward(3)] }),
    ];
    return {
      name,
      description: `enrolments, events and rewards in turn (${requests.map(kib).join(', ')})`,
      requests,
    };
  }
  const records = BENCH_RECORDS[name];
  const request = enrolments(records);
  return {
    name,
    description: `enrolments of ${records.toLocaleString('en')} records, ${Buffer.byteLength(request.body).toLocaleString('en')} bytes`,
    requests: [request],
  };
}
