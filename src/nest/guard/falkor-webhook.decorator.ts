import { SetMetadata, UseGuards } from '@nestjs/common';
import { FalkorWebhookGuard } from './falkor-webhook.guard.js';
import {
  FALKOR_WEBHOOK_ROUTE,
  prepareFalkorWebhookDecorator,
  type FalkorWebhookGuardAsyncOptions,
  type FalkorWebhookGuardOptions,
  type FalkorWebhookRouteMetadata,
} from './falkor-webhook.route.js';

/**
 * Verifies Falkor deliveries on a controller or route of your own with {@link FalkorWebhookGuard}:
 * 415, 413, 500 (raw body unavailable) and 401 exactly as on the module's route.
 *
 * Options given here override, for this route, those of the `FALKOR_WEBHOOK_GUARD_OPTIONS`
 * provider of the controller's module, which override those of `FalkorWebhookModule.forRoot()`.
 * Static options are checked when the decorator is applied, so a wrong one stops the app at
 * start-up. Options that need the app's providers (a secret from `ConfigService`, read after
 * `ConfigModule` has loaded `.env`) come from `{ useFactory, inject }`, run once when the app
 * starts with the providers resolved in the controller's module; its errors stop the app too.
 *
 * @example
 * ```ts
 * @Controller('hooks')
 * export class HooksController {
 *   @Post('bytekast')
 *   @HttpCode(204)
 *   @FalkorWebhook({
 *     inject: [ConfigService],
 *     useFactory: (config: ConfigService) => ({
 *       secret: config.getOrThrow<string>('BYTEKAST_SECRET'),
 *       platformName: 'ByteKast',
 *     }),
 *   })
 *   receive(@FalkorDelivery() delivery: FalkorVerifiedRequest): void {}
 * }
 * ```
 *
 * @param options - per-route `secret`, `platformName` and `maxBodyBytes`, or a factory giving them
 * @throws FalkorConfigurationError when an option is invalid
 */
export function FalkorWebhook(
  options: FalkorWebhookGuardOptions | FalkorWebhookGuardAsyncOptions = {},
): ClassDecorator & MethodDecorator {
  const prepared = prepareFalkorWebhookDecorator(options);
  const guard = UseGuards(FalkorWebhookGuard);
  return (target: object, key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    const where =
      key === undefined
        ? (target as { name: string }).name
        : `${(target as { constructor: { name: string } }).constructor.name}.${String(key)}`;
    const metadata: FalkorWebhookRouteMetadata = { where, ...prepared };
    if (key === undefined) {
      SetMetadata(FALKOR_WEBHOOK_ROUTE, metadata)(target as () => void);
      guard(target as () => void);
    } else {
      SetMetadata(FALKOR_WEBHOOK_ROUTE, metadata)(target, key, descriptor!);
      guard(target, key, descriptor!);
    }
  };
}
