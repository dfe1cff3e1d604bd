import type { Job, Worker } from 'bullmq';
import { loadFalkorBullMq } from './queue.packages.js';
import type { FalkorQueuedDelivery, FalkorQueuedFailure } from './queued.delivery.js';
import type { FalkorQueueSettings } from './queue.options.js';

/**
 * How the work on one queued delivery ended: `done`, or `failed` with what to keep in the job
 * for the next attempt (the listeners that succeeded, the failures) and whether another attempt
 * can succeed at all.
 */
export type FalkorWorkResult =
  | { readonly state: 'done'; readonly result: unknown }
  | {
      readonly state: 'failed';
      /** Listeners of the delivery's type that succeeded so far: they do not run again. */
      readonly done: readonly string[];
      /** The listener calls that failed. */
      readonly failures: readonly FalkorQueuedFailure[];
      /** Why the attempt failed, as the job's failed reason. */
      readonly message: string;
      /** `false` when no retry can succeed (the delivery no longer validates). */
      readonly retryable: boolean;
    };

/** How long a closing worker waits for Redis once it processes nothing any more, in ms. */
export const FALKOR_WORKER_CLOSE_GRACE_MS = 5_000;

/**
 * A started worker: the BullMQ worker, and how to close it without hanging on an unavailable
 * Redis.
 */
export interface FalkorWorker {
  /** The BullMQ worker. */
  readonly worker: Worker<FalkorQueuedDelivery>;
  /**
   * Stops taking deliveries, waits until those being processed are done (each listener within
   * its timeout), then for BullMQ to record them and close its connections. BullMQ's close never
   * ends while Redis is unavailable: once nothing is processed any more, it is waited for
   * `graceMs` at most.
   *
   * @param graceMs - how long to wait for Redis once nothing is processed
   * @returns `false` when it stopped waiting for Redis
   */
  close(graceMs?: number): Promise<boolean>;
}

/**
 * Starts a BullMQ worker on the queue of the `queue` option.
 *
 * @param settings - the prepared `queue` option
 * @param work - processes one delivery and says how it ended; it must not throw
 * @param onError - told about connection errors (BullMQ retries them on its own)
 * @throws FalkorConfigurationError when BullMQ is not installed
 */
export async function startFalkorWorker(
  settings: Pick<FalkorQueueSettings, 'connection' | 'name' | 'concurrency'>,
  work: (delivery: FalkorQueuedDelivery) => Promise<FalkorWorkResult>,
  onError: (error: Error) => void,
): Promise<FalkorWorker> {
  const { Worker, UnrecoverableError } = await loadFalkorBullMq();
  let working = 0;
  const idle: (() => void)[] = [];
  const whenIdle = () =>
    working === 0 ? Promise.resolve() : new Promise<void>((resolve) => idle.push(resolve));
  const processor = async (job: Job<FalkorQueuedDelivery>) => {
    working++;
    let outcome: FalkorWorkResult;
    try {
      outcome = await work(job.data);
    } finally {
      // The listeners are done: what is left needs Redis.
      if (--working === 0) {
        idle.splice(0).forEach((resolve) => resolve());
      }
    }
    if (outcome.state === 'done') {
      return outcome.result;
    }
    // The next attempt reads what this one achieved from the job itself.
    await job.updateData({ ...job.data, done: outcome.done, failures: outcome.failures });
    throw outcome.retryable ? new Error(outcome.message) : new UnrecoverableError(outcome.message);
  };
  const worker = new Worker<FalkorQueuedDelivery>(settings.name, processor, {
    connection: settings.connection,
    concurrency: settings.concurrency,
  });
  worker.on('error', onError);
  return {
    worker,
    async close(graceMs = FALKOR_WORKER_CLOSE_GRACE_MS) {
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const closed = worker.close().then(
        () => true,
        () => true,
      );
      const gaveUp = whenIdle().then(
        () =>
          new Promise<boolean>((resolve) => {
            if (!settled) {
              timer = setTimeout(() => resolve(false), graceMs);
            }
          }),
      );
      try {
        return await Promise.race([closed, gaveUp]);
      } finally {
        settled = true;
        clearTimeout(timer);
      }
    },
  };
}
