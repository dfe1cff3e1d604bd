/**
 * Counts the deliveries being processed and refuses new ones once shutdown has begun, so that
 * shutdown can wait for every delivery already accepted to finish its listeners before the event
 * emitter drops them.
 */
export class FalkorInFlightDeliveries {
  private count = 0;
  private closing = false;
  private drained: (() => void) | undefined;

  /**
   * Counts a delivery in, unless shutdown has begun.
   *
   * @returns `false` when the delivery must be refused
   */
  enter(): boolean {
    if (this.closing) {
      return false;
    }
    this.count++;
    return true;
  }

  /** Counts a delivery out, whatever its outcome. */
  leave(): void {
    this.count--;
    if (this.count === 0 && this.drained !== undefined) {
      this.drained();
    }
  }

  /** Refuses every new delivery from now on. */
  close(): void {
    this.closing = true;
  }

  /** Refuses new deliveries and resolves once those being processed have finished. */
  drain(): Promise<void> {
    this.closing = true;
    if (this.count === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.drained = resolve;
    });
  }
}
