import { Injectable, Logger } from '@nestjs/common';
import { type FalkorWebhookEvent, OnFalkorEvent } from 'nestjs-falkor-webhook';

/**
 * Listens to the Classroom & Event Bookings webhook.
 */
@Injectable()
export class AttendanceListener {
  private readonly logger = new Logger(AttendanceListener.name);

  /** Logs each registration and check-in. */
  @OnFalkorEvent(['attendance.registered', 'attendance.checked_in'])
  onAttendance(event: FalkorWebhookEvent<'attendance.registered' | 'attendance.checked_in'>): void {
    const { user, session } = event.payload;
    this.logger.log(`${event.type}: user ${user.id}, ${session.kind} ${session.id}`);
  }
}
