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
const RELEASE = script(
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
);

/**
 * A {@link FalkorDeduplicationStore} in Redis, shared by every instance that uses the same Redis:
 * a reservation is one `SET key value NX PX ttl` (followed by a `GET` when the key exists, to tell
 * a completed delivery from one in flight), and completing or releasing it is a Lua script that
 * only touches the key while it still holds this reservation's token. Works with a
 * standalone `Redis` client and with a `Cluster` (every operation uses a single key).
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
