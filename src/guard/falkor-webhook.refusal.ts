import { HttpException } from '@nestjs/common';
import type { FalkorWebhookError } from '../errors/falkor-webhook.errors.js';

/**
 * The HTTP answer to a refused delivery, shaped as the module's route answers:
 * `{ statusCode, error, message }` with the error's status. It never holds a secret or a signature.
 *
 * @param error - why the delivery was refused
 */
export function falkorHttpException(error: FalkorWebhookError): HttpException {
  return new HttpException(
    { statusCode: error.status, error: error.code, message: error.message },
    error.status,
  );
}
