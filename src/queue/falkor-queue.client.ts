import type { ConnectionOptions, Job, Queue } from 'bullmq';
import { FalkorQueueUnavailableError } from '../core/errors/falkor-webhook.errors.js';
import { loadFalkorBullMq } from './queue.packages.js';
import type { FalkorQueuedDelivery, FalkorQueuedFailure } from './queued.delivery.js';
import type { FalkorQueueSettings } from './queue.options.js';

/** The default queue name. */
export const DEFAULT_FALKOR_QUEUE_NAME = 'falkor-webhook';

/**
 * Completed jobs are kept an hour (the last 10,000 at most, each holding its body), so that a
 * copy stored late after a 503, or sent meanwhile, is the same job; `deduplication` covers longer.
 */
const KEEP_COMPLETED = { age: 3_600, count: 10_000 };
/** How many failed jobs one page of a listing or a replay reads. */
const PAGE = 500;

/**
 * A delivery that used up its attempts and waits in the queue's failed set.
 */
export interface FalkorFailedDelivery {
  /** The job's id (the SHA-256 of the delivery's body): give it to `replay`. */
  readonly id: string;
  /** The delivery's event type. */
  readonly type: string;
  /** The pathway's `ID`, when the delivery had one. */
  readonly pathway?: string;
  /** The listener calls that failed in the last attempt, with their errors. */
  readonly failedListeners: readonly FalkorQueuedFailure[];
  /** The last attempt's error. */
  readonly lastError: string;
  /** How many attempts were made. */
  readonly attempts: number;
  /** When the last attempt failed. */
  readonly failedAt?: Date;
}

/**
 * Which queue to open, for {@link openFalkorQueue}.
 */
export interface FalkorQueueAddress {
  /** The Redis connection, as BullMQ takes it. */
  readonly connection: ConnectionOptions;
  /** The queue's name. Default `'falkor-webhook'`. */
  readonly name?: string;
}

function failedDelivery(job: Job<FalkorQueuedDelivery>): FalkorFailedDelivery {
  const data = job.data ?? ({} as Partial<FalkorQueuedDelivery>);
  return {
    id: String(job.id),
    type: typeof data.type === 'string' ? data.type : job.name,
    ...(typeof data.pathway === 'string' ? { pathway: data.pathway } : {}),
    failedListeners: Array.isArray(data.failures) ? data.failures : [],
    lastError: job.failedReason ?? '',
    attempts: job.attemptsMade,
    ...(job.finishedOn === undefined ? {} : { failedAt: new Date(job.finishedOn) }),
  };
}

function within<T>(operation: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`storing the delivery took over ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([operation, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One BullMQ queue of deliveries: stores them for the route, and lists and replays those that
 * used up their attempts. Each delivery is a job whose id is the SHA-256 of its body, so that
 * storing the same delivery again (a sender's retry after a 503 whose store landed late) is a
 * no-op while the job is kept.
 */
export class FalkorQueueClient {
  private constructor(
    /** The BullMQ queue, for tools such as dashboards. */
    readonly queue: Queue<FalkorQueuedDelivery>,
    private readonly enqueueTimeoutMs: number,
    private readonly retryAfterSeconds: number,
  ) {}

  /**
   * Opens the queue of the `queue` option, loading BullMQ.
   *
   * @param settings - the prepared `queue` option
   * @param onError - told about connection errors (BullMQ retries them on its own)
   * @throws FalkorConfigurationError when BullMQ is not installed
   */
  static async open(
    settings: Pick<
      FalkorQueueSettings,
      'connection' | 'name' | 'attempts' | 'backoff' | 'enqueueTimeoutMs' | 'retryAfterSeconds'
    >,
    onError: (error: Error) => void,
  ): Promise<FalkorQueueClient> {
    const { Queue } = await loadFalkorBullMq();
    const queue = new Queue<FalkorQueuedDelivery>(settings.name, {
      connection: settings.connection,
      defaultJobOptions: {
        attempts: settings.attempts,
        backoff: settings.backoff,
        removeOnComplete: KEEP_COMPLETED,
        removeOnFail: false,
      },
    });
    queue.on('error', onError);
    return new FalkorQueueClient(queue, settings.enqueueTimeoutMs, settings.retryAfterSeconds);
  }

  /**
   * Stores a delivery durably.
   *
   * @param id - the job id: the SHA-256 of the delivery's body
   * @param delivery - what the worker needs
   * @throws FalkorQueueUnavailableError when Redis fails or is slower than `enqueueTimeoutMs`
   */
  async enqueue(id: string, delivery: FalkorQueuedDelivery): Promise<void> {
    try {
      await within(this.queue.add(delivery.type, delivery, { jobId: id }), this.enqueueTimeoutMs);
    } catch (error) {
      throw new FalkorQueueUnavailableError(this.retryAfterSeconds, error);
    }
  }

  /**
   * Lists the deliveries that used up their attempts, newest first.
   *
   * @param limit - the most to list. Default: all of them
   */
  async failed(limit = Number.POSITIVE_INFINITY): Promise<FalkorFailedDelivery[]> {
    const found: FalkorFailedDelivery[] = [];
    for (let start = 0; found.length < limit; start += PAGE) {
      const jobs = await this.queue.getFailed(start, start + PAGE - 1);
      found.push(...jobs.filter(Boolean).map(failedDelivery));
      if (jobs.length < PAGE) {
        break;
      }
    }
    return found.slice(0, limit);
  }

  /**
   * Gives a failed delivery all its attempts again: the listeners that succeeded before still
   * do not run again.
   *
   * @param id - the job id, as {@link FalkorQueueClient.failed} lists it
   * @returns `false` when no failed delivery has this id
   */
  async replay(id: string): Promise<boolean> {
    const job = await this.queue.getJob(id);
    if (job === undefined || !(await job.isFailed())) {
      return false;
    }
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return true;
  }

  /**
   * Replays every failed delivery.
   *
   * @returns how many were replayed
   */
  async replayAll(): Promise<number> {
    const replayed = new Set<string>();
    for (;;) {
      // Each replayed job leaves the failed set, so the first page is read until it holds only
      // jobs replayed already (a worker may have failed one again meanwhile).
      const jobs = (await this.queue.getFailed(0, PAGE - 1)).filter(
        (job) => job && !replayed.has(String(job.id)),
      );
      if (jobs.length === 0) {
        return replayed.size;
      }
      for (const job of jobs) {
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        replayed.add(String(job.id));
      }
    }
  }

  /** Closes the queue's connection. */
  close(): Promise<void> {
    return this.queue.close();
  }
}

/**
 * Opens a queue of deliveries from outside a Nest app, e.g. in a script or the CLI, to list and
 * replay failed deliveries. Close it when done.
 *
 * @param address - the connection and queue name
 * @throws FalkorConfigurationError when BullMQ is not installed
 */
export function openFalkorQueue(address: FalkorQueueAddress): Promise<FalkorQueueClient> {
  return FalkorQueueClient.open(
    {
      connection: address.connection,
      name: address.name ?? DEFAULT_FALKOR_QUEUE_NAME,
      attempts: 1,
      backoff: 0,
      enqueueTimeoutMs: 2000,
      retryAfterSeconds: 5,
    },
    () => undefined,
  );
}
