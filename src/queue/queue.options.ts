import type { BackoffOptions, ConnectionOptions } from 'bullmq';

/**
 * What an app with the `queue` option does: `both` receives and processes, `receiver` only
 * receives (the route, no worker), `worker` only processes (a worker, no route: 404).
 */
export type FalkorQueueRole = 'both' | 'receiver' | 'worker';

/**
 * The `queue` option of the module: acknowledge each verified delivery with 202 once it is
 * stored in a BullMQ queue, and process it in a worker with retries.
 */
export interface FalkorQueueOptions {
  /** The Redis connection, as BullMQ takes it: ioredis options or an ioredis client. */
  readonly connection: ConnectionOptions;
  /** The queue's name. Default `'falkor-webhook'`. */
  readonly name?: string;
  /** How many times a delivery is attempted before it waits in the failed set. Default 5. */
  readonly attempts?: number;
  /** The delay between attempts, as BullMQ takes it. Default exponential from 1 s. */
  readonly backoff?: number | BackoffOptions;
  /** How many deliveries one worker processes at once. Default 4. */
  readonly concurrency?: number;
  /** Receive, process, or both. Default `'both'`. */
  readonly role?: FalkorQueueRole;
  /**
   * How long storing a delivery may take before the route answers 503 with `Retry-After`, in
   * milliseconds. Default 2,000.
   */
  readonly enqueueTimeoutMs?: number;
  /** The `Retry-After` of a 503 answered when the queue is unavailable, in seconds. Default 5. */
  readonly retryAfterSeconds?: number;
}

/**
 * The `queue` option checked at start-up, with every default applied.
 */
export interface FalkorQueueSettings {
  /** The Redis connection. */
  readonly connection: ConnectionOptions;
  /** The queue's name. */
  readonly name: string;
  /** Attempts per delivery. */
  readonly attempts: number;
  /** The delay between attempts. */
  readonly backoff: number | BackoffOptions;
  /** Deliveries processed at once per worker. */
  readonly concurrency: number;
  /** Receive, process, or both. */
  readonly role: FalkorQueueRole;
  /** The enqueue timeout, in ms. */
  readonly enqueueTimeoutMs: number;
  /** The `Retry-After` value, in seconds. */
  readonly retryAfterSeconds: number;
}
