import type { CliIo } from './cli.io.js';

/** The CLI's exit codes: success, a delivery or verification that failed, wrong usage or input. */
export const CLI_EXIT_CODES = Object.freeze({ ok: 0, failed: 1, usage: 2 });

/**
 * One command of the `falkor-webhook` CLI.
 */
export interface CliCommand {
  /** The name typed after `falkor-webhook`. */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The full `--help` text. */
  readonly help: string;
  /**
   * Runs the command.
   *
   * @param args - the arguments after the command name
   * @param io - where to read and write
   * @returns the exit code
   * @throws CliUsageError on wrong usage or unreadable input, CliFailure when the command cannot complete
   */
  run(args: readonly string[], io: CliIo): Promise<number>;
}
