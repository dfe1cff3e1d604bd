import { FALKOR_EVENT_TYPES, type FalkorEventType } from 'nestjs-falkor-webhook';
import { createFalkorDelivery } from 'nestjs-falkor-webhook/testing';
import { BENCH_SECRET } from '../bench.config.js';

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
export const LOAD_NAMES = ['1k', '64k', 'mix'] as const;

/** A load name. */
export type LoadName = (typeof LOAD_NAMES)[number];

function moduleProgress(index: number): Record<string, unknown> {
  return {
    id: `mod_${1000 + index}`,
    title: `Module ${index + 1}: hazard awareness and reporting`,
    status: 'completed',
    score: 60 + ((index * 7) % 41),
    completedAt: `2026-11-${String(1 + (index % 27)).padStart(2, '0')}T09:30:00+00:00`,
  };
}

/**
 * An `enrolment.completed` delivery as a learning platform sends it, with the per-module progress
 * that makes it grow: modules are added until the body reaches `targetBytes`.
 */
function enrolmentCompleted(targetBytes: number): BenchRequest {
  const modules: Record<string, unknown>[] = [];
  const build = () =>
    createFalkorDelivery('enrolment.completed', {
      secret: BENCH_SECRET,
      overrides: {
        pathway: { version: 7, category: 'Health and safety' },
        user: { locale: 'de-CH', department: 'Logistics', employeeNumber: 'E-20417' },
        enrolment: {
          dueAt: '2026-12-31T23:59:59+00:00',
          certificateUrl: 'https://learn.example.com/certificates/enr_55.pdf',
          modules,
        },
      },
    });
  let delivery = build();
  while (Buffer.byteLength(delivery.body) < targetBytes - 120) {
    modules.push(moduleProgress(modules.length));
    delivery = build();
  }
  return { body: delivery.body, headers: delivery.headers };
}

/**
 * Builds a load: `1k` and `64k` are one `enrolment.completed` delivery of about that size, `mix` is
 * one delivery of every catalog event type in turn.
 */
export function benchLoad(name: LoadName): BenchLoad {
  if (name === 'mix') {
    const requests = FALKOR_EVENT_TYPES.map((type: FalkorEventType) => {
      const { body, headers } = createFalkorDelivery(type, { secret: BENCH_SECRET });
      return { body, headers };
    });
    return { name, description: `all ${requests.length} catalog event types in turn`, requests };
  }
  const request = enrolmentCompleted(name === '1k' ? 1024 : 64 * 1024);
  return {
    name,
    description: `enrolment.completed, ${Buffer.byteLength(request.body)} bytes`,
    requests: [request],
  };
}
