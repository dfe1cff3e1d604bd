import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_FALKOR_RECORDS_KEY_PREFIX,
  DEFAULT_FALKOR_RECORDS_TTL_SECONDS,
  FalkorConfigurationError,
  type FalkorRecordsOptions,
  MemoryFalkorDeduplicationStore,
} from '../../src/index.js';
import {
  prepareFalkorDeduplication,
  prepareFalkorRecords,
  prepareFalkorWebhookSettings,
} from '../../src/nest/falkor-webhook.settings.js';
import { ControlledStore } from '../support/controlled.store.js';

describe('the records option', () => {
  it('is on without configuration, with the documented defaults', () => {
    const settings = prepareFalkorRecords(undefined, undefined);
    expect(settings?.store).toBeInstanceOf(MemoryFalkorDeduplicationStore);
    expect(settings).toEqual({
      store: expect.any(MemoryFalkorDeduplicationStore),
      storeKind: 'memory',
      ttlMs: 90 * 86_400 * 1000,
      keyPrefix: 'falkor-record:',
      inFlightTtlMs: 300_000,
      inFlightStatus: 409,
      retryAfterSeconds: 5,
      storeTimeoutMs: 2000,
      concurrency: 8,
    });
    expect(DEFAULT_FALKOR_RECORDS_TTL_SECONDS).toBe(7_776_000);
    expect(DEFAULT_FALKOR_RECORDS_KEY_PREFIX).toBe('falkor-record:');
  });

  it('takes {} as the defaults, and false as off', () => {
    expect(prepareFalkorRecords({}, undefined)).toMatchObject({
      storeKind: 'memory',
      concurrency: 8,
    });
    expect(prepareFalkorRecords(false, undefined)).toBeUndefined();
    expect(prepareFalkorRecords(false, prepareFalkorDeduplication({}))).toBeUndefined();
  });

  it('gives every module import its own memory store', () => {
    expect(prepareFalkorRecords({}, undefined)?.store).not.toBe(
      prepareFalkorRecords({}, undefined)?.store,
    );
  });

  it('keeps a configured store, and converts seconds to ms', () => {
    const store = new ControlledStore();
    const settings = prepareFalkorRecords(
      {
        store,
        ttlSeconds: 0.25,
        inFlightTtlSeconds: 2,
        keyPrefix: 'tenant-1:',
        inFlightStatus: 503,
        retryAfterSeconds: 30,
        storeTimeoutMs: 150,
        concurrency: 1,
      },
      undefined,
    );
    expect(settings).toEqual({
      store,
      storeKind: 'configured',
      ttlMs: 250,
      keyPrefix: 'tenant-1:',
      inFlightTtlMs: 2000,
      inFlightStatus: 503,
      retryAfterSeconds: 30,
      storeTimeoutMs: 150,
      concurrency: 1,
    });
  });

  it('accepts an empty key prefix', () => {
    expect(prepareFalkorRecords({ keyPrefix: '' }, undefined)?.keyPrefix).toBe('');
  });

  it('uses the deduplication store when it is not the memory one', () => {
    const shared = new ControlledStore();
    const settings = prepareFalkorRecords(undefined, prepareFalkorDeduplication({ store: shared }));
    expect(settings?.store).toBe(shared);
    expect(settings?.storeKind).toBe('deduplication');
  });

  it('keeps a memory store of its own when deduplication is in memory', () => {
    const deduplication = prepareFalkorDeduplication({});
    const settings = prepareFalkorRecords({ ttlSeconds: 60 }, deduplication);
    expect(settings?.store).toBeInstanceOf(MemoryFalkorDeduplicationStore);
    expect(settings?.store).not.toBe(deduplication?.store);
    expect(settings?.storeKind).toBe('memory');
  });

  it('prefers records.store to the deduplication store', () => {
    const own = new ControlledStore();
    const settings = prepareFalkorRecords(
      { store: own },
      prepareFalkorDeduplication({ store: new ControlledStore() }),
    );
    expect(settings?.store).toBe(own);
    expect(settings?.storeKind).toBe('configured');
  });

  it('keeps the records option apart from the deduplication timings', () => {
    const settings = prepareFalkorRecords(
      undefined,
      prepareFalkorDeduplication({
        store: new ControlledStore(),
        ttlSeconds: 60,
        storeTimeoutMs: 10,
      }),
    );
    expect(settings).toMatchObject({ ttlMs: 7_776_000_000, storeTimeoutMs: 2000 });
  });

  it('accepts a store with the batch methods, and one without them', () => {
    const batch = new MemoryFalkorDeduplicationStore();
    expect(prepareFalkorRecords({ store: batch }, undefined)?.store).toBe(batch);
    const single = new ControlledStore();
    expect(prepareFalkorRecords({ store: single }, undefined)?.store).toBe(single);
  });

  const store = new ControlledStore();
  it.each([
    [true, '"records" must be false or an object such as'],
    ['memory', '"records" must be false or an object'],
    [[], '"records" must be false or an object'],
    [{ ttl: 60 }, '"records" has unknown field(s) ttl; known: store, ttlSeconds, keyPrefix'],
    [{ onStoreError: 'process' }, '"records" has unknown field(s) onStoreError'],
    [{ ttlSeconds: 0 }, '"records.ttlSeconds" must be a positive number of seconds, got 0.'],
    [{ ttlSeconds: -1 }, '"records.ttlSeconds" must be a positive number of seconds, got -1.'],
    [{ ttlSeconds: Number.NaN }, '"records.ttlSeconds" must be a positive number of seconds'],
    [{ ttlSeconds: '60' }, '"records.ttlSeconds" must be a positive number of seconds, got 60.'],
    [{ inFlightTtlSeconds: 0 }, '"records.inFlightTtlSeconds" must be a positive number'],
    [{ inFlightTtlSeconds: Infinity }, '"records.inFlightTtlSeconds" must be a positive number'],
    [{ keyPrefix: 7 }, '"records.keyPrefix" must be a string, got 7.'],
    [{ keyPrefix: ['a'] }, '"records.keyPrefix" must be a string, got ["a"].'],
    [{ inFlightStatus: 429 }, '"records.inFlightStatus" must be 409 or 503, got 429.'],
    [{ inFlightStatus: '409' }, '"records.inFlightStatus" must be 409 or 503, got "409".'],
    [
      { retryAfterSeconds: 1.5 },
      '"records.retryAfterSeconds" must be a positive whole number, got 1.5.',
    ],
    [
      { retryAfterSeconds: 0 },
      '"records.retryAfterSeconds" must be a positive whole number, got 0.',
    ],
    [{ storeTimeoutMs: 0 }, '"records.storeTimeoutMs" must be a positive whole number, got 0.'],
    [{ storeTimeoutMs: 2.5 }, '"records.storeTimeoutMs" must be a positive whole number'],
    [{ concurrency: 0 }, '"records.concurrency" must be a positive whole number, got 0.'],
    [{ concurrency: -2 }, '"records.concurrency" must be a positive whole number, got -2.'],
    [{ concurrency: 1.5 }, '"records.concurrency" must be a positive whole number, got 1.5.'],
    [{ concurrency: Infinity }, '"records.concurrency" must be a positive whole number'],
    [
      { store: {} },
      '"records.store" must implement FalkorDeduplicationStore (reserve, complete, release); it lacks reserve, complete, release.',
    ],
    [
      { store: { reserve() {}, complete() {} } },
      '"records.store" must implement FalkorDeduplicationStore (reserve, complete, release); it lacks release.',
    ],
    [{ store: null }, '"records.store" must implement FalkorDeduplicationStore'],
    [
      { store: Object.assign(Object.create(store) as object, { reserveMany: true }) },
      '"records.store" has reserveMany that is not a function: remove it or implement it.',
    ],
    [
      {
        store: Object.assign(Object.create(store) as object, { completeMany: {}, releaseMany: 1 }),
      },
      '"records.store" has completeMany, releaseMany that is not a function',
    ],
  ])('refuses %j at start-up: %s', (options, message) => {
    const prepare = () =>
      prepareFalkorRecords(options as unknown as FalkorRecordsOptions, undefined);
    expect(prepare).toThrow(FalkorConfigurationError);
    expect(prepare).toThrow(`FalkorWebhookModule: ${message}`);
  });

  it('refuses records: null like deduplication: null', () => {
    expect(() => prepareFalkorRecords(null as unknown as false, undefined)).toThrow(
      'FalkorWebhookModule: "records" must be false or an object',
    );
  });

  it('is prepared with the module options, with the deduplication store as default', () => {
    const shared = new ControlledStore();
    const settings = prepareFalkorWebhookSettings({
      secret: 'test-secret-0123456789',
      deduplication: { store: shared },
    });
    expect(settings.records?.store).toBe(shared);
    expect(
      prepareFalkorWebhookSettings({ secret: 'test-secret-0123456789', records: false }).records,
    ).toBeUndefined();
    expect(() =>
      prepareFalkorWebhookSettings({
        secret: 'test-secret-0123456789',
        records: { concurrency: 0 },
      }),
    ).toThrow('"records.concurrency" must be a positive whole number');
  });

  it('refuses a record event name in the events option, naming the delivery type to use', () => {
    class Dto {}
    const prepare = () =>
      prepareFalkorWebhookSettings({
        secret: 'test-secret-0123456789',
        events: { 'attendee.booked': Dto },
      });
    expect(prepare).toThrow(FalkorConfigurationError);
    expect(prepare).toThrow('"events.attendee.booked" names a record event');
  });
});
