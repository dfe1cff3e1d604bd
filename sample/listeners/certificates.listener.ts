import { Injectable, Logger } from '@nestjs/common';
import { type FalkorWebhookEvent, OnFalkorEvent } from 'nestjs-falkor-webhook';

/**
 * The Enrolments webhook: a certificate for each learner whose enrolment is `Complete`.
 */
@Injectable()
export class CertificatesListener {
  private readonly logger = new Logger(CertificatesListener.name);

  /** Issues a certificate for each completed enrolment of the delivery. */
  @OnFalkorEvent('enrolments')
  issue(event: FalkorWebhookEvent<'enrolments'>): void {
    const { pathway, enrolments } = event.payload.data;
    for (const enrolment of enrolments) {
      if (enrolment.status.state === 'Complete') {
        this.logger.log(`certificate for ${enrolment.email} on pathway ${pathway.ID}`);
      } else {
        this.logger.log(
          `${enrolment.email} is ${enrolment.status.state} (${enrolment.status.progress ?? 0}%) on pathway ${pathway.ID}`,
        );
      }
    }
  }
}
