import { describe, expect, it } from '@jest/globals';
import { FalkorInFlightDeliveries } from '../../../src/nest/http/in-flight-deliveries.js';

describe('FalkorInFlightDeliveries', () => {
  it('drains at once when nothing is in flight, and refuses deliveries afterwards', async () => {
    const deliveries = new FalkorInFlightDeliveries();
    await deliveries.drain();
    expect(deliveries.enter()).toBe(false);
  });

  it('resolves the drain when the last delivery in flight leaves', async () => {
    const deliveries = new FalkorInFlightDeliveries();
    expect(deliveries.enter()).toBe(true);
    expect(deliveries.enter()).toBe(true);
    let drained = false;
    const drain = deliveries.drain().then(() => (drained = true));
    expect(deliveries.enter()).toBe(false);
    deliveries.leave();
    await Promise.resolve();
    expect(drained).toBe(false);
    deliveries.leave();
    await drain;
    expect(drained).toBe(true);
  });

  it('refuses new deliveries once closed, while those in flight go on', () => {
    const deliveries = new FalkorInFlightDeliveries();
    expect(deliveries.enter()).toBe(true);
    deliveries.close();
    expect(deliveries.enter()).toBe(false);
    deliveries.leave();
  });
});
