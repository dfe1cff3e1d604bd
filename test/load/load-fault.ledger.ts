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

/**
 * A listener class of `enrolments` that records each delivery into the ledger, by its pathway id
 * unless `idOf` says otherwise.
 *
 * @param ledger - shared by every instance of the run
 * @param idOf - what a delivery is counted by; default its pathway id
 */
export function ledgerListener(
  ledger: DeliveryLedger,
  idOf: (event: FalkorWebhookEvent<'enrolments'>) => string = (event) =>
    event.payload.data.pathway.ID,
): Type<unknown> {
  @Injectable()
  class EnrolmentsListener {
    @OnFalkorEvent('enrolments')
    onEnrolments(event: FalkorWebhookEvent<'enrolments'>): Promise<void> {
      return ledger.run(idOf(event));
    }
  }
  return EnrolmentsListener;
}

/** The listeners of the queue run: two of `enrolments` per delivery, as a mailer and a CRM sync. */
export const QUEUE_LISTENERS = ['mailer', 'crm'] as const;

/** A listener of the queue run. */
export type QueueListener = (typeof QUEUE_LISTENERS)[number];

/**
 * Counts, per listener and delivery (by pathway id), the calls made and those that succeeded, and
 * which app made them; the receivers and the workers of a run share one ledger. A call that
 * throws is an attempt, not a processing.
 */
export class ListenerLedger {
  /** Calls that succeeded, by `<listener> <pathway id>`. */
  readonly processed = new Map<string, number>();
  /** Calls made, failed ones included, by `<listener> <pathway id>`. */
  readonly attempts = new Map<string, number>();
  /** Calls that succeeded, by app. */
  readonly processedBy = new Map<string, number>();
  /** What a call does before it succeeds: throw to fail it. */
  behaviour: (listener: QueueListener, id: string, attempt: number) => void = () => undefined;

  /** Called by the listeners. */
  run(app: string, listener: QueueListener, id: string): void {
    const key = `${listener} ${id}`;
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    this.behaviour(listener, id, attempt);
    this.processed.set(key, (this.processed.get(key) ?? 0) + 1);
    this.processedBy.set(app, (this.processedBy.get(app) ?? 0) + 1);
  }
}

/**
 * The two `enrolments` listener classes of the queue run, recording into the ledger as app `app`.
 * Their class names are the same in every app, as in one code base deployed in several roles: a
 * job's list of listeners that succeeded (`Class.method`) means the same to every worker.
 *
 * @param ledger - shared by every app of the run
 * @param app - the name of the app they are provided in
 */
export function queueListeners(ledger: ListenerLedger, app: string): Type<unknown>[] {
  const idOf = (event: FalkorWebhookEvent<'enrolments'>) => event.payload.data.pathway.ID;

  @Injectable()
  class LoadMailer {
    @OnFalkorEvent('enrolments')
    send(event: FalkorWebhookEvent<'enrolments'>): void {
      ledger.run(app, 'mailer', idOf(event));
    }
  }

  @Injectable()
  class LoadCrm {
    @OnFalkorEvent('enrolments')
    sync(event: FalkorWebhookEvent<'enrolments'>): void {
      ledger.run(app, 'crm', idOf(event));
    }
  }
  return [LoadMailer, LoadCrm];
}
