import { Injectable, Logger } from '@nestjs/common';
import { type FalkorWebhookEvent, OnFalkorEvent } from 'nestjs-falkor-webhook';

/**
 * The Enrolments webhook, one enrolment at a time: a certificate for each enrolment that becomes
 * `Complete`, and a line for each status an enrolment has not had before. Each fires once per
 * change, however many deliveries carry the enrolment.
 */
@Injectable()
export class CertificatesListener {
  private readonly logger = new Logger(CertificatesListener.name);

  /** Issues a certificate: once per pathway, e-mail address and `status.joined`. */
  @OnFalkorEvent('enrolment.completed')
  issue({ payload }: FalkorWebhookEvent<'enrolment.completed'>): void {
    const { pathway, enrolment } = payload;
    this.logger.log(`certificate for ${enrolment.email} on pathway ${pathway.ID}`);
  }

  /** Logs a status the enrolment has not had before. */
  @OnFalkorEvent('enrolment.updated')
  progress({ payload }: FalkorWebhookEvent<'enrolment.updated'>): void {
    const { pathway, enrolment } = payload;
    this.logger.log(
      `${enrolment.email} is ${enrolment.status.state} (${enrolment.status.progress ?? 0}%) on pathway ${pathway.ID}`,
    );
  }
}
