import { FalkorRecordStoreError } from '../core/errors/falkor-webhook.errors.js';
import {
  type FalkorDeduplicationLogger,
  type FalkorLedgerHold,
  FalkorStoreLedger,
} from '../core/deduplication/store.ledger.js';
import type { FalkorRecordChange } from './record.changes.js';
import type { FalkorRecordsSettings } from './records.options.js';

/**
 * What the reserve step of record events found for a delivery's changes: those it holds (to fire
 * now and settle after), how many were already done, how many another delivery is processing.
 */
export interface FalkorRecordClaim {
  /** The changes this delivery holds and fires, in the delivery's order. */
  readonly held: readonly FalkorRecordChange[];
  /** How many changes had already fired (within their TTL): nothing runs for them. */
  readonly alreadyDone: number;
  /** How many changes another delivery is processing right now: this one must not be acknowledged. */
  readonly inFlight: number;
  /** The store's hold, for the settle step; absent when there was nothing to reserve. */
  readonly hold?: FalkorLedgerHold;
}

const NOTHING: FalkorRecordClaim = { held: [], alreadyDone: 0, inFlight: 0 };

/**
 * Lets each change fire once within its TTL, across deliveries and instances that share the
 * store: all of a delivery's changes are reserved in one store call before their listeners run,
 * and recorded in one call after: completed when every listener of the change succeeded,
 * released otherwise so that a redelivery fires it again.
 */
export class FalkorRecordClaims {
  private readonly ledger: FalkorStoreLedger;

  /**
   * @param settings - the prepared `records` option
   * @param logger - where outages and lost records are reported
   */
  constructor(
    private readonly settings: FalkorRecordsSettings,
    logger: FalkorDeduplicationLogger,
  ) {
    this.ledger = new FalkorStoreLedger(
      settings,
      {
        option: 'records',
        purpose: 'record events',
        subject: 'change',
        outagePolicy:
          'Deliveries carrying record changes are answered 503 with Retry-After until it ' +
          'recovers, so that no change is dropped',
      },
      logger,
    );
  }

  /**
   * Reserves a delivery's changes.
   *
   * @param changes - what the detect step found
   * @returns which changes this delivery fires, and what was found for the others
   * @throws FalkorRecordStoreError when the store fails or times out
   */
  async reserve(changes: readonly FalkorRecordChange[]): Promise<FalkorRecordClaim> {
    if (changes.length === 0) {
      return NOTHING;
    }
    let hold: FalkorLedgerHold;
    try {
      hold = await this.ledger.reserve(changes.map((change) => change.key));
    } catch (error) {
      throw new FalkorRecordStoreError(this.settings.retryAfterSeconds, error);
    }
    const held: FalkorRecordChange[] = [];
    let alreadyDone = 0;
    let inFlight = 0;
    hold.states.forEach((state, index) => {
      if (state === 'reserved') {
        held.push(changes[index]);
      } else if (state === 'completed') {
        alreadyDone++;
      } else {
        inFlight++;
      }
    });
    return { held, alreadyDone, inFlight, hold };
  }

  /**
   * Records how the held changes ended, in one store call for each outcome.
   *
   * @param claim - what {@link FalkorRecordClaims.reserve} gave
   * @param succeeded - for each held change, in order, whether all its listeners succeeded
   */
  async settle(claim: FalkorRecordClaim, succeeded: readonly boolean[]): Promise<void> {
    if (claim.hold === undefined) {
      return;
    }
    const outcome = new Map(claim.held.map((change, index) => [change.key, succeeded[index]]));
    const { keys } = claim.hold;
    await this.ledger.settle(claim.hold, (index) => outcome.get(keys[index]) === true);
  }

  /** Makes a last attempt at recording pending outcomes; for shutdown. */
  close(): Promise<void> {
    return this.ledger.close();
  }
}
