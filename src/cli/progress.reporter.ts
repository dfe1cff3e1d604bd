import type { CliIo } from './cli.io.js';

/**
 * Reports how many of a run's deliveries are done, on standard error: redrawn in place on a
 * terminal, otherwise one line per tenth of the run.
 *
 * @param total - how many deliveries the run sends
 * @param io - where to write
 * @returns a function to call with the number done after each delivery
 */
export function progressReporter(total: number, io: Pick<CliIo, 'stderr' | 'stderrIsTTY'>) {
  let reportedTenths = 0;
  return (done: number): void => {
    if (io.stderrIsTTY) {
      io.stderr(`\r${done}/${total} sent${done === total ? '\n' : ''}`);
      return;
    }
    const tenths = Math.floor((done * 10) / total);
    if (tenths > reportedTenths) {
      reportedTenths = tenths;
      io.stderr(`${done}/${total} sent\n`);
    }
  };
}
