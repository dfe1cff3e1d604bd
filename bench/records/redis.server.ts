import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/** A free TCP port on the loopback interface. */
function freePort(): Promise<number> {
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
 * A throwaway `redis-server` for a benchmark: a free loopback port, no persistence, stopped with
 * the benchmark. (The test suite has its own starter; nothing outside test/ imports from it.)
 */
export class BenchRedis {
  private constructor(
    /** The server's URL, for ioredis. */
    readonly url: string,
    private readonly child: ChildProcess,
  ) {}

  /**
   * Starts a server and resolves once it accepts connections.
   *
   * @throws Error naming the fix when redis-server is not installed
   */
  static async start(): Promise<BenchRedis> {
    const port = await freePort();
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    // A benchmark that fails half-way must not leave its Redis behind.
    process.once('exit', () => child.kill('SIGTERM'));
    await new Promise<void>((resolve, reject) => {
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          child.stdout?.removeAllListeners('data');
          child.stdout?.resume();
          resolve();
        }
      });
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'ENOENT'
            ? new Error('redis-server is not installed: apt-get install redis-server.')
            : error,
        ),
      );
      child.once('exit', (code) => reject(new Error(`redis-server exited with code ${code}.`)));
    });
    return new BenchRedis(`redis://127.0.0.1:${port}`, child);
  }

  /** Stops the server and waits for it to exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      return;
    }
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }
}
