import { type DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import type {
  FalkorWebhookModuleOptions,
  FalkorWebhookRouteOptions,
} from '../nest/falkor-webhook.options.js';
import { FalkorWebhookModule } from '../nest/falkor-webhook.module.js';
import { FALKOR_TEST_SECRET } from './falkor-testing.constants.js';

/**
 * Options of {@link FalkorWebhookTestingModule.forRoot}: any module option, the secret included.
 */
export type FalkorWebhookTestingOptions = Partial<FalkorWebhookModuleOptions> &
  FalkorWebhookRouteOptions;

/**
 * Everything a test of `@OnFalkorEvent` listeners needs in one import: `EventEmitterModule.forRoot()`
 * and `FalkorWebhookModule.forRoot()` with the secret {@link FALKOR_TEST_SECRET} that
 * `createFalkorDelivery` signs with by default.
 *
 * @example
 * ```ts
 * const moduleRef = await Test.createTestingModule({
 *   imports: [FalkorWebhookTestingModule.forRoot()],
 *   providers: [Certificates],
 * }).compile();
 * await dispatchFalkorEvent(moduleRef, 'enrolments');
 * ```
 */
@Module({})
export class FalkorWebhookTestingModule {
  /**
   * @param options - module options over the test defaults (`secret`: {@link FALKOR_TEST_SECRET})
   */
  static forRoot(options: FalkorWebhookTestingOptions = {}): DynamicModule {
    return {
      module: FalkorWebhookTestingModule,
      imports: [
        EventEmitterModule.forRoot(),
        FalkorWebhookModule.forRoot({ ...options, secret: options.secret ?? FALKOR_TEST_SECRET }),
      ],
    };
  }
}
