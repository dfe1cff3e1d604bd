import { FalkorListenerError } from '../../core/errors/falkor-webhook.errors.js';
import type { FalkorDispatchOutcome } from '../listeners/falkor-event.dispatcher.js';

/**
 * What the webhook route answers to an accepted delivery.
 */
export interface FalkorWebhookReceipt {
  /** Always `true`: the delivery was verified and processed. */
  readonly received: true;
  /** The delivery's event type. */
  readonly type: string;
  /** How many `@OnFalkorEvent` listeners ran (0 for an unknown or unobserved type). */
  readonly listeners: number;
  /** `true` when de-duplication recognised an already processed delivery: nothing ran. */
  readonly duplicate?: true;
}

/**
 * The answer step: the receipt of a delivery whose listeners all succeeded (or that ran none).
 *
 * @param type - the delivery's event type
 * @param outcome - how dispatch ended, or `duplicate` for a delivery already processed
 * @throws FalkorListenerError when a listener failed, so that the delivery is not acknowledged
 */
export function falkorReceipt(
  type: string,
  outcome: FalkorDispatchOutcome | 'duplicate',
): FalkorWebhookReceipt {
  if (outcome === 'duplicate') {
    return { received: true, type, listeners: 0, duplicate: true };
  }
  if (outcome.failures.length > 0) {
    throw new FalkorListenerError(type, outcome.failures);
  }
  return { received: true, type, listeners: outcome.listeners };
}
