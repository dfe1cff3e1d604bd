import type { Logger } from '@nestjs/common';

/** Connection errors repeat every reconnect attempt: one line per minute is enough. */
const QUIET_MS = 60_000;

/**
 * Logs a connection's outage once, and once a minute while it lasts, then its recovery; BullMQ
 * reconnects on its own and reports every failed attempt.
 */
export class FalkorOutageLog {
  private failures = 0;
  private loggedAt = 0;

  /**
   * @param logger - where to log
   * @param subject - what failed, as in `The queue`
   * @param consequence - what it means until it is back
   */
  constructor(
    private readonly logger: Pick<Logger, 'error' | 'log'>,
    private readonly subject: string,
    private readonly consequence = 'deliveries are answered 503 with Retry-After until it is back',
  ) {}

  /** Counts a failure, logging it when the last line is old enough. */
  failed(error: Error): void {
    this.failures++;
    const now = Date.now();
    if (now - this.loggedAt < QUIET_MS) {
      return;
    }
    this.loggedAt = now;
    this.logger.error(
      `${this.subject} is unavailable (${error.message}): ${this.consequence} ` +
        `(${this.failures} error(s) so far).`,
    );
  }

  /** Logs the recovery after an outage. */
  recovered(): void {
    if (this.failures === 0) {
      return;
    }
    this.logger.log(`${this.subject} is available again after ${this.failures} error(s).`);
    this.failures = 0;
    this.loggedAt = 0;
  }
}
