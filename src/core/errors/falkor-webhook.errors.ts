import { printableFalkorText, printableFalkorValue } from '../logging/printable.text.js';

/**
 * Why a delivery was refused, as a stable machine-readable code.
 */
export type FalkorWebhookErrorCode =
  | 'signature_invalid'
  | 'payload_invalid'
  | 'validation_failed'
  | 'unknown_event_type'
  | 'body_too_large'
  | 'unsupported_media_type'
  | 'configuration_error'
  | 'listener_failed'
  | 'delivery_in_progress'
  | 'deduplication_unavailable'
  | 'records_unavailable'
  | 'queue_unavailable'
  | 'shutting_down';

/**
 * Base class of every error this package raises. It carries the HTTP status the webhook route
 * answers with and a message that says what to fix. None of them ever carries a secret or an
 * expected signature.
 */
export class FalkorWebhookError extends Error {
  /**
   * @param status - the HTTP status the webhook route answers with
   * @param code - a stable code for logs and clients
   * @param message - what went wrong and what to fix
   * @param options - the underlying cause, if any
   */
  constructor(
    readonly status: number,
    readonly code: FalkorWebhookErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Why a signature did not verify. Logged, never sent back to the caller.
 */
export type FalkorSignatureFailure = 'missing' | 'malformed' | 'mismatch';

/**
 * The signature header is missing, malformed, or does not match the body (401). The message is the
 * same in every case so that a caller learns nothing from it; {@link FalkorSignatureError.reason}
 * tells the cause for logs.
 */
export class FalkorSignatureError extends FalkorWebhookError {
  /**
   * @param headerNames - the header names that were looked for
   * @param reason - why verification failed, for logs only
   */
  constructor(
    headerNames: readonly string[],
    readonly reason: FalkorSignatureFailure,
  ) {
    super(
      401,
      'signature_invalid',
      `Webhook signature verification failed: send the ${headerNames.join(' or ')} header as ` +
        '"sha256=<hex HMAC-SHA256 of the exact request body>" made with this webhook\'s secret.',
    );
  }
}

/**
 * The body is not a JSON object in strict UTF-8, or names no event type (400).
 */
export class FalkorPayloadError extends FalkorWebhookError {
  /**
   * @param message - what is wrong with the body and what to send instead
   */
  constructor(message: string) {
    super(400, 'payload_invalid', message);
  }
}

/**
 * One property of a payload that failed its DTO's rules.
 */
export interface FalkorValidationIssue {
  /** Dotted path of the property, e.g. `data.pathway.ID` or `data.enrolments.1.email`. */
  readonly property: string;
  /** The failed rules, keyed by rule name, with class-validator's messages. */
  readonly constraints: Readonly<Record<string, string>>;
}

/**
 * The payload does not satisfy the DTO of its event type (400). Lists every failing property path.
 */
export class FalkorValidationError extends FalkorWebhookError {
  /**
   * @param eventType - the event type whose DTO rejected the payload
   * @param issues - every failing property with its rules
   */
  constructor(
    readonly eventType: string,
    readonly issues: readonly FalkorValidationIssue[],
  ) {
    super(
      400,
      'validation_failed',
      `The ${printableFalkorValue(eventType)} payload failed validation at ` +
        `${printableFalkorText(issues.map((i) => i.property).join(', '), 500)}.`,
    );
  }
}

/**
 * The event type is not in the catalog and the module is set to reject unknown types (400).
 */
export class FalkorUnknownEventError extends FalkorWebhookError {
  /**
   * @param eventType - the type the body named
   */
  constructor(readonly eventType: string) {
    super(
      400,
      'unknown_event_type',
      `Unknown event type ${printableFalkorValue(eventType)}: add a DTO for it in the "events" option, or set ` +
        '"unknownEvents" to "acknowledge".',
    );
  }
}

/**
 * The body is larger than `maxBodyBytes` (413). Raised before any HMAC work.
 */
export class FalkorBodyTooLargeError extends FalkorWebhookError {
  /**
   * @param limit - the configured limit in bytes
   */
  constructor(readonly limit: number) {
    super(
      413,
      'body_too_large',
      `The request body exceeds the webhook limit of ${limit} bytes (option "maxBodyBytes").`,
    );
  }
}

/**
 * The request's content type cannot carry a JSON body (415).
 */
export class FalkorUnsupportedMediaTypeError extends FalkorWebhookError {
  /**
   * @param contentType - the content type the request declared, if any
   */
  constructor(contentType: string | undefined) {
    super(
      415,
      'unsupported_media_type',
      'Webhook deliveries are JSON: send them with no Content-Type or as application/json, ' +
        'application/*+json, text/json, text/plain or application/x-www-form-urlencoded; got ' +
        `${printableFalkorValue(contentType)}.`,
    );
  }
}

/**
 * The module or the application is set up wrongly (500 per request, or an exception at start-up).
 */
export class FalkorConfigurationError extends FalkorWebhookError {
  /**
   * @param message - what is misconfigured and how to fix it
   * @param options - the underlying cause, if any
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(500, 'configuration_error', message, options);
  }
}

/**
 * One listener that threw or rejected.
 */
export interface FalkorListenerFailure {
  /** `ClassName.methodName` of the listener. */
  readonly listener: string;
  /** The record event it was called for (`attendee.booked`, ...); absent for the delivery's type. */
  readonly event?: string;
  /** What it threw. */
  readonly error: unknown;
}

/**
 * One or more listeners failed (500): the delivery is not acknowledged, so that a sender that
 * retries can deliver it again. Every listener ran; the failures
 * are all here.
 */
export class FalkorListenerError extends FalkorWebhookError {
  /**
   * @param eventType - the event that was being dispatched
   * @param failures - every listener that threw, with its error
   */
  constructor(
    readonly eventType: string,
    readonly failures: readonly FalkorListenerFailure[],
  ) {
    super(
      500,
      'listener_failed',
      `${failures.length} listener call(s) failed for "${eventType}": ${[
        ...new Set(
          failures.map((f) => (f.event === undefined ? f.listener : `${f.listener} (${f.event})`)),
        ),
      ].join(
        ', ',
      )}. The delivery was not acknowledged, so a sender that retries can deliver it again.`,
      { cause: new AggregateError(failures.map((f) => f.error)) },
    );
  }
}

/**
 * A refusal to retry later (409 or 503): nothing was processed. The route answers it with a
 * `Retry-After` header of {@link FalkorRetryableError.retryAfterSeconds}.
 */
export class FalkorRetryableError extends FalkorWebhookError {
  /**
   * @param status - the HTTP status the webhook route answers with
   * @param code - a stable code for logs and clients
   * @param message - why the delivery was not processed now
   * @param retryAfterSeconds - the `Retry-After` value, in whole seconds
   * @param options - the underlying cause, if any
   */
  constructor(
    status: number,
    code: FalkorWebhookErrorCode,
    message: string,
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(status, code, message, options);
  }
}

/**
 * The same delivery (same de-duplication key) is being processed by another request right now
 * (409, or 503 with the `inFlightStatus` option). Never a 2xx: the first attempt may still fail.
 */
export class FalkorDeliveryInProgressError extends FalkorRetryableError {
  /**
   * @param status - 409 or 503, as configured
   * @param retryAfterSeconds - the `Retry-After` value, in whole seconds
   */
  constructor(status: 409 | 503, retryAfterSeconds: number) {
    super(
      status,
      'delivery_in_progress',
      'This delivery is already being processed by another request, so it was not processed ' +
        `again. Retry it after ${retryAfterSeconds} s: it is then acknowledged if the first ` +
        'attempt succeeded, or processed if it failed.',
      retryAfterSeconds,
    );
  }
}

/**
 * A change of the delivery (a record with its new state) is being fired right now by another
 * delivery, perhaps on another instance (409, or 503 with `records.inFlightStatus`). The other
 * changes of this delivery were processed; it is not acknowledged, because the change in flight
 * may still fail: a retry fires it then, or finds it done.
 */
export class FalkorChangeInProgressError extends FalkorRetryableError {
  /**
   * @param status - 409 or 503, as configured
   * @param retryAfterSeconds - the `Retry-After` value, in whole seconds
   * @param changes - how many of the delivery's changes were in flight elsewhere
   */
  constructor(
    status: 409 | 503,
    retryAfterSeconds: number,
    readonly changes: number,
  ) {
    super(
      status,
      'delivery_in_progress',
      `${changes} change(s) of this delivery are being processed by another delivery, so they ` +
        `were not fired again and the delivery was not acknowledged. Retry it after ` +
        `${retryAfterSeconds} s: those changes are then done, or fired if their first attempt failed.`,
      retryAfterSeconds,
    );
  }
}

/**
 * The store of record events failed or timed out, so the delivery was not processed (503): no
 * change is dropped, the sender's retry fires them.
 */
export class FalkorRecordStoreError extends FalkorRetryableError {
  /**
   * @param retryAfterSeconds - the `Retry-After` value, in whole seconds
   * @param cause - what the store threw, for logs only
   */
  constructor(retryAfterSeconds: number, cause: unknown) {
    super(
      503,
      'records_unavailable',
      "The delivery's record changes could not be checked against the record of changes " +
        `already fired, so it was not processed. Retry it after ${retryAfterSeconds} s.`,
      retryAfterSeconds,
      { cause },
    );
  }
}

/**
 * The delivery could not be stored in the queue (Redis down or slow), so it was not acknowledged
 * (503): the route never answers 2xx for a delivery it did not store.
 */
export class FalkorQueueUnavailableError extends FalkorRetryableError {
  /**
   * @param retryAfterSeconds - the `Retry-After` value, in whole seconds
   * @param cause - what BullMQ threw, for logs only
   */
  constructor(retryAfterSeconds: number, cause: unknown) {
    super(
      503,
      'queue_unavailable',
      'The delivery could not be stored in the queue, so it was not acknowledged. Retry it ' +
        `after ${retryAfterSeconds} s.`,
      retryAfterSeconds,
      { cause },
    );
  }
}

/**
 * The de-duplication store failed or timed out, so the delivery was not processed (503).
 */
export class FalkorDeduplicationStoreError extends FalkorRetryableError {
  /**
   * @param retryAfterSeconds - the `Retry-After` value, in whole seconds
   * @param cause - what the store threw, for logs only
   */
  constructor(retryAfterSeconds: number, cause: unknown) {
    super(
      503,
      'deduplication_unavailable',
      'The delivery could not be checked against the record of processed deliveries, so it was ' +
        `not processed. Retry it after ${retryAfterSeconds} s.`,
      retryAfterSeconds,
      { cause },
    );
  }
}

/**
 * The application is shutting down and takes no new delivery (503).
 */
export class FalkorShuttingDownError extends FalkorRetryableError {
  /**
   * @param retryAfterSeconds - the `Retry-After` value, in whole seconds
   */
  constructor(retryAfterSeconds: number) {
    super(
      503,
      'shutting_down',
      'The application is shutting down and did not process this delivery. Retry it after ' +
        `${retryAfterSeconds} s.`,
      retryAfterSeconds,
    );
  }
}
