import type { FalkorDeduplicationStore, FalkorReservationResult } from './deduplication.store.js';

/** The default {@link MemoryFalkorDeduplicationStoreOptions.maxEntries}. */
export const DEFAULT_FALKOR_DEDUPLICATION_MAX_ENTRIES = 100_000;

/**
 * Options of {@link MemoryFalkorDeduplicationStore}.
 */
export interface MemoryFalkorDeduplicationStoreOptions {
  /**
   * The most keys kept at once. When a new key would exceed it, the oldest record is forgotten
   * early. Default 100,000 (about 27 MB with the default 64-character keys).
   */
  readonly maxEntries?: number;
  /** The clock, in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

interface Entry {
  readonly token: string;
  completed: boolean;
  expiresAt: number;
}

const EXPIRED_CHECKS_PER_RESERVATION = 2;

/**
 * A {@link FalkorDeduplicationStore} in the process's memory: the default when de-duplication is
 * on without a `store`. It only de-duplicates deliveries that reach this process; use
 * {@link RedisFalkorDeduplicationStore} when several instances receive the webhook.
 *
 * Memory is bounded: every record has a TTL, at most `maxEntries` are kept, and every operation
 * takes constant time (records are kept in insertion order; each reservation drops up to two
 * expired records from the oldest end, and the oldest record when the store is full).
 */
export class MemoryFalkorDeduplicationStore implements FalkorDeduplicationStore {
  private readonly entries = new Map<string, Entry>();
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
    return this.entries.size;
  }

  /** {@inheritDoc FalkorDeduplicationStore.reserve} */
  async reserve(key: string, token: string, ttlMs: number): Promise<FalkorReservationResult> {
    const now = this.now();
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      if (entry.expiresAt > now) {
        return entry.completed ? 'completed' : entry.token === token ? 'reserved' : 'in_flight';
      }
      this.entries.delete(key);
    }
    this.makeRoom(now);
    this.entries.set(key, { token, completed: false, expiresAt: now + ttlMs });
    return 'reserved';
  }

  /** {@inheritDoc FalkorDeduplicationStore.complete} */
  async complete(key: string, token: string, ttlMs: number): Promise<boolean> {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.token !== token) {
      return false;
    }
    if (entry.completed) {
      return true;
    }
    this.entries.delete(key);
    entry.completed = true;
    entry.expiresAt = this.now() + ttlMs;
    this.entries.set(key, entry);
    return true;
  }

  /** {@inheritDoc FalkorDeduplicationStore.release} */
  async release(key: string, token: string): Promise<boolean> {
    const entry = this.entries.get(key);
    return (
      entry !== undefined && !entry.completed && entry.token === token && this.entries.delete(key)
    );
  }

  private makeRoom(now: number): void {
    let checked = 0;
    for (const [key, entry] of this.entries) {
      if (checked === EXPIRED_CHECKS_PER_RESERVATION || entry.expiresAt > now) {
        break;
      }
      this.entries.delete(key);
      checked++;
    }
    if (this.entries.size >= this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }
}
