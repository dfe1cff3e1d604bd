import { describe, expect, it } from '@jest/globals';
import {
  FalkorConfigurationError,
  type FalkorDeduplicationOptions,
  MemoryFalkorDeduplicationStore,
} from '../../src/index.js';
import { prepareFalkorDeduplication } from '../../src/nest/falkor-webhook.settings.js';
import { ControlledStore } from '../support/controlled.store.js';

describe('the deduplication option', () => {
  it.each([undefined, false] as const)('is off when %s', (value) => {
    expect(prepareFalkorDeduplication(value)).toBeUndefined();
  });

  it('defaults to a memory store, a day of memory and 409 for deliveries in flight', () => {
    const settings = prepareFalkorDeduplication({});
    expect(settings?.store).toBeInstanceOf(MemoryFalkorDeduplicationStore);
    expect(settings).toMatchObject({
      ttlMs: 86_400_000,
      inFlightTtlMs: 60_000,
      inFlightStatus: 409,
      onStoreError: 'reject',
      retryAfterSeconds: 5,
      storeTimeoutMs: 1000,
      key: undefined,
    });
  });

  it('gives every module import its own memory store', () => {
    expect(prepareFalkorDeduplication({})?.store).not.toBe(prepareFalkorDeduplication({})?.store);
  });

  it('keeps a store that implements the interface, and converts seconds to ms', () => {
    const store = new ControlledStore();
    const settings = prepareFalkorDeduplication({ store, ttlSeconds: 0.25, inFlightTtlSeconds: 2 });
    expect(settings?.store).toBe(store);
    expect(settings?.ttlMs).toBe(250);
    expect(settings?.inFlightTtlMs).toBe(2000);
  });

  it.each([
    [true, '"deduplication" must be false or an object'],
    [{ ttlSeconds: 0 }, '"deduplication.ttlSeconds" must be a positive number of seconds, got 0'],
    [{ ttlSeconds: -1 }, '"deduplication.ttlSeconds" must be a positive number'],
    [{ ttlSeconds: Number.NaN }, '"deduplication.ttlSeconds" must be a positive number'],
    [{ ttlSeconds: '60' }, '"deduplication.ttlSeconds" must be a positive number'],
    [{ inFlightTtlSeconds: Infinity }, '"deduplication.inFlightTtlSeconds" must be a positive'],
    [{ retryAfterSeconds: 1.5 }, '"deduplication.retryAfterSeconds" must be a positive whole'],
    [{ storeTimeoutMs: 0 }, '"deduplication.storeTimeoutMs" must be a positive whole'],
    [{ store: {} }, 'it lacks reserve, complete, release'],
    [{ store: { reserve() {}, complete() {} } }, 'it lacks release'],
    [{ key: 'data.enrolments.0.email' }, '"deduplication.key" must be a function'],
    [{ onStoreError: 'ignore' }, '"deduplication.onStoreError" must be "reject" or "process"'],
    [{ inFlightStatus: 429 }, '"deduplication.inFlightStatus" must be 409 or 503'],
    [{ ttl: 60 }, 'has unknown field(s) ttl'],
  ])('refuses %j at start-up: %s', (options, message) => {
    const prepare = () =>
      prepareFalkorDeduplication(options as unknown as FalkorDeduplicationOptions);
    expect(prepare).toThrow(FalkorConfigurationError);
    expect(prepare).toThrow(message);
  });
});
