/**
 * What a reservation attempt found for a delivery key.
 * - `reserved`: the key was free and is now held by this reservation, in flight;
 * - `in_flight`: another reservation holds the key and has neither completed nor been released;
 * - `completed`: a delivery with this key was processed successfully and is still remembered.
 */
export type FalkorReservationResult = 'reserved' | 'in_flight' | 'completed';

/**
 * Where the module records which deliveries are in flight and which were processed. Implement it
 * to keep the record in a database of your choice; every method must be atomic with respect to
 * the others for the same key, across every instance that shares the store.
 *
 * A reservation is identified by a `token` that is unique to one processing attempt:
 * {@link FalkorDeduplicationStore.complete} and {@link FalkorDeduplicationStore.release} only
 * act on a key that is still held by the same token, so that an attempt whose reservation has
 * expired can never overwrite or delete someone else's record. Every method must be idempotent for
 * the same token (a client may resend a command whose reply was lost): reserving a key this token
 * already holds answers `reserved`, completing a key this token already completed answers `true`.
 *
 * The three `…Many` methods are optional: record events, which hold one key per change of a
 * delivery, use them to reach the store once per delivery instead of once per change. Each acts
 * on every key as its single-key method would (atomic per key, not across keys) and answers in
 * the order of `keys`. A store without them is called once per key.
 */
export interface FalkorDeduplicationStore {
  /**
   * Holds `key` for this attempt unless it is already recorded, atomically ("set if absent").
   *
   * @param key - the delivery's de-duplication key
   * @param token - a value unique to this attempt
   * @param ttlMs - how long the reservation lasts if it is never completed nor released
   * @returns what was found, see {@link FalkorReservationResult}
   */
  reserve(key: string, token: string, ttlMs: number): Promise<FalkorReservationResult>;

  /**
   * Marks `key` as processed for `ttlMs`, only if it is still held in flight by `token`.
   *
   * @param key - the delivery's de-duplication key
   * @param token - the token given to {@link FalkorDeduplicationStore.reserve}
   * @param ttlMs - how long the processed delivery is remembered
   * @returns whether the key was still held by `token` (and is now completed)
   */
  complete(key: string, token: string, ttlMs: number): Promise<boolean>;

  /**
   * Forgets `key`, only if it is still held in flight by `token`, so that the next delivery with
   * this key is processed.
   *
   * @param key - the delivery's de-duplication key
   * @param token - the token given to {@link FalkorDeduplicationStore.reserve}
   * @returns whether the key was still held by `token` (and is now free)
   */
  release(key: string, token: string): Promise<boolean>;

  /**
   * {@link FalkorDeduplicationStore.reserve} for several keys with one token, in one round trip.
   *
   * @param keys - the keys to hold
   * @param token - a value unique to this attempt
   * @param ttlMs - how long the reservations last if never completed nor released
   * @returns what was found for each key, in the order of `keys`
   */
  reserveMany?(
    keys: readonly string[],
    token: string,
    ttlMs: number,
  ): Promise<FalkorReservationResult[]>;

  /**
   * {@link FalkorDeduplicationStore.complete} for several keys held by one token.
   *
   * @param keys - the keys to mark as processed
   * @param token - the token they were reserved with
   * @param ttlMs - how long they are remembered
   * @returns for each key, whether it was still held by `token`
   */
  completeMany?(keys: readonly string[], token: string, ttlMs: number): Promise<boolean[]>;

  /**
   * {@link FalkorDeduplicationStore.release} for several keys held by one token.
   *
   * @param keys - the keys to forget
   * @param token - the token they were reserved with
   * @returns for each key, whether it was still held by `token`
   */
  releaseMany?(keys: readonly string[], token: string): Promise<boolean[]>;
}
