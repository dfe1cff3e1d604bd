import { HttpException, type Logger } from '@nestjs/common';
import { FalkorRetryLaterException } from './retry-after.filter.js';
import {
  FalkorListenerError,
  FalkorRetryableError,
  FalkorSignatureError,
  FalkorValidationError,
  FalkorWebhookError,
} from '../../core/errors/falkor-webhook.errors.js';

const INTERNAL_ERROR_MESSAGE =
  'The webhook could not be processed; it was not acknowledged, so a sender that retries can ' +
  'deliver it again.';

/**
 * The HTTP answer to a refused delivery: `{ statusCode, error, message }` (plus `errors` for a
 * validation failure) with the error's status, and `Retry-After` for a retryable refusal. It never
 * holds a secret or a signature.
 *
 * @param error - why the delivery was refused
 */
export function falkorHttpException(error: FalkorWebhookError): HttpException {
  const body = {
    statusCode: error.status,
    error: error.code,
    message: error.message,
    ...(error instanceof FalkorValidationError ? { errors: error.issues } : {}),
  };
  return error instanceof FalkorRetryableError
    ? new FalkorRetryLaterException(body, error.status, error.retryAfterSeconds)
    : new HttpException(body, error.status);
}

function logRefusal(error: FalkorWebhookError, logger: Logger): void {
  if (error instanceof FalkorListenerError) {
    for (const failure of error.failures) {
      const cause = failure.error as Error | undefined;
      logger.error(
        `Listener ${failure.listener} failed for "${error.eventType}": ${cause?.message ?? String(cause)}`,
        cause?.stack,
      );
    }
  } else if (error instanceof FalkorRetryableError) {
    logger.debug(`Answered ${error.status} (${error.code}): ${error.message}`);
  } else if (error.status >= 500) {
    logger.error(error.message);
  } else if (error instanceof FalkorSignatureError) {
    logger.warn(`Rejected a delivery: signature ${error.reason}.`);
  } else {
    logger.warn(`Rejected a delivery: ${error.message}`);
  }
}

/**
 * Logs why a delivery was refused (listener failures with their stacks, signature failures with
 * their reason only) and gives the HTTP answer. Anything that is not a {@link FalkorWebhookError}
 * is logged with its stack and answered with a generic 500: the delivery is not acknowledged.
 *
 * @param error - what was thrown while handling the delivery
 * @param logger - where to log it
 */
export function falkorRefusal(error: unknown, logger: Logger): HttpException {
  if (!(error instanceof FalkorWebhookError)) {
    logger.error(
      `Handling a delivery failed: ${(error as Error)?.message ?? String(error)}`,
      (error as Error)?.stack,
    );
    return new HttpException(
      { statusCode: 500, error: 'internal_error', message: INTERNAL_ERROR_MESSAGE },
      500,
    );
  }
  logRefusal(error, logger);
  return falkorHttpException(error);
}
