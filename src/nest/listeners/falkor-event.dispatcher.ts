import { Injectable } from '@nestjs/common';
import type { FalkorListenerFailure } from '../../core/errors/falkor-webhook.errors.js';
import type { FalkorWebhookEvent } from '../../events/falkor-webhook.event.js';
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
   */
  async dispatch(
    event: FalkorWebhookEvent,
    listenerTimeoutMs: number,
    request?: object,
  ): Promise<FalkorDispatchOutcome> {
    this.registry.remember(event, {
      listenerTimeoutMs,
      ...(request !== undefined && this.registry.needsRequests ? { request } : {}),
    });
    const results: unknown[] = await this.registry
      .requireEmitter()
      .emitAsync(falkorEventName(event.type), event);
    let listeners = 0;
    const failures: FalkorListenerFailure[] = [];
    for (const result of results) {
      if (result instanceof FalkorListenerOutcome) {
        listeners++;
        if (result.failed) {
          failures.push({ listener: result.listener, error: result.error });
        }
      }
    }
    return { listeners, failures };
  }
}
