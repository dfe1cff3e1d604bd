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
