import { Injectable } from '@nestjs/common';
import type { FalkorListenerFailure } from '../../core/errors/falkor-webhook.errors.js';
import { falkorRecordEvent, type FalkorWebhookEvent } from '../../events/falkor-webhook.event.js';
import type { FalkorRecordChange } from '../../records/record.changes.js';
import { falkorEventName, FalkorListenerOutcome } from './falkor-listener.outcome.js';
import { FalkorListenerRegistry } from './falkor-listener.registry.js';

/**
 * How the dispatch step ended: how many `@OnFalkorEvent` listeners ran, and which failed.
 */
export interface FalkorDispatchOutcome {
  /** How many `@OnFalkorEvent` listeners ran. */
  readonly listeners: number;
  /** The listeners that threw, rejected or did not settle in time (empty when all succeeded). */
  readonly failures: readonly FalkorListenerFailure[];
  /** The listeners that ran and succeeded, by `ClassName.methodName`. */
  readonly succeeded: readonly string[];
}

/**
 * How the dispatch of a delivery's record changes ended: per change, in order, whether all its
 * listeners succeeded.
 */
export interface FalkorChangesOutcome extends Omit<FalkorDispatchOutcome, 'succeeded'> {
  /** For each change given, whether every listener of its record events succeeded. */
  readonly succeeded: readonly boolean[];
}

/**
 * The dispatch step: emits an event to its listeners through @nestjs/event-emitter and waits for
 * all of them, each within `listenerTimeoutMs`.
 */
@Injectable()
export class FalkorEventDispatcher {
  constructor(private readonly registry: FalkorListenerRegistry) {}

  /**
   * Runs every listener of the event's type, each once, and reports how they ended; it never
   * throws for a listener's failure.
   *
   * @param event - the event to emit
   * @param listenerTimeoutMs - how long each listener may take
   * @param request - the HTTP request it came with, for request-scoped listeners
   * @param skip - listeners that already succeeded for this delivery: they do not run again
   */
  async dispatch(
    event: FalkorWebhookEvent,
    listenerTimeoutMs: number,
    request?: object,
    skip?: ReadonlySet<string>,
  ): Promise<FalkorDispatchOutcome> {
    this.registry.remember(event, {
      listenerTimeoutMs,
      ...(request !== undefined && this.registry.needsRequests ? { request } : {}),
      ...(skip === undefined || skip.size === 0 ? {} : { skip }),
    });
    const results: unknown[] = await this.registry
      .requireEmitter()
      .emitAsync(falkorEventName(event.type), event);
    let listeners = 0;
    const failures: FalkorListenerFailure[] = [];
    const succeeded: string[] = [];
    for (const result of results) {
      if (result instanceof FalkorListenerOutcome && !result.skipped) {
        listeners++;
        if (result.failed) {
          failures.push({ listener: result.listener, error: result.error });
        } else {
          succeeded.push(result.listener);
        }
      }
    }
    return { listeners, failures, succeeded };
  }

  /**
   * Fires each change's record events to their listeners, `concurrency` changes at a time, and
   * reports how each change ended; it never throws for a listener's failure.
   *
   * @param changes - the changes this delivery holds
   * @param delivery - the delivery's event, whose details every record event carries
   * @param listenerTimeoutMs - how long each listener may take
   * @param concurrency - how many changes run at once
   * @param request - the HTTP request it came with, for request-scoped listeners
   */
  async dispatchChanges(
    changes: readonly FalkorRecordChange[],
    delivery: FalkorWebhookEvent,
    listenerTimeoutMs: number,
    concurrency: number,
    request?: object,
  ): Promise<FalkorChangesOutcome> {
    const succeeded: boolean[] = new Array<boolean>(changes.length).fill(false);
    const failures: FalkorListenerFailure[] = [];
    let listeners = 0;
    let next = 0;
    const fire = async (change: FalkorRecordChange) => {
      const outcomes = await Promise.all(
        change.events.map((type) =>
          this.dispatch(
            falkorRecordEvent(delivery, type, change.payload),
            listenerTimeoutMs,
            request,
          ),
        ),
      );
      let ok = true;
      outcomes.forEach((outcome, index) => {
        listeners += outcome.listeners;
        for (const failure of outcome.failures) {
          failures.push({ ...failure, event: change.events[index] });
          ok = false;
        }
      });
      return ok;
    };
    const worker = async () => {
      while (next < changes.length) {
        const index = next++;
        succeeded[index] = await fire(changes[index]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, changes.length) }, worker));
    return { listeners, failures, succeeded };
  }
}
