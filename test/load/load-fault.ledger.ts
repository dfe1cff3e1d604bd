import { Injectable, type Type } from '@nestjs/common';
import { type FalkorWebhookEvent, OnFalkorEvent } from '../../src/index.js';

/**
 * Counts, per pathway id, how often the `enrolments` listener was entered and how often it
 * finished; the instances of a run share one ledger, as they would share a database.
 */
export class DeliveryLedger {
  /** Runs that finished, by pathway id. */
  readonly processed = new Map<string, number>();
  /** Runs that started, by pathway id. */
  readonly attempts = new Map<string, number>();
  /** What a run does before it finishes: throw to fail it. */
  behaviour: (id: string, attempt: number) => void | Promise<void> = () => undefined;

  /** Called by the listener. */
  async run(id: string): Promise<void> {
    const attempt = (this.attempts.get(id) ?? 0) + 1;
    this.attempts.set(id, attempt);
    await this.behaviour(id, attempt);
    this.processed.set(id, (this.processed.get(id) ?? 0) + 1);
  }
}

/** A listener class of `enrolments` that records each delivery's pathway id into the ledger. */
export function ledgerListener(ledger: DeliveryLedger): Type<unknown> {
  @Injectable()
  class EnrolmentsListener {
    @OnFalkorEvent('enrolments')
    onEnrolments(event: FalkorWebhookEvent<'enrolments'>): Promise<void> {
      return ledger.run(event.payload.data.pathway.ID);
    }
  }
  return EnrolmentsListener;
}
