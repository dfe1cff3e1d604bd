import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type { FalkorDeduplicationStore, FalkorReservationResult } from './deduplication.store.js';

/** The default {@link RedisFalkorDeduplicationStoreOptions.keyPrefix}. */
export const DEFAULT_FALKOR_DEDUPLICATION_KEY_PREFIX = 'falkor-webhook:delivery:';

/**
 * Options of {@link RedisFalkorDeduplicationStore}.
 */
export interface RedisFalkorDeduplicationStoreOptions {
  /**
   * Prepended to every delivery key. Give each webhook route that shares a Redis database its own
   * prefix. Default `'falkor-webhook:delivery:'`.
   */
  readonly keyPrefix?: string;
}

const IN_FLIGHT = 'in-flight:';
const COMPLETED = 'completed:';

interface Script {
  readonly source: string;
  readonly sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

const COMPLETE = script(
  "local value = redis.call('GET', KEYS[1]) " +
    "if value == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end " +
    'if value == ARGV[2] then return 1 end return 0',
);
const RESERVE = script(
  "if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 'reserved' end " +
    "local value = redis.call('GET', KEYS[1]) " +
    "if value == ARGV[1] then return 'reserved' end " +
    "if value and string.sub(value, 1, #ARGV[3]) == ARGV[3] then return 'completed' end " +
    "return 'in_flight'",
);
const RELEASE = script(
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
);

/**
 * A {@link FalkorDeduplicationStore} in Redis, shared by every instance that uses the same Redis:
 * a reservation is one `SET key value NX PX ttl` (followed by a `GET` when the key exists, to tell
 * a completed delivery from one in flight), and completing or releasing it is a Lua script that
 * only touches the key while it still holds this reservation's token. Works with a
 * standalone `Redis` client and with a `Cluster` (every operation uses a single key). The `…Many`
 * methods send one script per key in a single pipeline on a standalone client (one round trip),
 * and one command per key on a cluster, whose pipelines cannot span nodes.
 *
 * Pass your own ioredis client; the store never connects, configures or closes it. Close it in
 * `onApplicationShutdown` (not `onModuleDestroy`), so that deliveries still in flight during
 * shutdown can record their outcome.
 *
 * @example
 * ```ts
 * new RedisFalkorDeduplicationStore(new Redis(process.env.REDIS_URL), { keyPrefix: 'acme:falkor:' })
 * ```
 */
export class RedisFalkorDeduplicationStore implements FalkorDeduplicationStore {
  private readonly keyPrefix: string;

  /**
   * @param redis - an ioredis client (or cluster) of your own
   * @param options - the key prefix
   * @throws TypeError when `redis` is not an ioredis client or `keyPrefix` is not a string
   */
  constructor(
    private readonly redis: Redis | Cluster,
    options: RedisFalkorDeduplicationStoreOptions = {},
  ) {
    if (typeof redis?.set !== 'function' || typeof redis?.evalsha !== 'function') {
      throw new TypeError(
        'RedisFalkorDeduplicationStore needs an ioredis client: pass new Redis(url) from "ioredis".',
      );
    }
    const keyPrefix = options.keyPrefix ?? DEFAULT_FALKOR_DEDUPLICATION_KEY_PREFIX;
    if (typeof keyPrefix !== 'string') {
      throw new TypeError('RedisFalkorDeduplicationStore: "keyPrefix" must be a string.');
    }
    this.keyPrefix = keyPrefix;
  }

  /** {@inheritDoc FalkorDeduplicationStore.reserve} */
  async reserve(key: string, token: string, ttlMs: number): Promise<FalkorReservationResult> {
    const redisKey = this.keyPrefix + key;
    if ((await this.redis.set(redisKey, IN_FLIGHT + token, 'PX', ttlMs, 'NX')) === 'OK') {
      return 'reserved';
    }
    const value = await this.redis.get(redisKey);
    if (value === IN_FLIGHT + token) {
      return 'reserved';
    }
    return value !== null && value.startsWith(COMPLETED) ? 'completed' : 'in_flight';
  }

  /** {@inheritDoc FalkorDeduplicationStore.complete} */
  async complete(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.run(COMPLETE, key, IN_FLIGHT + token, COMPLETED + token, ttlMs)) === 1;
  }

  /** {@inheritDoc FalkorDeduplicationStore.release} */
  async release(key: string, token: string): Promise<boolean> {
    return (await this.run(RELEASE, key, IN_FLIGHT + token)) === 1;
  }

  /** {@inheritDoc FalkorDeduplicationStore.reserveMany} */
  async reserveMany(
    keys: readonly string[],
    token: string,
    ttlMs: number,
  ): Promise<FalkorReservationResult[]> {
    if (this.redis.isCluster) {
      return Promise.all(keys.map((key) => this.reserve(key, token, ttlMs)));
    }
    return this.pipelined(RESERVE, keys, IN_FLIGHT + token, ttlMs, COMPLETED) as Promise<
      FalkorReservationResult[]
    >;
  }

  /** {@inheritDoc FalkorDeduplicationStore.completeMany} */
  async completeMany(keys: readonly string[], token: string, ttlMs: number): Promise<boolean[]> {
    if (this.redis.isCluster) {
      return Promise.all(keys.map((key) => this.complete(key, token, ttlMs)));
    }
    const results = await this.pipelined(
      COMPLETE,
      keys,
      IN_FLIGHT + token,
      COMPLETED + token,
      ttlMs,
    );
    return results.map((result) => result === 1);
  }

  /** {@inheritDoc FalkorDeduplicationStore.releaseMany} */
  async releaseMany(keys: readonly string[], token: string): Promise<boolean[]> {
    if (this.redis.isCluster) {
      return Promise.all(keys.map((key) => this.release(key, token)));
    }
    const results = await this.pipelined(RELEASE, keys, IN_FLIGHT + token);
    return results.map((result) => result === 1);
  }

  /**
   * Runs a script once per key in one pipeline. After a script cache flush (a restarted Redis),
   * the script is loaded and only the commands Redis refused with NOSCRIPT are sent again, so
   * that each key's answer is the one its script gave.
   */
  private async pipelined(
    script: Script,
    keys: readonly string[],
    ...args: (string | number)[]
  ): Promise<unknown[]> {
    const send = async (indexes: readonly number[]) => {
      const pipeline = (this.redis as Redis).pipeline();
      for (const index of indexes) {
        pipeline.evalsha(script.sha, 1, this.keyPrefix + keys[index], ...args);
      }
      return (await pipeline.exec()) ?? [];
    };
    const replies = await send(keys.map((_, index) => index));
    const refused = keys
      .map((_, index) => index)
      .filter((index) => String(replies[index]?.[0]?.message).startsWith('NOSCRIPT'));
    if (refused.length > 0) {
      await this.redis.script('LOAD', script.source);
      const again = await send(refused);
      refused.forEach((index, position) => {
        replies[index] = again[position];
      });
    }
    return replies.map(([error, result]) => {
      if (error) {
        throw error;
      }
      return result;
    });
  }

  private async run(script: Script, key: string, ...args: (string | number)[]): Promise<unknown> {
    const redisKey = this.keyPrefix + key;
    try {
      return await this.redis.evalsha(script.sha, 1, redisKey, ...args);
    } catch (error) {
      if (!String((error as Error)?.message).startsWith('NOSCRIPT')) {
        throw error;
      }
      return this.redis.eval(script.source, 1, redisKey, ...args);
    }
  }
}
