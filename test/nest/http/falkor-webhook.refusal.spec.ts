import { describe, expect, it, jest } from '@jest/globals';
import { HttpException, Logger } from '@nestjs/common';
import {
  FalkorBodyTooLargeError,
  FalkorConfigurationError,
  FalkorDeduplicationStoreError,
  FalkorDeliveryInProgressError,
  FalkorListenerError,
  FalkorPayloadError,
  FalkorShuttingDownError,
  FalkorSignatureError,
  FalkorUnknownEventError,
  FalkorUnsupportedMediaTypeError,
  FalkorValidationError,
  type FalkorWebhookError,
} from '../../../src/index.js';
import {
  falkorHttpException,
  falkorRefusal,
} from '../../../src/nest/http/falkor-webhook.refusal.js';
import { FalkorRetryLaterException } from '../../../src/nest/http/retry-after.filter.js';

const issues = [{ property: 'data.pathway.ID', constraints: { isString: 'ID must be a string' } }];

/** Every refusal the route answers with, its status, Nest's reason phrase and its code. */
const refusals: [FalkorWebhookError, number, string, string][] = [
  [
    new FalkorSignatureError(['Falkor-Webhook-Signature'], 'mismatch'),
    401,
    'Unauthorized',
    'signature_invalid',
  ],
  [new FalkorPayloadError('not JSON'), 400, 'Bad Request', 'payload_invalid'],
  [new FalkorValidationError('enrolments', issues), 400, 'Bad Request', 'validation_failed'],
  [new FalkorUnknownEventError('certificates'), 400, 'Bad Request', 'unknown_event_type'],
  [new FalkorBodyTooLargeError(10), 413, 'Payload Too Large', 'body_too_large'],
  [
    new FalkorUnsupportedMediaTypeError('application/xml'),
    415,
    'Unsupported Media Type',
    'unsupported_media_type',
  ],
  [
    new FalkorConfigurationError('set rawBody: true'),
    500,
    'Internal Server Error',
    'configuration_error',
  ],
  [
    new FalkorListenerError('rewards', [{ listener: 'A.b', error: new Error('x') }]),
    500,
    'Internal Server Error',
    'listener_failed',
  ],
  [new FalkorDeliveryInProgressError(409, 7), 409, 'Conflict', 'delivery_in_progress'],
  [new FalkorDeliveryInProgressError(503, 7), 503, 'Service Unavailable', 'delivery_in_progress'],
  [
    new FalkorDeduplicationStoreError(3, new Error('ECONNREFUSED')),
    503,
    'Service Unavailable',
    'deduplication_unavailable',
  ],
  [new FalkorShuttingDownError(5), 503, 'Service Unavailable', 'shutting_down'],
];

describe('falkorHttpException', () => {
  it.each(refusals)(
    'answers %p in Nest’s shape: statusCode %i, error %p, plus its code %p',
    (error, status, phrase, code) => {
      const exception = falkorHttpException(error);
      expect(exception.getStatus()).toBe(status);
      expect(exception.getResponse()).toEqual({
        statusCode: status,
        message: error.message,
        error: phrase,
        code,
        ...(error instanceof FalkorValidationError ? { errors: issues } : {}),
      });
    },
  );

  it('keeps the validation issues beside the message', () => {
    const body = falkorHttpException(new FalkorValidationError('enrolments', issues)).getResponse();
    expect(body).toMatchObject({
      message: 'The "enrolments" payload failed validation at data.pathway.ID.',
      errors: [{ property: 'data.pathway.ID', constraints: { isString: 'ID must be a string' } }],
    });
  });

  it('answers a retryable refusal with its Retry-After, and the others without', () => {
    const later = falkorHttpException(new FalkorDeliveryInProgressError(409, 7));
    expect(later).toBeInstanceOf(FalkorRetryLaterException);
    expect((later as FalkorRetryLaterException).retryAfterSeconds).toBe(7);
    const now = falkorHttpException(new FalkorPayloadError('not JSON'));
    expect(now).toBeInstanceOf(HttpException);
    expect(now).not.toBeInstanceOf(FalkorRetryLaterException);
  });
});

describe('falkorRefusal', () => {
  const logger = new Logger('test');
  const error = jest.spyOn(logger, 'error').mockImplementation(() => undefined);

  it('answers anything else with a generic 500 that says a retrying sender can deliver again', () => {
    const exception = falkorRefusal(new TypeError('boom'), logger);
    expect(exception.getStatus()).toBe(500);
    expect(exception.getResponse()).toEqual({
      statusCode: 500,
      message: expect.stringContaining('so a sender that retries can deliver it again'),
      error: 'Internal Server Error',
      code: 'internal_error',
    });
    expect(JSON.stringify(exception.getResponse())).not.toContain('boom');
    expect(error).toHaveBeenCalledWith('Handling a delivery failed: boom', expect.any(String));
  });

  it('never claims that the platform retries a failed delivery', () => {
    const failed = new FalkorListenerError('rewards', [{ listener: 'A.b', error: new Error('x') }]);
    for (const message of [
      failed.message,
      (falkorRefusal(new Error('x'), logger).getResponse() as { message: string }).message,
    ]) {
      expect(message).toContain('a sender that retries');
      expect(message).not.toMatch(/(platform|Falkor) (will )?retr/i);
    }
  });
});
