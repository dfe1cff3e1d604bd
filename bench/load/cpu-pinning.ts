import { execFileSync } from 'node:child_process';
import { LOAD_CPU } from '../bench.config.js';

/**
 * Pins every thread of this process (the load generator) to the load CPU, so that it never
 * competes with the server under test for the server's CPU.
 *
 * @throws Error when `taskset` (util-linux) is not available
 */
export function pinLoadGenerator(): void {
  execFileSync('taskset', ['-a', '-cp', LOAD_CPU, String(process.pid)], { stdio: 'ignore' });
}
