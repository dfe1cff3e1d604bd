import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { FalkorConfigurationError } from '../../core/errors/falkor-webhook.errors.js';
import type { FalkorVerifiedRequest } from '../../core/verification/request-verifier.js';
import { falkorHttpException } from '../http/falkor-webhook.refusal.js';

const FALKOR_DELIVERY = Symbol('falkor-webhook:delivery');

/**
 * Records on the request what verified it, for {@link getFalkorDelivery} and {@link FalkorDelivery}.
 *
 * @param request - the HTTP request (Express or Fastify)
 * @param delivery - what verified
 */
export function attachFalkorDelivery(request: object, delivery: FalkorVerifiedRequest): void {
  Object.defineProperty(request, FALKOR_DELIVERY, { value: delivery, configurable: true });
}

/**
 * What `@FalkorWebhook()` verified on a request: the exact body bytes, the platform and header that
 * verified, and the index and id of the secret that matched.
 *
 * @param request - the HTTP request (Express or Fastify), e.g. from `@Req()` or an interceptor
 * @returns the verified delivery, or `undefined` when the request did not pass `@FalkorWebhook()`
 */
export function getFalkorDelivery(request: object): FalkorVerifiedRequest | undefined {
  return (request as { [FALKOR_DELIVERY]?: FalkorVerifiedRequest })[FALKOR_DELIVERY];
}

/**
 * Injects what `@FalkorWebhook()` verified into a handler's parameter: the whole
 * {@link FalkorVerifiedRequest}, or one of its fields.
 *
 * @example
 * ```ts
 * @Post() @FalkorWebhook()
 * receive(@FalkorDelivery() delivery: FalkorVerifiedRequest, @FalkorDelivery('platform') platform: string) {}
 * ```
 *
 * Used on a route without `@FalkorWebhook()`, the request is answered with a 500 that says so.
 */
export const FalkorDelivery = createParamDecorator(
  (field: keyof FalkorVerifiedRequest | undefined, context: ExecutionContext): unknown => {
    const delivery = getFalkorDelivery(context.switchToHttp().getRequest<object>());
    if (!delivery) {
      throw falkorHttpException(
        new FalkorConfigurationError(
          '@FalkorDelivery() reads what @FalkorWebhook() verified: add @FalkorWebhook() to this ' +
            'route or to its controller.',
        ),
      );
    }
    return field === undefined ? delivery : delivery[field];
  },
);
