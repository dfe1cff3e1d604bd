import { Injectable, Logger } from '@nestjs/common';
import { type FalkorWebhookEvent, OnFalkorEvent } from 'nestjs-falkor-webhook';

/**
 * Listens to the Enrolments webhook: enrolments and completed activities.
 */
@Injectable()
export class EnrolmentListener {
  private readonly logger = new Logger(EnrolmentListener.name);

  /** Logs each enrolment event. */
  @OnFalkorEvent(['enrolment.created', 'enrolment.completed'])
  onEnrolment(event: FalkorWebhookEvent<'enrolment.created' | 'enrolment.completed'>): void {
    const { user, pathway, enrolment } = event.payload;
    this.logger.log(
      `${event.type}: user ${user.id} on pathway ${pathway.id}, enrolment ${enrolment.id} is ${enrolment.status}`,
    );
  }

  /** Logs each completed activity. */
  @OnFalkorEvent('activity.completed')
  onActivity(event: FalkorWebhookEvent<'activity.completed'>): void {
    const { user, activity } = event.payload;
    this.logger.log(`${event.type}: user ${user.id} completed activity ${activity.id}`);
  }
}
