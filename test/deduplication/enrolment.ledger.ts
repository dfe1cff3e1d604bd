import { Injectable, type Type } from '@nestjs/common';
import { type FalkorWebhookEvent, OnFalkorEvent } from '../../src/index.js';
import {
  createFalkorDelivery,
  type SignedFalkorDelivery,
  type FalkorPayloadOverrides,
} from '../../src/testing/index.js';
import { TEST_SECRET } from '../support/apps.js';

let sequence = 0;

/** An enrolment id no other delivery of the run uses. */
export function uniqueEnrolmentId(): string {
  sequence++;
  return `enr_${process.pid}_${sequence}`;
}

/** A signed `enrolment.completed` delivery for an enrolment id. */
export function enrolmentDelivery(
  id: string,
  overrides: FalkorPayloadOverrides = {},
  secret = TEST_SECRET,
): SignedFalkorDelivery {
  return createFalkorDelivery('enrolment.completed', {
    secret,
    overrides: { ...overrides, enrolment: { id } },
  });
}

/**
 * Counts, per enrolment id, how often an `enrolment.completed` listener was entered and how often
 * it finished; several apps can share one ledger, as several instances share a database.
 */
export class EnrolmentLedger {
  /** Runs that finished, by enrolment id. */
  readonly processed = new Map<string, number>();
  /** Runs that started, by enrolment id. */
  readonly attempts = new Map<string, number>();
  /** What a run does before it finishes: throw to fail it, await to hold it in flight. */
  behaviour: (id: string, attempt: number) => void | Promise<void> = () => undefined;
  private readonly waiters: { id: string; resolve: () => void }[] = [];

  /** How many runs finished, over every id. */
  get total(): number {
    let total = 0;
    for (const count of this.processed.values()) {
      total += count;
    }
    return total;
  }

  /** Resolves once a run for `id` has started (at once if one already has). */
  whenEntered(id: string): Promise<void> {
    return this.attempts.has(id)
      ? Promise.resolve()
      : new Promise((resolve) => this.waiters.push({ id, resolve }));
  }

  /** Called by the listener. */
  async run(id: string): Promise<void> {
    const attempt = (this.attempts.get(id) ?? 0) + 1;
    this.attempts.set(id, attempt);
    for (const waiter of this.waiters.filter((w) => w.id === id)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    await this.behaviour(id, attempt);
    this.processed.set(id, (this.processed.get(id) ?? 0) + 1);
  }
}

/** A listener class of `enrolment.completed` that records into the ledger. */
export function ledgerListener(ledger: EnrolmentLedger): Type<unknown> {
  @Injectable()
  class EnrolmentListener {
    @OnFalkorEvent('enrolment.completed')
    onCompleted(event: FalkorWebhookEvent<'enrolment.completed'>): Promise<void> {
      return ledger.run(event.payload.enrolment.id);
    }
  }
  return EnrolmentListener;
}

/** A promise with its resolver, to hold a listener until the test lets it go. */
export function gate(): { readonly opened: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}
