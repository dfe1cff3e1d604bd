import { createHash, randomUUID } from 'node:crypto';
import {
  FalkorConfigurationError,
  FalkorDeduplicationStoreError,
  FalkorDeliveryInProgressError,
} from '../errors/falkor-webhook.errors.js';
import type { FalkorWebhookEvent } from '../../events/falkor-webhook.event.js';
import type { FalkorDeduplicationSettings } from './deduplication.options.js';
import type { FalkorReservationResult } from '../../store/deduplication.store.js';
import { PendingWritesQueue, type FalkorPendingWrite } from './pending-writes.queue.js';

/**
 * The default de-duplication key: the SHA-256 of the exact body bytes, in lower-case hex. Identical
 * bytes are the same delivery. Use it in your own `key` function as a fallback.
 *
 * @param rawBody - the exact request body bytes
 */
export function falkorDeliveryKey(rawBody: Uint8Array): string {
  return createHash('sha256').update(rawBody).digest('hex');
}

/**
 * A delivery's place in the de-duplication record, passed down the pipeline from the reserve step
 * to the settle step: `held` (this delivery runs and must settle), `duplicate` (already processed:
 * nothing runs), `unchecked` (the store failed and `onStoreError` is `process`: it runs unrecorded).
 */
export type FalkorReservation =
  | {
      readonly state: 'held';
      readonly key: string;
      readonly token: string;
      readonly expiresAt: number;
    }
  | { readonly state: 'duplicate' }
  | { readonly state: 'unchecked' };

const DUPLICATE: FalkorReservation = { state: 'duplicate' };
const UNCHECKED: FalkorReservation = { state: 'unchecked' };

/**
 * Where the de-duplicator reports store outages and lost records. Nest's `Logger` fits.
 */
export interface FalkorDeduplicationLogger {
  /** An informational message. */
  log(message: string): void;
  /** Something that may cause a delivery to be processed twice. */
  warn(message: string): void;
  /** The store failed. */
  error(message: string, stack?: string): void;
}

const RESERVATION_RESULTS: ReadonlySet<unknown> = new Set(['reserved', 'in_flight', 'completed']);

function attempt<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return Promise.resolve(operation());
  } catch (error) {
    return Promise.reject(error);
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Lets each delivery run at most once per key, with the store as the shared record: the pipeline
 * reserves the key before dispatch and settles it after, completed once every listener succeeded,
 * released when one failed so that a redelivery is processed. A duplicate of a completed delivery
 * is not dispatched; one that arrives while the first is in flight is refused with a retryable
 * error. Store operations are bounded by `storeTimeoutMs`; an outcome the store could not record is
 * retried in the background until the store takes it.
 */
export class FalkorDeduplicator {
  private readonly pending: PendingWritesQueue;
  /** Unique to this instance; a counter after it makes each token unique and cheap to keep. */
  private readonly tokenPrefix = `${randomUUID()}:`;
  private tokens = 0;
  private storeFailures = 0;

  /**
   * @param settings - the prepared `deduplication` option
   * @param logger - where outages and lost records are reported
   */
  constructor(
    private readonly settings: FalkorDeduplicationSettings,
    private readonly logger: FalkorDeduplicationLogger,
  ) {
    this.pending = new PendingWritesQueue(
      (write) => this.apply(write),
      (write, reason) => this.dropped(write, reason),
    );
  }

  /** How many outcomes wait for the store to come back. */
  get pendingWrites(): number {
    return this.pending.size;
  }

  /**
   * Reserves a verified, validated delivery's key before its listeners run.
   *
   * @param event - the delivery's event, given to the `key` function
   * @param rawBody - the exact body bytes, hashed by the default key
   * @returns the reservation to settle once the listeners ran, `duplicate` for a delivery already
   *   processed, or `unchecked` when the store failed and `onStoreError` is `process`
   * @throws FalkorDeliveryInProgressError when the same key is in flight elsewhere;
   *   FalkorDeduplicationStoreError when the store fails and `onStoreError` is `reject`
   */
  async reserve(event: FalkorWebhookEvent, rawBody: Buffer): Promise<FalkorReservation> {
    const key = await this.keyOf(event, rawBody);
    const token = this.tokenPrefix + (++this.tokens).toString(36);
    const expiresAt = Date.now() + this.settings.inFlightTtlMs;
    let state: FalkorReservationResult;
    try {
      state = await this.reserveKey(key, token, expiresAt);
    } catch (error) {
      this.storeFailed('reserve', error);
      if (this.settings.onStoreError === 'reject') {
        throw new FalkorDeduplicationStoreError(this.settings.retryAfterSeconds, error);
      }
      return UNCHECKED;
    }
    if (state === 'completed') {
      return DUPLICATE;
    }
    if (state === 'in_flight') {
      throw new FalkorDeliveryInProgressError(
        this.settings.inFlightStatus,
        this.settings.retryAfterSeconds,
      );
    }
    return { state: 'held', key, token, expiresAt };
  }

  /**
   * Records how a reserved delivery ended: completed when every listener succeeded, released
   * otherwise so that a redelivery is processed. An outcome the store cannot take now is retried
   * in the background.
   *
   * @param reservation - what {@link FalkorDeduplicator.reserve} gave
   * @param succeeded - whether every listener succeeded
   */
  async settle(reservation: FalkorReservation, succeeded: boolean): Promise<void> {
    if (reservation.state !== 'held') {
      return;
    }
    const { key, token, expiresAt } = reservation;
    await this.record({ operation: succeeded ? 'complete' : 'release', key, token, expiresAt });
  }

  /** Makes a last attempt at recording pending outcomes and stops retrying; for shutdown. */
  async close(): Promise<void> {
    await this.pending.close();
    if (this.pending.size > 0) {
      this.logger.warn(
        `${this.pending.size} delivery outcome(s) could not be recorded before shutdown: those ` +
          'deliveries stay "in flight" in the store until their reservation expires ' +
          '(deduplication.inFlightTtlSeconds).',
      );
    }
  }

  private async keyOf(event: FalkorWebhookEvent, rawBody: Buffer): Promise<string> {
    if (this.settings.key === undefined) {
      return falkorDeliveryKey(rawBody);
    }
    let key: unknown;
    try {
      key = await this.settings.key(event, rawBody);
    } catch (error) {
      throw new FalkorConfigurationError(
        `FalkorWebhookModule: the "deduplication.key" function threw: ${reasonOf(error)}`,
      );
    }
    if (typeof key !== 'string' || key.length === 0) {
      throw new FalkorConfigurationError(
        'FalkorWebhookModule: the "deduplication.key" function must return a non-empty string, ' +
          `got ${typeof key === 'string' ? 'an empty string' : typeof key}.`,
      );
    }
    return key;
  }

  private async reserveKey(
    key: string,
    token: string,
    expiresAt: number,
  ): Promise<FalkorReservationResult> {
    const { store, inFlightTtlMs } = this.settings;
    const reservation = attempt(() => store.reserve(key, token, inFlightTtlMs));
    try {
      const state = await this.timed(reservation, 'reserve');
      if (!RESERVATION_RESULTS.has(state)) {
        throw new TypeError(`the store's reserve() returned ${JSON.stringify(state)}`);
      }
      this.storeRecovered();
      return state;
    } catch (error) {
      reservation.then(
        (late) => {
          if (late === 'reserved') {
            this.pending.add({ operation: 'release', key, token, expiresAt });
          }
        },
        () => undefined,
      );
      throw error;
    }
  }

  private async record(write: FalkorPendingWrite): Promise<void> {
    try {
      await this.apply(write);
    } catch (error) {
      this.storeFailed(write.operation, error);
      this.pending.add(write);
    }
  }

  private async apply(write: FalkorPendingWrite): Promise<void> {
    const { store, ttlMs } = this.settings;
    const held = await this.timed(
      write.operation === 'complete'
        ? attempt(() => store.complete(write.key, write.token, ttlMs))
        : attempt(() => store.release(write.key, write.token)),
      write.operation,
    );
    this.storeRecovered();
    if (!held && write.operation === 'complete') {
      this.logger.warn(
        'A delivery was processed after its reservation had expired (a listener ran longer than ' +
          '"deduplication.inFlightTtlSeconds"), so it was not recorded and a redelivery may be ' +
          'processed again: raise inFlightTtlSeconds above your slowest listener.',
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
    const policy =
      this.settings.onStoreError === 'reject'
        ? 'New deliveries are answered 503 with Retry-After until it recovers, so that a sender ' +
          'that retries delivers them again'
        : 'New deliveries are processed WITHOUT de-duplication until it recovers ' +
          '(onStoreError: "process"), so one that arrives twice meanwhile is processed twice';
    this.logger.error(
      `The de-duplication store is unavailable: ${operation} failed (${reasonOf(error)}). ` +
        `${policy}; outcomes of deliveries already processed are recorded once it is back. ` +
        'Further failures are counted, not logged, until then.',
      error instanceof Error ? error.stack : undefined,
    );
  }

  private storeRecovered(): void {
    if (this.storeFailures === 0) {
      return;
    }
    this.logger.log(
      `The de-duplication store is available again after ${this.storeFailures} failed operation(s).`,
    );
    this.storeFailures = 0;
  }

  private dropped(write: FalkorPendingWrite, reason: 'expired' | 'overflow'): void {
    if (write.operation === 'release') {
      return;
    }
    this.logger.warn(
      reason === 'expired'
        ? 'Gave up recording a processed delivery: the store stayed unavailable until its ' +
            'reservation expired, so a redelivery of it may be processed again.'
        : 'Gave up recording a processed delivery: over 10,000 outcomes wait for the store, so a ' +
            'redelivery of the oldest may be processed again.',
    );
  }
}
