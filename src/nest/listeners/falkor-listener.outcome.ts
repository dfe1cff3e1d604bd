const requests = new WeakMap<object, object>();

/**
 * Remembers the HTTP request an event came with, for request-scoped listeners, without adding
 * anything to the event object.
 */
export function rememberFalkorRequest(event: object, request: object): void {
  requests.set(event, request);
}

/** The HTTP request an event came with, when it came through a route. */
export function falkorRequestOf(event: object): object | undefined {
  return requests.get(event);
}

/**
 * How one `@OnFalkorEvent` listener's run ended, as returned through the event emitter.
 */
export class FalkorListenerOutcome {
  /**
   * @param listener - `ClassName.methodName` of the listener
   * @param failed - whether it threw or rejected
   * @param error - what it threw
   */
  constructor(
    readonly listener: string,
    readonly failed: boolean,
    readonly error?: unknown,
  ) {}
}

/**
 * The event-emitter name under which deliveries of an event type are emitted, e.g.
 * `falkor.enrolments`; use it with `@OnEvent()` to observe deliveries without taking part
 * in their acknowledgement.
 *
 * @param type - the Falkor event type
 */
export function falkorEventName(type: string): string {
  return `falkor.${type}`;
}
