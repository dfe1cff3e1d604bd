/**
 * An outcome the store must still record: `complete` after every listener succeeded, `release`
 * after one failed.
 */
export interface FalkorPendingWrite {
  /** Which store operation to run. */
  readonly operation: 'complete' | 'release';
  /** The delivery key. */
  readonly key: string;
  /** The token of the reservation. */
  readonly token: string;
  /** When the reservation expires (ms since the epoch); past it there is nothing left to record. */
  readonly expiresAt: number;
}

const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 2000;
const MAX_PENDING_WRITES = 10_000;

/**
 * Outcomes the store could not record when their delivery finished (it failed or timed out),
 * retried with a growing delay until the store takes them, so that once it is back a redelivery
 * is recognised as processed (or processed, if its first attempt failed) rather than answered
 * "in flight" until the reservation expires. Bounded: at most 10,000 writes are kept, the oldest
 * dropped first, and a write is dropped once its reservation has expired.
 */
export class PendingWritesQueue {
  private readonly writes = new Map<string, FalkorPendingWrite>();
  private timer: NodeJS.Timeout | undefined;
  private delayMs = FIRST_DELAY_MS;
  private flushing: Promise<void> | undefined;
  private stopped = false;

  /**
   * @param apply - runs one write against the store; rejects when the store is still failing
   * @param drop - told about a write given up on (expired reservation, queue full or stopped)
   */
  constructor(
    private readonly apply: (write: FalkorPendingWrite) => Promise<void>,
    private readonly drop: (write: FalkorPendingWrite, reason: 'expired' | 'overflow') => void,
  ) {}

  /** How many writes wait for the store. */
  get size(): number {
    return this.writes.size;
  }

  /** Queues a write and schedules a retry. */
  add(write: FalkorPendingWrite): void {
    if (this.writes.size >= MAX_PENDING_WRITES) {
      const [id, oldest] = this.writes.entries().next().value as [string, FalkorPendingWrite];
      this.writes.delete(id);
      this.drop(oldest, 'overflow');
    }
    // One attempt holds several keys under its token (record events): a write is both.
    this.writes.set(`${write.token}\u0000${write.key}`, write);
    this.schedule();
  }

  /** Tries every queued write once, oldest first, stopping at the first one the store refuses. */
  flush(): Promise<void> {
    this.flushing ??= this.run().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /** Makes a last attempt at every queued write and stops retrying. */
  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private schedule(): void {
    if (this.timer !== undefined || this.stopped) {
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.delayMs);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    for (const [id, write] of this.writes) {
      if (write.expiresAt <= Date.now()) {
        this.writes.delete(id);
        this.drop(write, 'expired');
        continue;
      }
      try {
        await this.apply(write);
      } catch {
        this.delayMs = Math.min(this.delayMs * 2, MAX_DELAY_MS);
        this.schedule();
        return;
      }
      this.writes.delete(id);
    }
    this.delayMs = FIRST_DELAY_MS;
  }
}
