import type { FalkorWebhookEvent } from '../../events/falkor-webhook.event.js';
import type { FalkorDeduplicationStore } from '../../store/deduplication.store.js';

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
  /** Where deliveries are recorded. Default: a new `MemoryFalkorDeduplicationStore`. */
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
