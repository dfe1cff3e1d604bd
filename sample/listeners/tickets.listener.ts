import { Injectable, Logger } from '@nestjs/common';
import { type FalkorWebhookEvent, OnFalkorEvent } from 'nestjs-falkor-webhook';

/**
 * The Classroom & Events webhook, one attendee at a time: a ticket for each booking that becomes
 * `booked`, once, however many deliveries carry it.
 */
@Injectable()
export class TicketsListener {
  private readonly logger = new Logger(TicketsListener.name);

  /** Sends the ticket of a booking; its `guid` is what a ticket system would key it on. */
  @OnFalkorEvent('attendee.booked')
  send({ payload }: FalkorWebhookEvent<'attendee.booked'>): void {
    const { event, attendee } = payload;
    this.logger.log(
      `ticket ${attendee.guid} for ${attendee.email || 'an attendee'} to ${event.name || event.ID} (${event.booked ?? 0} booked)`,
    );
  }
}
