import { randomUUID } from 'node:crypto';
import type {
  FalkorDeduplicationStore,
  FalkorReservationResult,
} from '../../store/deduplication.store.js';
import { PendingWritesQueue, type FalkorPendingWrite } from './pending-writes.queue.js';

/**
 * Where a ledger reports store outages and lost records. Nest's `Logger` fits.
 */
export interface FalkorDeduplicationLogger {
  /** An informational message. */
  log(message: string): void;
  /** Something that may cause a delivery to be processed twice. */
  warn(message: string): void;
  /** The store failed. */
  error(message: string, stack?: string): void;
}

/**
 * What a ledger needs of its owner's prepared option (`deduplication` or `records`).
 */
export interface FalkorLedgerSettings {
  /** Where the keys are recorded. */
  readonly store: FalkorDeduplicationStore;
  /** How long a completed key is remembered, in ms. */
  readonly ttlMs: number;
  /** How long a reservation lasts if its attempt never ends, in ms. */
  readonly inFlightTtlMs: number;
  /** How long a store operation may take before it counts as failed, in ms. */
  readonly storeTimeoutMs: number;
}

/**
 * How a ledger words its log lines: the option it belongs to and what happens to deliveries
 * while its store is down.
 */
export interface FalkorLedgerWording {
  /** The option, as in `deduplication` or `records`. */
  readonly option: string;
  /** What the store is for, as in `de-duplication` or `record events`. */
  readonly purpose: string;
  /** What its keys are, as in `delivery` or `change`. */
  readonly subject: string;
  /** What new deliveries get while the store is down, as one sentence without a full stop. */
  readonly outagePolicy: string;
}

/**
 * Keys held by one attempt, from the reserve step to the settle step. `states` says, in the order
 * of `keys`, what the store found: only the keys it answered `reserved` for are held.
 */
export interface FalkorLedgerHold {
  /** The keys asked for. */
  readonly keys: readonly string[];
  /** What the store found for each key. */
  readonly states: readonly FalkorReservationResult[];
  /** The attempt's token. */
  readonly token: string;
  /** When the reservations expire, in ms since the epoch. */
  readonly expiresAt: number;
}

const RESERVATION_RESULTS: ReadonlySet<unknown> = new Set(['reserved', 'in_flight', 'completed']);

function attempt<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return Promise.resolve(operation());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Why an operation failed, for a log line. */
export function falkorReasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The record of held and completed keys in a store, shared by de-duplication (one key per
 * delivery) and record events (one key per change): reserves keys before listeners run and
 * records how they ended, one store call for all of an attempt's keys when the store has the
 * `…Many` methods. Every call is bounded by `storeTimeoutMs`; an outcome the store could not take
 * is retried in the background until it does or its reservation expires.
 */
export class FalkorStoreLedger {
  private readonly pending: PendingWritesQueue;
  /** Unique to this instance; a counter after it makes each token unique and cheap to keep. */
  private readonly tokenPrefix = `${randomUUID()}:`;
  private tokens = 0;
  private storeFailures = 0;

  /**
   * @param settings - the store and its timings
   * @param wording - how log lines name the option and its keys
   * @param logger - where outages and lost records are reported
   */
  constructor(
    private readonly settings: FalkorLedgerSettings,
    private readonly wording: FalkorLedgerWording,
    private readonly logger: FalkorDeduplicationLogger,
  ) {
    this.pending = new PendingWritesQueue(
      (write) => this.apply(write.operation, [write.key], write.token),
      (write, reason) => this.dropped(write, reason),
    );
  }

  /** How many outcomes wait for the store to come back. */
  get pendingWrites(): number {
    return this.pending.size;
  }

  /**
   * Reserves every key for one new attempt.
   *
   * @param keys - the keys, without duplicates
   * @returns the hold, with what the store found for each key
   * @throws what the store threw, or a timeout error, after logging the outage
   */
  async reserve(keys: readonly string[]): Promise<FalkorLedgerHold> {
    const token = this.tokenPrefix + (++this.tokens).toString(36);
    const expiresAt = Date.now() + this.settings.inFlightTtlMs;
    const { store } = this.settings;
    const reservation = attempt(() =>
      store.reserveMany !== undefined && keys.length !== 1
        ? this.reserveMany(store.reserveMany.bind(store), keys, token)
        : this.reserveEach(keys, token),
    );
    try {
      const states = await this.timed(reservation, 'reserve');
      if (!Array.isArray(states) || states.length !== keys.length) {
        throw new TypeError(
          `the store answered ${String(states?.length)} states for ${keys.length} keys`,
        );
      }
      const odd = states.findIndex((state) => !RESERVATION_RESULTS.has(state));
      if (odd !== -1) {
        throw new TypeError(`the store's reserve() returned ${JSON.stringify(states[odd])}`);
      }
      this.storeRecovered();
      return { keys, states, token, expiresAt };
    } catch (error) {
      this.storeFailed('reserve', error);
      // A reservation that lands after its timeout is given back, so that a retry is not "in flight".
      reservation.then(
        (late) => {
          if (Array.isArray(late)) {
            void this.settle({ keys, states: late, token, expiresAt }, () => false);
          }
        },
        () => undefined,
      );
      throw error;
    }
  }

  /**
   * The store's `reserveMany`. A batch that failed part-way may hold some keys: they are released
   * (release only touches this token's) before the failure is reported.
   */
  private async reserveMany(
    reserveMany: NonNullable<FalkorDeduplicationStore['reserveMany']>,
    keys: readonly string[],
    token: string,
  ): Promise<FalkorReservationResult[]> {
    try {
      return await reserveMany(keys, token, this.settings.inFlightTtlMs);
    } catch (error) {
      await this.apply('release', keys, token).catch(() => undefined);
      throw error;
    }
  }

  /**
   * One `reserve` per key, for a store without `reserveMany`. When one fails, the keys the others
   * reserved are released before the failure is reported, so that a retry is not "in flight".
   */
  private async reserveEach(
    keys: readonly string[],
    token: string,
  ): Promise<FalkorReservationResult[]> {
    const { store, inFlightTtlMs } = this.settings;
    const results = await Promise.allSettled(
      keys.map((key) => attempt(() => store.reserve(key, token, inFlightTtlMs))),
    );
    const failure = results.find((result) => result.status === 'rejected');
    if (failure === undefined) {
      return results.map(
        (result) => (result as PromiseFulfilledResult<FalkorReservationResult>).value,
      );
    }
    const reserved = keys.filter(
      (_, index) => (results[index] as { value?: unknown }).value === 'reserved',
    );
    if (reserved.length > 0) {
      await this.apply('release', reserved, token).catch(() => undefined);
    }
    throw (failure as PromiseRejectedResult).reason;
  }

  /**
   * Records how a hold ended: each key it reserved is completed when `succeeded` says so and
   * released otherwise. An outcome the store cannot take now is retried in the background.
   *
   * @param hold - what {@link FalkorStoreLedger.reserve} gave
   * @param succeeded - for the key at an index of `hold.keys`, whether every listener succeeded
   */
  async settle(hold: FalkorLedgerHold, succeeded: (index: number) => boolean): Promise<void> {
    const completed: string[] = [];
    const released: string[] = [];
    hold.keys.forEach((key, index) => {
      if (hold.states[index] === 'reserved') {
        (succeeded(index) ? completed : released).push(key);
      }
    });
    await Promise.all([
      this.record('complete', completed, hold),
      this.record('release', released, hold),
    ]);
  }

  /** Makes a last attempt at recording pending outcomes and stops retrying; for shutdown. */
  async close(): Promise<void> {
    await this.pending.close();
    if (this.pending.size > 0) {
      this.logger.warn(
        `${this.pending.size} ${this.wording.subject} outcome(s) could not be recorded before ` +
          `shutdown: they stay "in flight" in the store until their reservation expires ` +
          `(${this.wording.option}.inFlightTtlSeconds).`,
      );
    }
  }

  private async record(
    operation: FalkorPendingWrite['operation'],
    keys: readonly string[],
    hold: FalkorLedgerHold,
  ): Promise<void> {
    if (keys.length === 0) {
      return;
    }
    try {
      await this.apply(operation, keys, hold.token);
    } catch (error) {
      this.storeFailed(operation, error);
      for (const key of keys) {
        this.pending.add({ operation, key, token: hold.token, expiresAt: hold.expiresAt });
      }
    }
  }

  private async apply(
    operation: FalkorPendingWrite['operation'],
    keys: readonly string[],
    token: string,
  ): Promise<void> {
    const { store, ttlMs } = this.settings;
    const many = keys.length !== 1;
    const call =
      operation === 'complete'
        ? attempt(() =>
            many && store.completeMany !== undefined
              ? store.completeMany(keys, token, ttlMs)
              : Promise.all(keys.map((key) => store.complete(key, token, ttlMs))),
          )
        : attempt(() =>
            many && store.releaseMany !== undefined
              ? store.releaseMany(keys, token)
              : Promise.all(keys.map((key) => store.release(key, token))),
          );
    const held = await this.timed(call, operation);
    this.storeRecovered();
    const lost = operation === 'complete' ? held.filter((kept) => !kept).length : 0;
    if (lost > 0) {
      this.logger.warn(
        `${lost} ${this.wording.subject}(s) were processed after their reservation had expired ` +
          `(listeners ran longer than "${this.wording.option}.inFlightTtlSeconds"), so they were ` +
          'not recorded and may be processed again: raise inFlightTtlSeconds above the time ' +
          'your listeners take.',
      );
    }
  }

  private timed<T>(operation: Promise<T>, name: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${name} timed out after ${this.settings.storeTimeoutMs} ms`)),
        this.settings.storeTimeoutMs,
      );
    });
    return Promise.race([operation, timeout]).finally(() => clearTimeout(timer));
  }

  private storeFailed(operation: string, error: unknown): void {
    this.storeFailures++;
    if (this.storeFailures > 1) {
      return;
    }
    this.logger.error(
      `The ${this.wording.purpose} store is unavailable: ${operation} failed ` +
        `(${falkorReasonOf(error)}). ${this.wording.outagePolicy}; outcomes already processed ` +
        'are recorded once it is back. Further failures are counted, not logged, until then.',
      error instanceof Error ? error.stack : undefined,
    );
  }

  private storeRecovered(): void {
    if (this.storeFailures === 0) {
      return;
    }
    this.logger.log(
      `The ${this.wording.purpose} store is available again after ${this.storeFailures} failed ` +
        'operation(s).',
    );
    this.storeFailures = 0;
  }

  private dropped(write: FalkorPendingWrite, reason: 'expired' | 'overflow'): void {
    if (write.operation === 'release') {
      return;
    }
    this.logger.warn(
      reason === 'expired'
        ? `Gave up recording a processed ${this.wording.subject}: the store stayed unavailable ` +
            'until its reservation expired, so it may be processed again.'
        : `Gave up recording a processed ${this.wording.subject}: over 10,000 outcomes wait for ` +
            'the store, so the oldest may be processed again.',
    );
  }
}
