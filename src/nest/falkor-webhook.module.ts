import {
  type DynamicModule,
  Inject,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  Optional,
  type Type,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FalkorContentEncodingMiddleware } from './http/falkor-content-encoding.middleware.js';
import { FalkorWebhookReceiver } from './http/falkor-webhook.receiver.js';
import { FalkorListenersModule } from './listeners/falkor-listeners.module.js';
import { FalkorRawBodyInspector } from './http/raw-body.inspector.js';
import { FalkorDeliveryQueue } from './queue/falkor-delivery.queue.js';
import { FalkorQueueWorker } from './queue/falkor-queue.worker.js';
import { FALKOR_WEBHOOK_CONTROLLER, FALKOR_WEBHOOK_SETTINGS } from './falkor-webhook.tokens.js';
import {
  FALKOR_WEBHOOK_ASYNC_OPTIONS_TYPE,
  FALKOR_WEBHOOK_OPTIONS,
  FALKOR_WEBHOOK_OPTIONS_TYPE,
  FalkorWebhookConfigurableModule,
  FalkorWebhookEndpointModule,
} from './falkor-webhook.module-definition.js';
import { prepareFalkorWebhookSettings } from './falkor-webhook.settings.js';

/**
 * Receives Falkor Pathways webhooks: a POST route (default `webhooks/falkor`) that verifies each
 * delivery's signature over the raw bytes, validates its payload and dispatches it to the
 * `@OnFalkorEvent` listeners. The app must be created with `rawBody: true` and import
 * `EventEmitterModule.forRoot()`.
 *
 * `forRoot()` / `forRootAsync()` configure the app's webhook once (its settings are also those
 * `@FalkorWebhook()` routes inherit); `register()` / `registerAsync()` add more endpoints, each
 * with its own path, secret and options. Every import dispatches to the same listeners.
 *
 * @example
 * ```ts
 * imports: [
 *   FalkorWebhookModule.forRoot({ secret: process.env.FALKOR_WEBHOOK_SECRET }),
 *   FalkorWebhookModule.registerAsync({
 *     path: 'webhooks/falkor/rewards',
 *     inject: [ConfigService],
 *     useFactory: (config: ConfigService) => ({ secret: config.getOrThrow('REWARDS_SECRET') }),
 *   }),
 * ]
 * ```
 */
@Module({
  imports: [FalkorListenersModule],
  providers: [
    {
      provide: FALKOR_WEBHOOK_SETTINGS,
      useFactory: prepareFalkorWebhookSettings,
      inject: [FALKOR_WEBHOOK_OPTIONS],
    },
    FalkorWebhookReceiver,
    FalkorRawBodyInspector,
    FalkorDeliveryQueue,
    FalkorQueueWorker,
  ],
  exports: [FalkorWebhookReceiver, FALKOR_WEBHOOK_SETTINGS, FalkorDeliveryQueue],
})
export class FalkorWebhookModule extends FalkorWebhookConfigurableModule implements NestModule {
  constructor(
    @Inject(FALKOR_WEBHOOK_CONTROLLER) private readonly controller: Type<unknown>,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {
    super();
  }

  /**
   * On Fastify, refuses compressed deliveries on this import's route before its body parsers run
   * (its JSON parser would answer one with a 400 of its own). Express needs no middleware: the
   * Quick start's raw parser and the verify step refuse them, and a middleware costs every request.
   */
  configure(consumer: MiddlewareConsumer): void {
    if (this.adapterHost?.httpAdapter?.getType() === 'fastify') {
      consumer.apply(FalkorContentEncodingMiddleware).forRoutes(this.controller);
    }
  }

  /**
   * Adds one more webhook endpoint to an app: its own controller at `path` (required in practice:
   * the default `webhooks/falkor` is the `forRoot()` one's), verified with its own secret only.
   * Call it once per endpoint; `forRoot()` stays the app's one configuration.
   *
   * @param options - the module's options, plus the endpoint's `path` and `decorators`
   * @throws FalkorConfigurationError at start-up when an option is invalid
   */
  static register(options: typeof FALKOR_WEBHOOK_OPTIONS_TYPE): DynamicModule {
    return FalkorWebhookEndpointModule.register.call(this, options);
  }

  /**
   * {@link FalkorWebhookModule.register} with the options from a factory (`useFactory` and
   * `inject`, `useClass` or `useExisting`), e.g. read from `ConfigService`. The `path` and
   * `decorators` are given beside the factory: the route exists before any factory runs.
   *
   * @param options - how to get the module's options, plus the endpoint's `path` and `decorators`
   * @throws FalkorConfigurationError at start-up when an option is invalid
   */
  static registerAsync(options: typeof FALKOR_WEBHOOK_ASYNC_OPTIONS_TYPE): DynamicModule {
    return FalkorWebhookEndpointModule.registerAsync.call(this, options);
  }
}
