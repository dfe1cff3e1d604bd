import { type ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

/**
 * The HTTP form of a retryable refusal (409 or 503): answered with a `Retry-After` header.
 */
export class FalkorRetryLaterException extends HttpException {
  /**
   * @param response - the JSON body
   * @param status - 409 or 503
   * @param retryAfterSeconds - the `Retry-After` value, in whole seconds
   */
  constructor(
    response: Record<string, unknown>,
    status: number,
    readonly retryAfterSeconds: number,
  ) {
    super(response, status);
  }
}

/**
 * Adds `Retry-After` to a {@link FalkorRetryLaterException}'s answer, on Express and Fastify
 * alike, then answers as Nest's default filter does. Only catches that exception, so every other
 * refusal still reaches the application's own filters.
 */
@Catch(FalkorRetryLaterException)
export class FalkorRetryAfterFilter extends BaseExceptionFilter {
  /** Sets the header and sends the exception's body and status. */
  override catch(exception: FalkorRetryLaterException, host: ArgumentsHost): void {
    const adapter = this.applicationRef ?? this.httpAdapterHost?.httpAdapter;
    adapter?.setHeader(
      host.switchToHttp().getResponse(),
      'Retry-After',
      String(exception.retryAfterSeconds),
    );
    super.catch(exception, host);
  }
}
