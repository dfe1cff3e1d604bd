import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import {
  DEFAULT_FALKOR_DEDUPLICATION_KEY_PREFIX,
  RedisFalkorDeduplicationStore,
} from '../../src/index.js';
import { startTestRedis, type TestRedis } from '../support/redis.server.js';
import { describeStoreContract, uniqueKey } from '../support/store.contract.js';

const clients: Redis[] = [];
let server: TestRedis;

function client(): Redis {
  const redis = new Redis(server.url);
  clients.push(redis);
  return redis;
}

/**
 * The store's client, except that its first pipeline gets a `SCRIPT FLUSH` after its `after`-th
 * command (0: before the first), as if another client's flush had landed there: Redis runs the
 * commands before it and refuses those after it with NOSCRIPT. The flush's own reply is taken
 * out, so the store sees one reply per command; `sent` counts the commands of each pipeline.
 */
function flushingMidPipeline(redis: Redis, after: number): { client: Redis; sent: number[] } {
  const sent: number[] = [];
  let armed = true;
  const pipeline = () => {
    const inner = redis.pipeline();
    const flushAt = armed ? after : -1;
    armed = false;
    let commands = 0;
    if (flushAt === 0) {
      inner.script('FLUSH');
    }
    const wrapped = {
      evalsha(...args: Parameters<ReturnType<Redis['pipeline']>['evalsha']>) {
        inner.evalsha(...args);
        if (++commands === flushAt) {
          inner.script('FLUSH');
        }
        return wrapped;
      },
      async exec() {
        sent.push(commands);
        const replies = await inner.exec();
        if (flushAt !== -1 && flushAt <= commands) {
          replies?.splice(flushAt, 1);
        }
        return replies;
      },
    };
    return wrapped;
  };
  const client = new Proxy(redis, {
    get(target, property) {
      if (property === 'pipeline') {
        return pipeline;
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { client, sent };
}

beforeAll(async () => {
  server = await startTestRedis();
});

afterAll(async () => {
  await Promise.all(clients.map((redis) => redis.quit()));
  await server.stop();
});

describeStoreContract(
  'RedisFalkorDeduplicationStore',
  () => new RedisFalkorDeduplicationStore(client(), { keyPrefix: 'contract:' }),
  { batchMethods: true },
);

describe('RedisFalkorDeduplicationStore', () => {
  let redis: Redis;

  beforeAll(() => {
    redis = client();
  });

  it('stores a reservation under the prefix with the in-flight TTL, then the completion TTL', async () => {
    const store = new RedisFalkorDeduplicationStore(redis, { keyPrefix: 'acme:falkor:' });
    const key = uniqueKey();
    await store.reserve(key, 'a', 30_000);
    const reservedTtl = await redis.pttl(`acme:falkor:${key}`);
    expect(reservedTtl).toBeGreaterThan(25_000);
    expect(reservedTtl).toBeLessThanOrEqual(30_000);
    await store.complete(key, 'a', 86_400_000);
    expect(await redis.pttl(`acme:falkor:${key}`)).toBeGreaterThan(86_000_000);
    expect(await redis.exists(`${DEFAULT_FALKOR_DEDUPLICATION_KEY_PREFIX}${key}`)).toBe(0);
  });

  it('keeps routes with different prefixes apart', async () => {
    const first = new RedisFalkorDeduplicationStore(redis, { keyPrefix: 'route-a:' });
    const second = new RedisFalkorDeduplicationStore(redis, { keyPrefix: 'route-b:' });
    const key = uniqueKey();
    expect(await first.reserve(key, 'a', 30_000)).toBe('reserved');
    expect(await second.reserve(key, 'b', 30_000)).toBe('reserved');
  });

  it('loads its scripts again after Redis forgot them (SCRIPT FLUSH, a restart, a failover)', async () => {
    const store = new RedisFalkorDeduplicationStore(redis);
    const key = uniqueKey();
    await store.reserve(key, 'a', 30_000);
    await redis.script('FLUSH');
    expect(await store.complete(key, 'a', 30_000)).toBe(true);
    await redis.script('FLUSH');
    await store.reserve(`${key}-2`, 'b', 30_000);
    expect(await store.release(`${key}-2`, 'b')).toBe(true);
  });

  it('sends its pipelined batches again after Redis forgot the scripts (NOSCRIPT)', async () => {
    const store = new RedisFalkorDeduplicationStore(redis, { keyPrefix: 'flushed:' });
    const prefix = uniqueKey('batch');
    const keys = Array.from({ length: 5 }, (_, index) => `${prefix}-${index}`);
    // Redis's count of cached scripts shows that each batch loaded its script again (at least
    // one: a suite sharing REDIS_URL may load its own meanwhile).
    const cachedScripts = async () =>
      Number(/number_of_cached_scripts:(\d+)/.exec(await redis.info('memory'))?.[1]);
    const afterFlush = async <T>(batch: () => Promise<T>): Promise<T> => {
      await redis.script('FLUSH');
      const answers = await batch();
      expect(await cachedScripts()).toBeGreaterThanOrEqual(1);
      return answers;
    };
    expect(await afterFlush(() => store.reserveMany(keys, 'a', 30_000))).toEqual(
      keys.map(() => 'reserved'),
    );
    expect(await redis.get(`flushed:${keys[0]}`)).toBe('in-flight:a');
    expect(await afterFlush(() => store.completeMany(keys.slice(0, 3), 'a', 30_000))).toEqual([
      true,
      true,
      true,
    ]);
    expect(await afterFlush(() => store.releaseMany(keys.slice(3), 'a'))).toEqual([true, true]);
    expect(await afterFlush(() => store.reserveMany(keys, 'b', 30_000))).toEqual([
      'completed',
      'completed',
      'completed',
      'reserved',
      'reserved',
    ]);
  });

  // Regression: after a flush that landed mid-pipeline, the whole pipeline was sent again, so the
  // keys released before the flush answered 0 (`false`) on the resend, though the token held them.
  it('releaseMany answers true for every key it released, even when SCRIPT FLUSH lands mid-pipeline', async () => {
    const keyPrefix = 'mid-flush:';
    const plain = new RedisFalkorDeduplicationStore(redis, { keyPrefix });
    const prefix = uniqueKey('mid-flush');
    const keys = Array.from({ length: 10 }, (_, index) => `${prefix}-${index}`);
    // After the first command, in the middle, before the last; 0: before the call, all refused.
    for (const after of [1, 5, 9, 0]) {
      const token = `t${after}`;
      expect(await plain.reserveMany(keys, token, 30_000)).toEqual(keys.map(() => 'reserved'));
      // Loads the release script, so that only a flush makes Redis refuse it.
      await plain.releaseMany([uniqueKey()], token);
      const flushing = flushingMidPipeline(redis, after);
      const store = new RedisFalkorDeduplicationStore(flushing.client, { keyPrefix });

      expect([after, await store.releaseMany(keys, token)]).toEqual([after, keys.map(() => true)]);
      // The second pipeline carried only the commands Redis refused with NOSCRIPT.
      expect([after, flushing.sent]).toEqual([after, [keys.length, keys.length - after]]);
      expect(await redis.exists(...keys.map((key) => keyPrefix + key))).toBe(0);
    }
  });

  it('completeMany answers each key by its own script run when SCRIPT FLUSH lands mid-pipeline', async () => {
    const keyPrefix = 'mid-flush:';
    const plain = new RedisFalkorDeduplicationStore(redis, { keyPrefix });
    const prefix = uniqueKey('mid-flush-complete');
    const keys = Array.from({ length: 6 }, (_, index) => `${prefix}-${index}`);
    await plain.reserveMany(keys.slice(0, 4), 'mine', 30_000);
    await plain.reserveMany(keys.slice(4), 'theirs', 30_000);
    await plain.completeMany([uniqueKey()], 'mine', 60_000);
    const flushing = flushingMidPipeline(redis, 3);
    const store = new RedisFalkorDeduplicationStore(flushing.client, { keyPrefix });

    expect(await store.completeMany(keys, 'mine', 60_000)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(flushing.sent).toEqual([6, 3]);
    expect(await redis.get(keyPrefix + keys[0])).toBe('completed:mine');
    expect(await redis.get(keyPrefix + keys[5])).toBe('in-flight:theirs');
  });

  it('passes Redis errors on, so that the module can answer 503', async () => {
    const broken = new Redis(server.url, { lazyConnect: true });
    await broken.connect();
    await broken.quit();
    const store = new RedisFalkorDeduplicationStore(broken);
    await expect(store.reserve(uniqueKey(), 'a', 30_000)).rejects.toThrow();
  });

  it('refuses what is not an ioredis client', () => {
    expect(() => new RedisFalkorDeduplicationStore({} as Redis)).toThrow('ioredis');
  });
});
