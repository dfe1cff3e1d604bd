import { Injectable } from '@nestjs/common';
import { FalkorListenerError } from '../../core/errors/falkor-webhook.errors.js';
import type { FalkorWebhookEvent } from '../../events/falkor-webhook.event.js';
import {
  falkorEventName,
  FalkorListenerOutcome,
  rememberFalkorRequest,
} from './falkor-listener.outcome.js';
import { FalkorListenerRegistry } from './falkor-listener.registry.js';

/**
 * Emits an event to its listeners through @nestjs/event-emitter and waits for all of them.
 */
@Injectable()
export class FalkorEventDispatcher {
  constructor(private readonly registry: FalkorListenerRegistry) {}

  /**
   * Runs every listener of the event's type, each once, and waits until all have finished.
   *
   * @param event - the event to emit
   * @param request - the HTTP request it came with, for request-scoped listeners
   * @returns how many `@OnFalkorEvent` listeners ran
   * @throws FalkorListenerError when any listener threw or rejected (all of them still ran)
   */
  async dispatch(event: FalkorWebhookEvent, request?: object): Promise<number> {
    if (request !== undefined && this.registry.needsRequests) {
      rememberFalkorRequest(event, request);
    }
    const results: unknown[] = await this.registry
      .requireEmitter()
      .emitAsync(falkorEventName(event.type), event);
    let listeners = 0;
    let failures: { listener: string; error: unknown }[] | undefined;
    for (const result of results) {
      if (result instanceof FalkorListenerOutcome) {
        listeners++;
        if (result.failed) {
          (failures ??= []).push({ listener: result.listener, error: result.error });
        }
      }
    }
    if (failures) {
      throw new FalkorListenerError(event.type, failures);
    }
    return listeners;
  }
}
