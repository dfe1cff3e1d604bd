import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { FalkorWebhookGuard } from './falkor-webhook.guard.js';
import {
  FALKOR_WEBHOOK_ROUTE,
  prepareFalkorWebhookRoute,
  type FalkorWebhookGuardOptions,
} from './falkor-webhook.route.js';

/**
 * Verifies Falkor deliveries on a controller or route of your own with {@link FalkorWebhookGuard}:
 * 415, 413, 500 (raw body unavailable) and 401 exactly as on the module's route. Options given here
 * override the module's for this route; the others come from `FalkorWebhookModule` when the app
 * imports it. The options are checked when the decorator is applied, so a wrong one stops the app
 * at start-up.
 *
 * @example
 * ```ts
 * @Controller('hooks')
 * export class HooksController {
 *   @Post('bytekast')
 *   @HttpCode(204)
 *   @FalkorWebhook({ secret: process.env.BYTEKAST_SECRET!, platformName: 'ByteKast' })
 *   receive(@FalkorDelivery() delivery: FalkorVerifiedRequest): void {}
 * }
 * ```
 *
 * @param options - per-route `secret`, `platformName` and `maxBodyBytes`
 * @throws FalkorConfigurationError when an option is invalid
 */
export function FalkorWebhook(
  options: FalkorWebhookGuardOptions = {},
): ClassDecorator & MethodDecorator {
  return applyDecorators(
    SetMetadata(FALKOR_WEBHOOK_ROUTE, prepareFalkorWebhookRoute(options)),
    UseGuards(FalkorWebhookGuard),
  );
}
