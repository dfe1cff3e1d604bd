/**
 * A listener did not settle within `listenerTimeoutMs`: its delivery fails (a 5xx) instead of
 * holding its request, and the app's shutdown, for ever. The listener itself cannot be stopped and
 * may still finish later.
 */
export class FalkorListenerTimeoutError extends Error {
  /**
   * @param listener - `ClassName.methodName` of the listener
   * @param timeoutMs - the limit it passed
   */
  constructor(
    readonly listener: string,
    readonly timeoutMs: number,
  ) {
    super(
      `${listener} did not settle within ${timeoutMs} ms (option "listenerTimeoutMs"): make it ` +
        'finish sooner, hand slow work to a queue, or raise listenerTimeoutMs.',
    );
    this.name = 'FalkorListenerTimeoutError';
  }
}
