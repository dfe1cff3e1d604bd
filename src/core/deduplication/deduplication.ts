import { createHash } from 'node:crypto';
import {
  FalkorConfigurationError,
  FalkorDeduplicationStoreError,
  FalkorDeliveryInProgressError,
} from '../errors/falkor-webhook.errors.js';
import type { FalkorWebhookEvent } from '../../events/falkor-webhook.event.js';
import type { FalkorDeduplicationSettings } from './deduplication.options.js';
import {
  type FalkorDeduplicationLogger,
  type FalkorLedgerHold,
  falkorReasonOf,
  FalkorStoreLedger,
} from './store.ledger.js';

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
  | { readonly state: 'held'; readonly hold: FalkorLedgerHold }
  | { readonly state: 'duplicate' }
  | { readonly state: 'unchecked' };

const DUPLICATE: FalkorReservation = { state: 'duplicate' };
const UNCHECKED: FalkorReservation = { state: 'unchecked' };

/**
 * Lets each delivery run at most once per key, with the store as the shared record: the pipeline
 * reserves the key before dispatch and settles it after, completed once every listener succeeded,
 * released when one failed so that a redelivery is processed. A duplicate of a completed delivery
 * is not dispatched; one that arrives while the first is in flight is refused with a retryable
 * error. Store operations are bounded by `storeTimeoutMs`; an outcome the store could not record is
 * retried in the background until the store takes it.
 */
export class FalkorDeduplicator {
  private readonly ledger: FalkorStoreLedger;

  /**
   * @param settings - the prepared `deduplication` option
   * @param logger - where outages and lost records are reported
   */
  constructor(
    private readonly settings: FalkorDeduplicationSettings,
    logger: FalkorDeduplicationLogger,
  ) {
    this.ledger = new FalkorStoreLedger(
      settings,
      {
        option: 'deduplication',
        purpose: 'de-duplication',
        subject: 'delivery',
        outagePolicy:
          settings.onStoreError === 'reject'
            ? 'New deliveries are answered 503 with Retry-After until it recovers, so that a ' +
              'sender that retries delivers them again'
            : 'New deliveries are processed WITHOUT de-duplication until it recovers ' +
              '(onStoreError: "process"), so one that arrives twice meanwhile is processed twice',
      },
      logger,
    );
  }

  /** How many outcomes wait for the store to come back. */
  get pendingWrites(): number {
    return this.ledger.pendingWrites;
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
    let hold: FalkorLedgerHold;
    try {
      hold = await this.ledger.reserve([key]);
    } catch (error) {
      if (this.settings.onStoreError === 'reject') {
        throw new FalkorDeduplicationStoreError(this.settings.retryAfterSeconds, error);
      }
      return UNCHECKED;
    }
    const [state] = hold.states;
    if (state === 'completed') {
      return DUPLICATE;
    }
    if (state === 'in_flight') {
      throw new FalkorDeliveryInProgressError(
        this.settings.inFlightStatus,
        this.settings.retryAfterSeconds,
      );
    }
    return { state: 'held', hold };
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
    if (reservation.state === 'held') {
      await this.ledger.settle(reservation.hold, () => succeeded);
    }
  }

  /** Makes a last attempt at recording pending outcomes and stops retrying; for shutdown. */
  close(): Promise<void> {
    return this.ledger.close();
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
        `FalkorWebhookModule: the "deduplication.key" function threw: ${falkorReasonOf(error)}`,
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
}
