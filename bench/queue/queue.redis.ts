import { Redis } from 'ioredis';
import { type FalkorQueueClient, openFalkorQueue } from 'nestjs-falkor-webhook';
import { BenchRedis } from '../records/redis.server.js';

/** The job counts of a queue that a row checks. */
export interface JobCounts {
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly completed: number;
  readonly failed: number;
}

/**
 * The throwaway redis-server of a run, with a client to flush it and read the queues' job counts.
 * There is no REDIS_URL: every row flushes the whole server.
 */
export class QueueBenchRedis {
  private readonly queues = new Map<string, FalkorQueueClient>();

  private constructor(
    /** Its URL. */
    readonly url: string,
    private readonly admin: Redis,
    private readonly server: BenchRedis,
  ) {}

  /** Starts redis-server on a free port. */
  static async start(): Promise<QueueBenchRedis> {
    const server = await BenchRedis.start();
    return new QueueBenchRedis(server.url, new Redis(server.url), server);
  }

  /** The BullMQ connection options of its URL. */
  get connection(): { host: string; port: number } {
    const url = new URL(this.url);
    return { host: url.hostname, port: Number(url.port || 6379) };
  }

  /** The CPU time (user and system) redis-server has used so far, in microseconds. */
  async cpuMicros(): Promise<number> {
    const info = await this.admin.info('cpu');
    const seconds = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1]);
    return (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1e6;
  }

  /** Deletes every key: each row starts from an empty Redis. */
  async flush(): Promise<void> {
    await this.admin.flushall();
  }

  /** The job counts of a queue. */
  async counts(name: string): Promise<JobCounts> {
    let client = this.queues.get(name);
    if (client === undefined) {
      client = await openFalkorQueue({ connection: this.connection, name });
      this.queues.set(name, client);
    }
    const counts = await client.queue.getJobCounts(
      'waiting',
      'active',
      'delayed',
      'completed',
      'failed',
    );
    return {
      waiting: counts.waiting ?? 0,
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      completed: counts.completed ?? 0,
      failed: counts.failed ?? 0,
    };
  }

  /** Closes the clients and stops the server it started. */
  async stop(): Promise<void> {
    await Promise.all([...this.queues.values()].map((client) => client.close()));
    await this.admin.quit();
    await this.server.stop();
  }
}
