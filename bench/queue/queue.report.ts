import { median, percentile } from '../report/statistics.js';

/** A markdown table row. */
export function tableRow(cells: readonly (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

/**
 * A markdown table: its header, the alignment line (the first `textColumns` left, the figures
 * right), its rows.
 */
export function table(
  textColumns: number,
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const align = header.map((_, i) => (i < textColumns ? '---' : '---:'));
  return [tableRow(header), tableRow(align), ...rows.map(tableRow)].join('\n');
}

/** The spread of some latencies, in ms. */
export interface Spread {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** p50, p90, p99 and the largest of some values (nearest rank). */
export function spreadOf(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1],
  };
}

/** The median of one figure over the runs of a row. */
export function medianOf<T>(runs: readonly T[], figure: (run: T) => number): number {
  return median(runs.map(figure));
}

/** A figure with a fixed number of decimals. */
export const fixed = (value: number, digits: number): string => value.toFixed(digits);
