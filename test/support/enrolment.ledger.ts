import { Injectable, type Type } from '@nestjs/common';
import { type FalkorWebhookEvent, OnFalkorEvent } from '../../src/index.js';
import {
  createFalkorDelivery,
  falkorSampleEnrolment,
  type SignedFalkorDelivery,
  type FalkorPayloadOverrides,
} from '../../src/testing/index.js';
import { TEST_SECRET } from './apps.js';

let sequence = 0;

/**
 * An enrolment id no other delivery of the run uses: an e-mail address, since the learner's
 * `email` is the only identity an enrolment carries.
 */
export function uniqueEnrolmentId(): string {
  sequence++;
  return `learner.${process.pid}.${sequence}@example.com`;
}

/**
 * A signed `enrolments` delivery holding one enrolment, the docs' first, for the learner `id`.
 *
 * @param id - the learner's e-mail address, from {@link uniqueEnrolmentId}
 * @param overrides - fields merged over the enrolment record (not the envelope), e.g.
 *   `{ status: { state: 'Complete' } }`; its `email` is always `id`
 * @param secret - the secret to sign with (another than the app's makes a forged copy)
 */
export function enrolmentDelivery(
  id: string,
  overrides: FalkorPayloadOverrides = {},
  secret = TEST_SECRET,
): SignedFalkorDelivery {
  return createFalkorDelivery('enrolments', {
    secret,
    overrides: { data: { enrolments: [falkorSampleEnrolment({ ...overrides, email: id })] } },
  });
}

/**
 * A correctly signed `enrolments` delivery for the learner `id` that its DTO refuses with 400
 * (`status.progress` is not a number), so that nothing is dispatched for it.
 *
 * @param id - the learner's e-mail address
 * @param secret - the secret to sign with
 */
export function invalidEnrolmentDelivery(id: string, secret = TEST_SECRET): SignedFalkorDelivery {
  return enrolmentDelivery(id, { status: { progress: 'ninety' } }, secret);
}

/**
 * Counts, per enrolment id (the learner's e-mail), how often an `enrolments` listener was entered
 * for it and how often it finished; several apps can share one ledger, as several instances share
 * a database.
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

/**
 * A listener class of `enrolments` that records each enrolment of a delivery into the ledger,
 * one after the other (a delivery may carry several).
 */
export function ledgerListener(ledger: EnrolmentLedger): Type<unknown> {
  @Injectable()
  class EnrolmentListener {
    @OnFalkorEvent('enrolments')
    async onEnrolments(event: FalkorWebhookEvent<'enrolments'>): Promise<void> {
      for (const enrolment of event.payload.data.enrolments) {
        await ledger.run(enrolment.email);
      }
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
