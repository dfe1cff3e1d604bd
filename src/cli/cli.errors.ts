/**
 * Wrong usage or unusable input (exit code 2): an unknown option, a bad URL, a missing secret, an
 * unreadable file, an unknown event type. The message says what to pass instead.
 */
export class CliUsageError extends Error {
  /**
   * @param message - what is wrong and what to pass instead
   */
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/**
 * A command that could not complete (exit code 1), e.g. the receiver could not be reached.
 */
export class CliFailure extends Error {
  /**
   * @param message - what failed and what to check
   */
  constructor(message: string) {
    super(message);
    this.name = 'CliFailure';
  }
}
