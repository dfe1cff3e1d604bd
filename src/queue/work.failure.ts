import {
  FalkorListenerError,
  FalkorPayloadError,
  FalkorUnknownEventError,
  FalkorValidationError,
} from '../core/errors/falkor-webhook.errors.js';
import { printableFalkorText } from '../core/logging/printable.text.js';
import type { FalkorWorkResult } from './falkor-queue.worker.js';
import type { FalkorQueuedFailure } from './queued.delivery.js';

/** How much of a listener's error message a job keeps. */
const ERROR_TEXT_LIMIT = 500;
/** How many failed listener calls a job keeps (a snapshot can fail thousands). */
const KEPT_FAILURES = 50;

function messageOf(error: unknown): string {
  return printableFalkorText(
    error instanceof Error ? error.message : String(error),
    ERROR_TEXT_LIMIT,
  );
}

/** How many failed listener calls the failed reason of a job names. */
const NAMED_FAILURES = 5;

/**
 * The failed reason of an attempt whose listeners failed: each listener with its own error.
 * The route's message would say the delivery was not acknowledged, which in queue mode it was.
 */
function listenersMessage(
  error: FalkorListenerError,
  failures: readonly FalkorQueuedFailure[],
): string {
  const named = failures
    .slice(0, NAMED_FAILURES)
    .map(
      (failure) =>
        `${failure.listener}${failure.event === undefined ? '' : ` (${failure.event})`}: ${failure.error}`,
    );
  const more = error.failures.length - named.length;
  return printableFalkorText(
    `${error.failures.length} listener call(s) failed for "${error.eventType}": ` +
      `${named.join('; ')}${more > 0 ? `; and ${more} more` : ''}`,
    ERROR_TEXT_LIMIT * 2,
  );
}

/**
 * How a failed attempt at a queued delivery is kept in its job: the listeners that succeeded
 * so far (they do not run again), each failed listener call with its error, and whether a retry
 * can succeed (a delivery that no longer validates cannot).
 *
 * @param error - what the attempt threw
 * @param done - the listeners of the delivery's type that succeeded so far
 */
export function falkorWorkFailure(error: unknown, done: readonly string[]): FalkorWorkResult {
  const failures: FalkorQueuedFailure[] =
    error instanceof FalkorListenerError
      ? error.failures.slice(0, KEPT_FAILURES).map((failure) => ({
          listener: failure.listener,
          ...(failure.event === undefined ? {} : { event: failure.event }),
          error: messageOf(failure.error),
        }))
      : [];
  const invalid =
    error instanceof FalkorValidationError ||
    error instanceof FalkorPayloadError ||
    error instanceof FalkorUnknownEventError;
  const message =
    error instanceof FalkorListenerError ? listenersMessage(error, failures) : messageOf(error);
  return { state: 'failed', done, failures, message, retryable: !invalid };
}
