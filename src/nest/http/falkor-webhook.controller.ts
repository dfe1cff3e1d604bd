import { Controller, Post, Req, Res, type Type, UseFilters } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FalkorRetryAfterFilter } from './retry-after.filter.js';
import type { FalkorWebhookRequest } from '../../core/verification/webhook.request.js';
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
    constructor(
      private readonly webhook: FalkorWebhookReceiver,
      private readonly adapterHost: HttpAdapterHost,
    ) {}

    /** Answers 200 with the receipt, or 202 when the delivery was stored for the queue's worker. */
    @Post()
    async receive(@Req() request: FalkorWebhookRequest, @Res() response: unknown): Promise<void> {
      const receipt = await this.webhook.receive(request);
      // The status depends on the mode, known only once the options resolved: sent here.
      this.adapterHost.httpAdapter.reply(response, receipt, receipt.queued ? 202 : 200);
    }
  }
  return (Reflect.decorate([...decorators], FalkorWebhookController) ??
    FalkorWebhookController) as Type<unknown>;
}
