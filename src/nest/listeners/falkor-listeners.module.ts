import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { FalkorEventDispatcher } from './falkor-event.dispatcher.js';
import { FalkorListenerRegistry } from './falkor-listener.registry.js';

/**
 * The listeners of one application: a static module, so that every import of
 * `FalkorWebhookModule` in an app shares one registry (each listener subscribed once), and two
 * apps in one process never share one.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [FalkorListenerRegistry, FalkorEventDispatcher],
  exports: [FalkorListenerRegistry, FalkorEventDispatcher],
})
export class FalkorListenersModule {}
