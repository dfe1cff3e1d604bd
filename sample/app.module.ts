import { type DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { FalkorWebhookModule } from 'nestjs-falkor-webhook';
import { CertificatesListener } from './listeners/certificates.listener.js';
import { TicketsListener } from './listeners/tickets.listener.js';
import { VouchersListener } from './listeners/vouchers.listener.js';

/**
 * The sample application: the webhook route at POST /webhooks/falkor and one listener per webhook,
 * each on record events: certificates for completed enrolments, tickets for booked attendees,
 * fulfilment of pending vouchers. Without a `records` option, the changes they fired are
 * remembered in this process's memory (the start-up log says so); several instances would share a
 * `RedisFalkorDeduplicationStore` through `records: { store }`.
 */
@Module({})
export class AppModule {
  /**
   * @param secret - the webhook secret
   */
  static register(secret: string): DynamicModule {
    return {
      module: AppModule,
      imports: [EventEmitterModule.forRoot(), FalkorWebhookModule.forRoot({ secret })],
      providers: [CertificatesListener, TicketsListener, VouchersListener],
    };
  }
}
