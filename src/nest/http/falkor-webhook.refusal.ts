import { STATUS_CODES } from 'node:http';
import { HttpException, type Logger } from '@nestjs/common';
import { FalkorRetryLaterException } from './retry-after.filter.js';
import {
  FalkorListenerError,
  FalkorRetryableError,
  FalkorSignatureError,
  FalkorValidationError,
  FalkorWebhookError,
  type FalkorValidationIssue,
  type FalkorWebhookErrorCode,
} from '../../core/errors/falkor-webhook.errors.js';

/** How many failed listener calls of one delivery are logged with their stacks. */
const LOGGED_FAILURES = 10;

const INTERNAL_ERROR_MESSAGE =
  'The webhook could not be processed; it was not acknowledged, so a sender that retries can ' +
  'deliver it again.';

/**
 * The reason phrase of each status a refusal answers with, as Nest's own exceptions give it in
 * their `error` field.
 */
const REASON_PHRASES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * The JSON body of every refusal, in the shape of Nest's own HTTP exceptions (`statusCode`,
 * `message`, `error`) plus the machine-readable `code`. It never holds a secret or a signature.
 *
 * @example
 * ```json
 * { "statusCode": 401, "message": "Webhook signature verification failed: ...", "error": "Unauthorized", "code": "signature_invalid" }
 * ```
 */
export interface FalkorWebhookErrorBody {
  /** The HTTP status, as in the response's status line. */
  readonly statusCode: number;
  /** What was wrong and what to send or set instead. */
  readonly message: string | readonly string[];
  /** The status's reason phrase: `Unauthorized`, `Bad Request`, `Payload Too Large`, ... */
  readonly error: string;
  /** Why the delivery was refused, stable for clients and logs: `signature_invalid`, ... */
  readonly code: FalkorWebhookErrorCode | 'internal_error';
  /** For `validation_failed` only: every failing property with its rules. */
  readonly errors?: readonly FalkorValidationIssue[];
}

function errorBody(
  status: number,
  code: FalkorWebhookErrorBody['code'],
  message: string,
  errors?: readonly FalkorValidationIssue[],
): FalkorWebhookErrorBody {
  return {
    statusCode: status,
    message,
    error: REASON_PHRASES[status] ?? STATUS_CODES[status] ?? 'Error',
    code,
    ...(errors === undefined ? {} : { errors }),
  };
}

/**
 * The HTTP answer to a refused delivery: a {@link FalkorWebhookErrorBody} with the error's status,
 * and `Retry-After` for a retryable refusal.
 *
 * @param error - why the delivery was refused
 */
export function falkorHttpException(error: FalkorWebhookError): HttpException {
  const body = errorBody(
    error.status,
    error.code,
    error.message,
    error instanceof FalkorValidationError ? error.issues : undefined,
  );
  return error instanceof FalkorRetryableError
    ? new FalkorRetryLaterException({ ...body }, error.status, error.retryAfterSeconds)
    : new HttpException(body, error.status);
}

/**
 * Logs why a delivery was refused or failed, as the route does: listener failures with their
 * stacks (the first ten), signature failures with their reason only, anything unexpected with
 * its stack.
 *
 * @param error - what was thrown while handling the delivery
 * @param logger - where to log it
 */
export function logFalkorRefusal(error: unknown, logger: Logger): void {
  if (!(error instanceof FalkorWebhookError)) {
    logger.error(
      `Handling a delivery failed: ${(error as Error)?.message ?? String(error)}`,
      (error as Error)?.stack,
    );
    return;
  }
  logRefusal(error, logger);
}

function logRefusal(error: FalkorWebhookError, logger: Logger): void {
  if (error instanceof FalkorListenerError) {
    for (const failure of error.failures.slice(0, LOGGED_FAILURES)) {
      const cause = failure.error as Error | undefined;
      logger.error(
        `Listener ${failure.listener} failed for "${failure.event ?? error.eventType}": ${cause?.message ?? String(cause)}`,
        cause?.stack,
      );
    }
    if (error.failures.length > LOGGED_FAILURES) {
      // A snapshot of thousands of changes with a broken listener must not flood the log.
      logger.error(
        `${error.failures.length - LOGGED_FAILURES} more listener call(s) failed for ` +
          `"${error.eventType}" (not logged one by one).`,
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
  logFalkorRefusal(error, logger);
  if (!(error instanceof FalkorWebhookError)) {
    return new HttpException(errorBody(500, 'internal_error', INTERNAL_ERROR_MESSAGE), 500);
  }
  return falkorHttpException(error);
}
