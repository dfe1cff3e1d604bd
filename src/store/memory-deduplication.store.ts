import type { FalkorDeduplicationStore, FalkorReservationResult } from './deduplication.store.js';

/** The default {@link MemoryFalkorDeduplicationStoreOptions.maxEntries}. */
export const DEFAULT_FALKOR_DEDUPLICATION_MAX_ENTRIES = 100_000;

/**
 * Options of {@link MemoryFalkorDeduplicationStore}.
 */
export interface MemoryFalkorDeduplicationStoreOptions {
  /**
   * The most keys kept at once. When a new key would exceed it, the record completed longest ago
   * is forgotten early; a reservation still in flight never is, so a store full of them refuses
   * new reservations (see {@link FalkorDeduplicationStoreFullError}). Default 100,000 (about
   * 27 MB with the default 64-character keys).
   */
  readonly maxEntries?: number;
  /** The clock, in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * A {@link MemoryFalkorDeduplicationStore} holds `maxEntries` reservations that are all still in
 * flight, so it has no room for another: forgetting one would let a copy of a running delivery
 * run at the same time. The de-duplicator treats it as a store failure (503 with `Retry-After`
 * under the default `onStoreError: 'reject'`), so that the sender retries once deliveries finish.
 */
export class FalkorDeduplicationStoreFullError extends Error {
  /**
   * @param maxEntries - the store's cap
   */
  constructor(readonly maxEntries: number) {
    super(
      `MemoryFalkorDeduplicationStore is full of deliveries in flight: all ${maxEntries} of its ` +
        'records ("maxEntries") are reservations of deliveries still being processed, and none ' +
        'may be forgotten while it runs, so a new delivery was not reserved. Raise "maxEntries" ' +
        'above the number of deliveries processed at once, or lower ' +
        '"deduplication.inFlightTtlSeconds" so that abandoned reservations expire sooner.',
    );
    this.name = 'FalkorDeduplicationStoreFullError';
  }
}

interface Entry {
  readonly token: string;
  expiresAt: number;
}

const EXPIRED_CHECKS_PER_RESERVATION = 2;

/** Drops up to `count` expired records from the oldest end of a map kept in expiry order. */
function dropExpired(entries: Map<string, Entry>, now: number, count: number): void {
  for (const [key, entry] of entries) {
    if (count === 0 || entry.expiresAt > now) {
      return;
    }
    entries.delete(key);
    count--;
  }
}

/**
 * A {@link FalkorDeduplicationStore} in the process's memory: the default when de-duplication is
 * on without a `store`. It only de-duplicates deliveries that reach this process; use
 * {@link RedisFalkorDeduplicationStore} when several instances receive the webhook.
 *
 * Memory is bounded: every record has a TTL, at most `maxEntries` are kept, and every operation
 * takes constant time. Reservations in flight and completed records are kept apart, each in the
 * order they expire; each reservation drops up to two expired records from the oldest end of
 * each, and, when the store is full, the record completed longest ago. A reservation in flight
 * is never forgotten before its TTL: a store full of them throws
 * {@link FalkorDeduplicationStoreFullError} rather than let a copy of a running delivery run.
 */
export class MemoryFalkorDeduplicationStore implements FalkorDeduplicationStore {
  private readonly inFlight = new Map<string, Entry>();
  private readonly completed = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  /**
   * @param options - size cap and clock
   * @throws TypeError when `maxEntries` is not a positive whole number or `now` not a function
   */
  constructor(options: MemoryFalkorDeduplicationStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? DEFAULT_FALKOR_DEDUPLICATION_MAX_ENTRIES;
    if (!Number.isSafeInteger(maxEntries) || maxEntries <= 0) {
      throw new TypeError(
        `MemoryFalkorDeduplicationStore: "maxEntries" must be a positive whole number, got ${String(maxEntries)}.`,
      );
    }
    if (options.now !== undefined && typeof options.now !== 'function') {
      throw new TypeError('MemoryFalkorDeduplicationStore: "now" must be a function returning ms.');
    }
    this.maxEntries = maxEntries;
    this.now = options.now ?? Date.now;
  }

  /** How many records the store holds, expired ones not yet dropped included. */
  get size(): number {
    return this.inFlight.size + this.completed.size;
  }

  /**
   * {@inheritDoc FalkorDeduplicationStore.reserve}
   *
   * @throws FalkorDeduplicationStoreFullError when every record is a reservation in flight
   */
  async reserve(key: string, token: string, ttlMs: number): Promise<FalkorReservationResult> {
    const now = this.now();
    const completed = this.completed.get(key);
    if (completed !== undefined) {
      if (completed.expiresAt > now) {
        return 'completed';
      }
      this.completed.delete(key);
    }
    const held = this.inFlight.get(key);
    if (held !== undefined) {
      if (held.expiresAt > now) {
        return held.token === token ? 'reserved' : 'in_flight';
      }
      this.inFlight.delete(key);
    }
    this.makeRoom(now);
    this.inFlight.set(key, { token, expiresAt: now + ttlMs });
    return 'reserved';
  }

  /** {@inheritDoc FalkorDeduplicationStore.complete} */
  async complete(key: string, token: string, ttlMs: number): Promise<boolean> {
    const completed = this.completed.get(key);
    if (completed !== undefined) {
      return completed.token === token;
    }
    const held = this.inFlight.get(key);
    if (held === undefined || held.token !== token) {
      return false;
    }
    this.inFlight.delete(key);
    // Completed records are kept in the order they expire: the newest goes last.
    this.completed.set(key, { token, expiresAt: this.now() + ttlMs });
    return true;
  }

  /** {@inheritDoc FalkorDeduplicationStore.release} */
  async release(key: string, token: string): Promise<boolean> {
    const held = this.inFlight.get(key);
    return held !== undefined && held.token === token && this.inFlight.delete(key);
  }

  /**
   * {@inheritDoc FalkorDeduplicationStore.reserveMany}
   *
   * @throws FalkorDeduplicationStoreFullError when every record is a reservation in flight; the
   *   keys reserved before it stay reserved, and the caller releases them with its token
   */
  async reserveMany(
    keys: readonly string[],
    token: string,
    ttlMs: number,
  ): Promise<FalkorReservationResult[]> {
    return Promise.all(keys.map((key) => this.reserve(key, token, ttlMs)));
  }

  /** {@inheritDoc FalkorDeduplicationStore.completeMany} */
  async completeMany(keys: readonly string[], token: string, ttlMs: number): Promise<boolean[]> {
    return Promise.all(keys.map((key) => this.complete(key, token, ttlMs)));
  }

  /** {@inheritDoc FalkorDeduplicationStore.releaseMany} */
  async releaseMany(keys: readonly string[], token: string): Promise<boolean[]> {
    return Promise.all(keys.map((key) => this.release(key, token)));
  }

  private makeRoom(now: number): void {
    dropExpired(this.completed, now, EXPIRED_CHECKS_PER_RESERVATION);
    dropExpired(this.inFlight, now, EXPIRED_CHECKS_PER_RESERVATION);
    if (this.size < this.maxEntries) {
      return;
    }
    const oldest = this.completed.keys().next();
    if (oldest.done) {
      throw new FalkorDeduplicationStoreFullError(this.maxEntries);
    }
    this.completed.delete(oldest.value);
  }
}
