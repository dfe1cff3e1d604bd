import type { FalkorEventType } from '../../events/event-catalog.js';
import type { FalkorWebhookEvent } from '../../events/falkor-webhook.event.js';

/** Metadata key under which {@link OnFalkorEvent} stores a method's subscriptions. */
export const FALKOR_LISTENER_METADATA = 'falkor-webhook:listener';

/**
 * Options of {@link OnFalkorEvent}.
 */
export interface OnFalkorEventOptions {
  /** Run this listener before the ones registered without this flag. Default `false`. */
  readonly prependListener?: boolean;
}

/**
 * One subscription made by {@link OnFalkorEvent}.
 */
export interface FalkorListenerMetadata {
  /** The event types the method listens to. */
  readonly types: readonly string[];
  /** The subscription's options. */
  readonly options: OnFalkorEventOptions;
}

/**
 * Makes a provider's method a listener of one or more Falkor event types. The method receives a
 * {@link FalkorWebhookEvent} whose payload has been verified and validated, and the delivery is
 * acknowledged only once every listener has finished: throw (or reject) to leave it
 * unacknowledged (a 5xx), so that a sender that retries can deliver it again.
 *
 * @example
 * ```ts
 * @OnFalkorEvent('enrolments')
 * async issue(event: FalkorWebhookEvent<'enrolments'>) { ... }
 * ```
 *
 * @param type - an event type, or a list of them
 * @param options - listener options
 */
export function OnFalkorEvent<T extends FalkorEventType>(
  type: T | readonly T[],
  options: OnFalkorEventOptions = {},
) {
  const types = [...new Set([type].flat() as string[])];
  if (types.length === 0 || types.some((t) => typeof t !== 'string' || t.length === 0)) {
    throw new TypeError('@OnFalkorEvent() needs at least one non-empty event type.');
  }
  return (
    _target: object,
    _key: string | symbol,
    descriptor: { readonly value?: (event: FalkorWebhookEvent<T>) => unknown },
  ): void => {
    const method = descriptor.value as object;
    const previous: readonly FalkorListenerMetadata[] =
      Reflect.getMetadata(FALKOR_LISTENER_METADATA, method) ?? [];
    Reflect.defineMetadata(FALKOR_LISTENER_METADATA, [...previous, { types, options }], method);
  };
}
