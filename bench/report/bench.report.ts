import { VARIANTS, type VariantName } from '../bench.config.js';
import type { MeasuredLoad } from '../load/measured-load.js';
import { median } from './statistics.js';

/** The medians of one variant over the rounds of a scenario. */
export interface VariantSummary {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly cpu: number;
  readonly failures: number;
}

/** One scenario (adapter and load) summarised over its rounds. */
export interface ScenarioSummary {
  readonly adapter: string;
  readonly load: string;
  readonly variants: Readonly<Record<VariantName, VariantSummary>>;
}

const fixed = (value: number, digits: number) => value.toFixed(digits);

function row(cells: readonly (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** A table row of one variant's run in one round. */
export function roundRow(round: string, variant: VariantName, result: MeasuredLoad): string {
  return row([
    round,
    variant,
    fixed(result.rps, 0),
    fixed(result.p50, 2),
    fixed(result.p99, 2),
    fixed(result.cpuPerResponse, 1),
    result.failures,
  ]);
}

/** The header of the per-round table. */
export const ROUND_HEADER = [
  row(['round', 'variant', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'non-2xx']),
  row(['---', '---', '---:', '---:', '---:', '---:', '---:']),
].join('\n');

/** Summarises the rounds of every variant by their medians (failures are summed). */
export function summarise(
  adapter: string,
  load: string,
  results: Readonly<Record<VariantName, readonly MeasuredLoad[]>>,
): ScenarioSummary {
  const variants = Object.fromEntries(
    VARIANTS.map((variant) => {
      const runs = results[variant];
      return [
        variant,
        {
          rps: median(runs.map((r) => r.rps)),
          p50: median(runs.map((r) => r.p50)),
          p99: median(runs.map((r) => r.p99)),
          cpu: median(runs.map((r) => r.cpuPerResponse)),
          failures: runs.reduce((sum, r) => sum + r.failures, 0),
        },
      ];
    }),
  ) as Record<VariantName, VariantSummary>;
  return { adapter, load, variants };
}

/** The ratios the targets are set on. */
export function ratios(summary: ScenarioSummary) {
  const { bare, module, naive } = summary.variants;
  return {
    moduleToBare: module.rps / bare.rps,
    moduleToNaive: module.rps / naive.rps,
    p99ModuleToBare: module.p99 / bare.p99,
    cpuBareToModule: bare.cpu / module.cpu,
  };
}

/** The medians table of a scenario, one row per variant. */
export function medianTable(summary: ScenarioSummary): string {
  return [
    row(['variant', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'non-2xx']),
    row(['---', '---:', '---:', '---:', '---:', '---:']),
    ...VARIANTS.map((variant) => {
      const v = summary.variants[variant];
      return row([
        variant,
        fixed(v.rps, 0),
        fixed(v.p50, 2),
        fixed(v.p99, 2),
        fixed(v.cpu, 1),
        v.failures,
      ]);
    }),
  ].join('\n');
}

/** One table of every scenario's medians and ratios. */
export function overallTable(summaries: readonly ScenarioSummary[]): string {
  return [
    row([
      'adapter',
      'load',
      'bare req/s',
      'module req/s',
      'naive req/s',
      'module/bare',
      'module/naive',
      'p99 bare ms',
      'p99 module ms',
      'p99 naive ms',
      'p99 module/bare',
      'CPU µs/req bare, module, naive',
      'CPU bare/module',
      'non-2xx',
    ]),
    row(['---', '---', ...Array<string>(12).fill('---:')]),
    ...summaries.map((summary) => {
      const { bare, module, naive } = summary.variants;
      const r = ratios(summary);
      return row([
        summary.adapter,
        summary.load,
        fixed(bare.rps, 0),
        fixed(module.rps, 0),
        fixed(naive.rps, 0),
        fixed(r.moduleToBare, 2),
        fixed(r.moduleToNaive, 2),
        fixed(bare.p99, 2),
        fixed(module.p99, 2),
        fixed(naive.p99, 2),
        fixed(r.p99ModuleToBare, 2),
        `${fixed(bare.cpu, 0)}, ${fixed(module.cpu, 0)}, ${fixed(naive.cpu, 0)}`,
        fixed(r.cpuBareToModule, 2),
        bare.failures + module.failures + naive.failures,
      ]);
    }),
  ].join('\n');
}

/**
 * Checks the goals against the scenarios that were measured, one line per goal: on Express, the
 * small delivery at module/bare >= 0.85 and module/naive >= 1.3; the snapshot at module/naive >= 3
 * on both adapters; no non-2xx anywhere.
 */
export function targetLines(summaries: readonly ScenarioSummary[]): string[] {
  const lines: string[] = [];
  const check = (label: string, value: number, met: boolean) =>
    lines.push(`${met ? 'met   ' : 'MISSED'} ${label}: ${fixed(value, 2)}`);
  for (const summary of summaries) {
    const r = ratios(summary);
    const name = `${summary.adapter} ${summary.load}`;
    const failures = VARIANTS.reduce((sum, v) => sum + summary.variants[v].failures, 0);
    check(`${name} non-2xx (must be 0)`, failures, failures === 0);
    if (summary.adapter === 'express' && summary.load === 'small') {
      check(`${name} module/bare >= 0.85`, r.moduleToBare, r.moduleToBare >= 0.85);
      check(`${name} module/naive >= 1.3`, r.moduleToNaive, r.moduleToNaive >= 1.3);
    } else if (summary.load === 'snapshot') {
      check(`${name} module/naive >= 3`, r.moduleToNaive, r.moduleToNaive >= 3);
    }
  }
  return lines;
}
