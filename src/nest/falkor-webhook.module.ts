import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { FalkorWebhookService } from './http/falkor-webhook.receiver.js';
import { FalkorEventDispatcher } from './listeners/falkor-event.dispatcher.js';
import { FalkorListenerRegistry } from './listeners/falkor-listener.registry.js';
import { FalkorRawBodyInspector } from './http/raw-body.inspector.js';
import { FALKOR_WEBHOOK_SETTINGS } from './falkor-webhook.tokens.js';
import {
  FALKOR_WEBHOOK_OPTIONS,
  FalkorWebhookConfigurableModule,
} from './falkor-webhook.module-definition.js';
import { prepareFalkorWebhookSettings } from './falkor-webhook.settings.js';

/**
 * Receives Falkor Pathways webhooks: a POST route (default `webhooks/falkor`) that verifies each
 * delivery's signature over the raw bytes, validates its payload and dispatches it to the
 * `@OnFalkorEvent` listeners. The app must be created with `rawBody: true` and import
 * `EventEmitterModule.forRoot()`.
 *
 * @example
 * ```ts
 * FalkorWebhookModule.forRoot({ secret: process.env.FALKOR_WEBHOOK_SECRET })
 * ```
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: FALKOR_WEBHOOK_SETTINGS,
      useFactory: prepareFalkorWebhookSettings,
      inject: [FALKOR_WEBHOOK_OPTIONS],
    },
    FalkorListenerRegistry,
    FalkorEventDispatcher,
    FalkorWebhookService,
    FalkorRawBodyInspector,
  ],
  exports: [FalkorWebhookService, FALKOR_WEBHOOK_SETTINGS],
})
export class FalkorWebhookModule extends FalkorWebhookConfigurableModule {}
