import type { DeliveryOutcome } from './delivery.client.js';

/**
 * Sends `count` deliveries with at most `concurrency` in flight, reporting each completion.
 *
 * @param count - how many to send
 * @param concurrency - how many at once, at least 1
 * @param send - sends one delivery; it must not throw
 * @param onDone - called with the number done after each delivery
 * @returns every outcome, in completion order
 */
export async function runDeliveries(
  count: number,
  concurrency: number,
  send: () => Promise<DeliveryOutcome>,
  onDone: (done: number) => void,
): Promise<DeliveryOutcome[]> {
  const outcomes: DeliveryOutcome[] = [];
  let started = 0;
  const worker = async (): Promise<void> => {
    while (started < count) {
      started++;
      outcomes.push(await send());
      onDone(outcomes.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return outcomes;
}
