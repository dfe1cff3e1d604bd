import { Controller, HttpCode, Post, Req, type Type, UseFilters } from '@nestjs/common';
import { FalkorRetryAfterFilter } from './retry-after.filter.js';
import type { FalkorWebhookRequest } from '../../core/verification/webhook.request.js';
import type { FalkorWebhookReceipt } from './falkor-webhook.receipt.js';
import { FalkorWebhookReceiver } from './falkor-webhook.receiver.js';

/**
 * Creates the controller of one module import, at its own path and with its own decorators, so
 * that several imports (or several apps in one process) never share route metadata.
 *
 * @param path - the route path below the global prefix
 * @param decorators - class decorators to apply, e.g. `Public()`
 */
export function createFalkorWebhookController(
  path: string,
  decorators: readonly ClassDecorator[],
): Type<unknown> {
  @Controller(path)
  @UseFilters(FalkorRetryAfterFilter)
  class FalkorWebhookController {
    constructor(private readonly webhook: FalkorWebhookReceiver) {}

    @Post()
    @HttpCode(200)
    receive(@Req() request: FalkorWebhookRequest): Promise<FalkorWebhookReceipt> {
      return this.webhook.receive(request);
    }
  }
  return (Reflect.decorate([...decorators], FalkorWebhookController) ??
    FalkorWebhookController) as Type<unknown>;
}
