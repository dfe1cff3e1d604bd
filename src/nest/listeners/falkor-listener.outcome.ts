/**
 * What a listener wrapper needs to know about the delivery it runs for, kept beside the event
 * rather than on it: the HTTP request (for request-scoped listeners) and how long a listener may
 * take.
 */
export interface FalkorDeliveryContext {
  /** The request the delivery came with, when a request-scoped listener needs it. */
  readonly request?: object;
  /** How long each listener may take before it counts as failed, in milliseconds. */
  readonly listenerTimeoutMs: number;
  /** Listeners that already succeeded for this delivery (an earlier queue attempt): not run again. */
  readonly skip?: ReadonlySet<string>;
}

/**
 * How one `@OnFalkorEvent` listener's run ended, as returned through the event emitter.
 */
export class FalkorListenerOutcome {
  /**
   * @param listener - `ClassName.methodName` of the listener
   * @param failed - whether it threw, rejected or did not settle in time
   * @param error - what it threw
   * @param skipped - whether it did not run, having succeeded for this delivery before
   */
  constructor(
    readonly listener: string,
    readonly failed: boolean,
    readonly error?: unknown,
    readonly skipped = false,
  ) {}
}

/**
 * The event-emitter name under which deliveries of an event type are emitted, e.g.
 * `falkor.enrolments`; use it with `@OnEvent()` to observe deliveries without taking part in
 * their acknowledgement.
 *
 * @param type - the Falkor event type
 */
export function falkorEventName(type: string): string {
  return `falkor.${type}`;
}
