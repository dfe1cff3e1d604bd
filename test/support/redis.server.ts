import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Options of {@link RedisServer.start}. */
export interface RedisServerOptions {
  /** Keep the data across a restart (append-only file, fsync on every write). Default `false`. */
  readonly persistent?: boolean;
}

const MISSING_REDIS =
  'redis-server is not installed, and the Redis tests need one: install it (apt-get install ' +
  'redis-server), or set REDIS_URL to a Redis the tests may write to (e.g. redis://127.0.0.1:6379).';

const running = new Set<ChildProcess>();
let stoppedWithProcess = false;

/** Stops the servers still running when this process exits or is interrupted or terminated. */
function stopWithProcess(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (stoppedWithProcess) {
    return;
  }
  stoppedWithProcess = true;
  const stopAll = () => running.forEach((server) => server.kill('SIGTERM'));
  process.once('exit', stopAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      stopAll();
      process.kill(process.pid, signal);
    });
  }
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * A throwaway `redis-server` on a free loopback port, in a temporary directory, that can be stopped
 * and started again on the same port.
 */
export class RedisServer {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly directory: string,
    private readonly persistent: boolean,
  ) {}

  /**
   * Starts a server and resolves once it accepts connections.
   *
   * @throws Error naming the fix when redis-server is not installed
   */
  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(
      await freePort(),
      mkdtempSync(join(tmpdir(), 'falkor-redis-')),
      options.persistent ?? false,
    );
    try {
      await server.restart();
    } catch (error) {
      rmSync(server.directory, { recursive: true, force: true });
      throw error;
    }
    return server;
  }

  /** The server's URL, for ioredis. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server again on the same port and directory (after {@link RedisServer.stop}). */
  restart(): Promise<void> {
    const persistence = this.persistent
      ? ['--appendonly', 'yes', '--appendfsync', 'always', '--save', '']
      : ['--appendonly', 'no', '--save', ''];
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.directory, ...persistence],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.process = child;
    stopWithProcess(child);
    return new Promise((resolve, reject) => {
      let output = '';
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          child.stdout?.off('data', onData);
          child.stdout?.resume();
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.resume();
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'ENOENT' ? new Error(MISSING_REDIS) : error),
      );
      child.once('exit', (code) =>
        reject(new Error(`redis-server exited with code ${code} before it was ready:\n${output}`)),
      );
    });
  }

  /** Stops the server (SIGTERM: a persistent server flushes its data) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  /** Stops the server and deletes its directory. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.directory, { recursive: true, force: true });
  }
}

/** The Redis one test file uses, from {@link startTestRedis}. */
export interface TestRedis {
  /** The URL to give ioredis. */
  readonly url: string;
  /** Stops and deletes the server if this file started one: call it once the file's clients quit. */
  stop(): Promise<void>;
}

/**
 * Gives one Redis suite its Redis, from its `beforeAll`: REDIS_URL when set (as `.ci/run` does),
 * otherwise a throwaway redis-server on a free loopback port, without persistence, for this test
 * file only. Only the suites that call it need a Redis, so `npx jest test/core` starts none.
 *
 * @throws Error naming the fix when REDIS_URL is unset and redis-server is not installed
 */
export async function startTestRedis(): Promise<TestRedis> {
  const url = process.env.REDIS_URL;
  if (url) {
    return { url, stop: async () => undefined };
  }
  const server = await RedisServer.start();
  return { url: server.url, stop: () => server.dispose() };
}
