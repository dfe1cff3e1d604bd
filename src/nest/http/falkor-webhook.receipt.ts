import {
  FalkorChangeInProgressError,
  FalkorListenerError,
} from '../../core/errors/falkor-webhook.errors.js';
import type { FalkorRecordClaim } from '../../records/record.claims.js';
import type {
  FalkorChangesOutcome,
  FalkorDispatchOutcome,
} from '../listeners/falkor-event.dispatcher.js';

/**
 * What the receipt says of a delivery's record changes.
 */
export interface FalkorChangesReceipt {
  /** How many changes fired their record events (every listener succeeded). */
  readonly fired: number;
  /** How many changes had fired before (within `records.ttlSeconds`): nothing ran for them. */
  readonly alreadyDone: number;
}

/**
 * What the webhook route answers to an accepted delivery.
 */
export interface FalkorWebhookReceipt {
  /** Always `true`: the delivery was verified and processed. */
  readonly received: true;
  /** The delivery's event type. */
  readonly type: string;
  /**
   * How many `@OnFalkorEvent` listener calls ran, record events included (0 for an unknown or
   * unobserved type).
   */
  readonly listeners: number;
  /** `true` when de-duplication recognised an already processed delivery: nothing ran. */
  readonly duplicate?: true;
  /** The record changes of the delivery, when some record event of its type has a listener. */
  readonly changes?: FalkorChangesReceipt;
  /**
   * `true` in queue mode (answered 202): the delivery is stored and its listeners run in a
   * worker; `listeners` is then 0.
   */
  readonly queued?: true;
  /** In queue mode, the delivery's job id (the SHA-256 of its body). */
  readonly id?: string;
}

/**
 * How the record events of a delivery ended, for the answer step.
 */
export interface FalkorRecordsOutcome {
  /** What the reserve step found. */
  readonly claim: FalkorRecordClaim;
  /** How the held changes' listeners ended. */
  readonly outcome: FalkorChangesOutcome;
  /** The status to answer when a change is in flight elsewhere. */
  readonly inFlightStatus: 409 | 503;
  /** The `Retry-After` of that answer, in seconds. */
  readonly retryAfterSeconds: number;
}

/**
 * The answer step: the receipt of a delivery whose listeners all succeeded (or that ran none).
 *
 * @param type - the delivery's event type
 * @param outcome - how dispatch ended, or `duplicate` for a delivery already processed
 * @param records - how its record events ended, when some of its type have listeners
 * @throws FalkorListenerError when a listener failed, and FalkorChangeInProgressError when a
 *   change was in flight elsewhere, so that the delivery is not acknowledged
 */
export function falkorReceipt(
  type: string,
  outcome: FalkorDispatchOutcome | 'duplicate',
  records?: FalkorRecordsOutcome,
): FalkorWebhookReceipt {
  if (outcome === 'duplicate') {
    return { received: true, type, listeners: 0, duplicate: true };
  }
  const failures = [...outcome.failures, ...(records?.outcome.failures ?? [])];
  if (failures.length > 0) {
    throw new FalkorListenerError(type, failures);
  }
  if (records === undefined) {
    return { received: true, type, listeners: outcome.listeners };
  }
  const { claim } = records;
  if (claim.inFlight > 0) {
    throw new FalkorChangeInProgressError(
      records.inFlightStatus,
      records.retryAfterSeconds,
      claim.inFlight,
    );
  }
  return {
    received: true,
    type,
    listeners: outcome.listeners + records.outcome.listeners,
    changes: { fired: claim.held.length, alreadyDone: claim.alreadyDone },
  };
}

/**
 * The answer step in queue mode: the receipt of a delivery stored for the worker (202).
 *
 * @param type - the delivery's event type
 * @param id - its job id
 */
export function falkorQueuedReceipt(type: string, id: string): FalkorWebhookReceipt {
  return { received: true, type, listeners: 0, queued: true, id };
}
