import { Injectable, Logger } from '@nestjs/common';
import { type FalkorWebhookEvent, OnFalkorEvent } from 'nestjs-falkor-webhook';

/**
 * The Classroom & Events webhook: a ticket for each attendee who is `booked`.
 */
@Injectable()
export class TicketsListener {
  private readonly logger = new Logger(TicketsListener.name);

  /** Sends a ticket to each booked attendee of each event of the delivery. */
  @OnFalkorEvent('events')
  send(event: FalkorWebhookEvent<'events'>): void {
    for (const activity of event.payload.data.events) {
      for (const attendee of activity.attendees) {
        if (attendee.state === 'booked') {
          this.logger.log(
            `ticket ${attendee.guid} for ${attendee.email ?? 'an attendee'} to ${activity.name ?? activity.ID} (${activity.booked ?? 0} booked)`,
          );
        }
      }
    }
  }
}
