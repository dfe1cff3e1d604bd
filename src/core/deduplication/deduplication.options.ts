import { FalkorConfigurationError } from '../errors/falkor-webhook.errors.js';
import type { FalkorWebhookEvent } from '../../events/falkor-webhook.event.js';
import type { FalkorDeduplicationStore } from '../../store/deduplication.store.js';
import { MemoryFalkorDeduplicationStore } from '../../store/memory-deduplication.store.js';

/**
 * Gives a delivery's de-duplication key: deliveries with the same key are processed once.
 * It runs after verification and validation, before dispatch.
 */
export type FalkorDeduplicationKey = (
  event: FalkorWebhookEvent,
  rawBody: Buffer,
) => string | Promise<string>;

/**
 * What to do when the store fails or times out. `reject`: answer 503 with `Retry-After`, so that a
 * sender that retries delivers it later (nothing is processed twice; the platform's docs do not
 * say whether it retries). `process`: dispatch the delivery without de-duplication (the sender is
 * not kept waiting, but a delivery that arrives twice during the outage is processed twice).
 */
export type FalkorStoreErrorPolicy = 'reject' | 'process';

/**
 * The `deduplication` option of the module.
 */
export interface FalkorDeduplicationOptions {
  /** Where deliveries are recorded. Default: a new {@link MemoryFalkorDeduplicationStore}. */
  readonly store?: FalkorDeduplicationStore;
  /** How long a processed delivery is remembered, in seconds. Default 86,400 (one day). */
  readonly ttlSeconds?: number;
  /**
   * The key of a delivery. Default {@link falkorDeliveryKey}: the SHA-256 of the exact body bytes,
   * so identical bytes are the same delivery.
   */
  readonly key?: FalkorDeduplicationKey;
  /** What to do when the store fails or times out. Default `'reject'` (503). */
  readonly onStoreError?: FalkorStoreErrorPolicy;
  /**
   * How long a reservation lasts if its attempt never ends (the process died), in seconds; keep it
   * above your slowest listener's run time. Default 60.
   */
  readonly inFlightTtlSeconds?: number;
  /** The status of a duplicate that arrives while the first is in flight: 409 or 503. Default 409. */
  readonly inFlightStatus?: 409 | 503;
  /** The `Retry-After` of 409 and 503 answers, in whole seconds. Default 5. */
  readonly retryAfterSeconds?: number;
  /** How long a store operation may take before it counts as failed, in ms. Default 1000. */
  readonly storeTimeoutMs?: number;
}

/**
 * The `deduplication` option checked at start-up, with every default applied.
 */
export interface FalkorDeduplicationSettings {
  /** Where deliveries are recorded. */
  readonly store: FalkorDeduplicationStore;
  /** How long a processed delivery is remembered, in ms. */
  readonly ttlMs: number;
  /** The user's key function, if any. */
  readonly key: FalkorDeduplicationKey | undefined;
  /** What to do when the store fails. */
  readonly onStoreError: FalkorStoreErrorPolicy;
  /** How long a reservation lasts, in ms. */
  readonly inFlightTtlMs: number;
  /** The status of an in-flight duplicate. */
  readonly inFlightStatus: 409 | 503;
  /** The `Retry-After` value, in seconds. */
  readonly retryAfterSeconds: number;
  /** The store operation timeout, in ms. */
  readonly storeTimeoutMs: number;
}

const KNOWN_OPTIONS: ReadonlySet<string> = new Set([
  'store',
  'ttlSeconds',
  'key',
  'onStoreError',
  'inFlightTtlSeconds',
  'inFlightStatus',
  'retryAfterSeconds',
  'storeTimeoutMs',
]);
const STORE_METHODS = ['reserve', 'complete', 'release'] as const;

function fail(field: string, problem: string): never {
  const name = field === '' ? 'deduplication' : `deduplication.${field}`;
  throw new FalkorConfigurationError(`FalkorWebhookModule: "${name}" ${problem}`);
}

function seconds(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (typeof resolved !== 'number' || !Number.isFinite(resolved) || resolved <= 0) {
    fail(name, `must be a positive number of seconds, got ${String(value)}.`);
  }
  return Math.ceil(resolved * 1000);
}

function wholeNumber(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!Number.isSafeInteger(resolved) || resolved <= 0) {
    fail(name, `must be a positive whole number, got ${String(value)}.`);
  }
  return resolved;
}

function prepareStore(store: FalkorDeduplicationStore | undefined): FalkorDeduplicationStore {
  if (store === undefined) {
    return new MemoryFalkorDeduplicationStore();
  }
  const missing = STORE_METHODS.filter(
    (method) => typeof (store as unknown as Record<string, unknown>)?.[method] !== 'function',
  );
  if (missing.length > 0) {
    fail(
      'store',
      'must implement FalkorDeduplicationStore (reserve, complete, release); it lacks ' +
        `${missing.join(', ')}. Use MemoryFalkorDeduplicationStore, RedisFalkorDeduplicationStore ` +
        'or your own implementation.',
    );
  }
  return store;
}

/**
 * Checks the `deduplication` option at start-up and applies its defaults.
 *
 * @param options - the option as given; `undefined` or `false` turn de-duplication off
 * @returns the prepared settings, or `undefined` when de-duplication is off
 * @throws FalkorConfigurationError naming the faulty field and the fix
 */
export function prepareFalkorDeduplication(
  options: FalkorDeduplicationOptions | false | undefined,
): FalkorDeduplicationSettings | undefined {
  if (options === undefined || options === false) {
    return undefined;
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    fail(
      '',
      'must be false or an object such as {} (in memory) or { store: new ' +
        `RedisFalkorDeduplicationStore(redis) }, got ${JSON.stringify(options)}.`,
    );
  }
  const unknown = Object.keys(options).filter((name) => !KNOWN_OPTIONS.has(name));
  if (unknown.length > 0) {
    fail(
      '',
      `has unknown field(s) ${unknown.join(', ')}; known: ${[...KNOWN_OPTIONS].join(', ')}.`,
    );
  }
  if (options.key !== undefined && typeof options.key !== 'function') {
    fail('key', 'must be a function (event, rawBody) => string.');
  }
  const onStoreError = options.onStoreError ?? 'reject';
  if (onStoreError !== 'reject' && onStoreError !== 'process') {
    fail('onStoreError', `must be "reject" or "process", got ${JSON.stringify(onStoreError)}.`);
  }
  const inFlightStatus = options.inFlightStatus ?? 409;
  if (inFlightStatus !== 409 && inFlightStatus !== 503) {
    fail('inFlightStatus', `must be 409 or 503, got ${JSON.stringify(inFlightStatus)}.`);
  }
  return {
    store: prepareStore(options.store),
    ttlMs: seconds('ttlSeconds', options.ttlSeconds, 86_400),
    key: options.key,
    onStoreError,
    inFlightTtlMs: seconds('inFlightTtlSeconds', options.inFlightTtlSeconds, 60),
    inFlightStatus,
    retryAfterSeconds: wholeNumber('retryAfterSeconds', options.retryAfterSeconds, 5),
    storeTimeoutMs: wholeNumber('storeTimeoutMs', options.storeTimeoutMs, 1000),
  };
}
