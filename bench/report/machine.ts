import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/**
 * The machine a run came from: CPU count (all online CPUs, whatever this process is pinned to),
 * CPU model and Node.js version.
 */
export function describeMachine(): string {
  let model = 'unknown CPU';
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    model = match?.[1] ?? model;
  } catch {
    model = 'unknown CPU (no /proc/cpuinfo)';
  }
  return `${cpus().length} CPUs, ${model}, Node.js ${process.version}`;
}

/**
 * The 1, 5 and 15 minute load averages: on a machine shared with other work, they tell how much
 * the servers competed for their CPU.
 */
export function describeLoad(): string {
  return `load average ${loadavg()
    .map((value) => value.toFixed(2))
    .join(', ')}`;
}
