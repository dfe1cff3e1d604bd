import type { FalkorDeduplicationStore } from '../store/deduplication.store.js';

/**
 * The `records` option of the module: where record events remember the changes they fired.
 */
export interface FalkorRecordsOptions {
  /**
   * Where changes are recorded: `new RedisFalkorDeduplicationStore(redis)` makes record events
   * fire each change once across instances. Default: the `deduplication.store` when one is set, otherwise
   * a `MemoryFalkorDeduplicationStore` of this process.
   */
  readonly store?: FalkorDeduplicationStore;
  /** How long a fired change is remembered, in seconds. Default 7,776,000 (90 days). */
  readonly ttlSeconds?: number;
  /** Prepended to every change key in the store. Default `'falkor-record:'`. */
  readonly keyPrefix?: string;
  /**
   * How long a change stays reserved if its attempt never ends (the process died), in seconds;
   * keep it above the time a delivery's changes take to process. Default 300.
   */
  readonly inFlightTtlSeconds?: number;
  /** The status of a delivery holding a change that another delivery is processing. Default 409. */
  readonly inFlightStatus?: 409 | 503;
  /** The `Retry-After` of 409 and 503 answers, in whole seconds. Default 5. */
  readonly retryAfterSeconds?: number;
  /** How long a store call may take before it counts as failed, in ms. Default 2,000. */
  readonly storeTimeoutMs?: number;
  /** How many changes of one delivery run their listeners at once. Default 8. */
  readonly concurrency?: number;
}

/**
 * The `records` option checked at start-up, with every default applied.
 */
export interface FalkorRecordsSettings {
  /** Where changes are recorded. */
  readonly store: FalkorDeduplicationStore;
  /** What the store is, for the start-up log: `memory` when it is this process's own. */
  readonly storeKind: 'memory' | 'deduplication' | 'configured';
  /** How long a fired change is remembered, in ms. */
  readonly ttlMs: number;
  /** Prepended to every change key. */
  readonly keyPrefix: string;
  /** How long a reservation lasts, in ms. */
  readonly inFlightTtlMs: number;
  /** The status of a delivery holding a change in flight elsewhere. */
  readonly inFlightStatus: 409 | 503;
  /** The `Retry-After` value, in seconds. */
  readonly retryAfterSeconds: number;
  /** The store operation timeout, in ms. */
  readonly storeTimeoutMs: number;
  /** How many changes run at once. */
  readonly concurrency: number;
}
