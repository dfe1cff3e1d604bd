import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type AdapterName, SERVER_CPU, type VariantName } from '../bench.config.js';
import type { ServerReply, ServerRequest } from './server.protocol.js';

const SERVER_SCRIPT = fileURLToPath(new URL('./bench.server.js', import.meta.url));

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** Extra Node.js flags, e.g. `--expose-gc` or `--cpu-prof`. */
  readonly nodeFlags?: readonly string[];
  /** Pin the server to its CPU with `taskset` (default `true`). */
  readonly pinned?: boolean;
  /** A command Node.js runs under, e.g. `valgrind` with its options (it is then not pinned). */
  readonly runner?: readonly string[];
}

/** A benchmark server running in its own process. */
export class BenchServer {
  private constructor(
    readonly variant: VariantName,
    readonly adapter: AdapterName,
    readonly url: string,
    private readonly child: ChildProcess,
  ) {}

  /**
   * Starts a server process (pinned to the server CPU) and waits until it listens.
   */
  static async start(
    variant: VariantName,
    adapter: AdapterName,
    options: StartServerOptions = {},
  ): Promise<BenchServer> {
    const node = [process.execPath, ...(options.nodeFlags ?? []), SERVER_SCRIPT, variant, adapter];
    const [command, ...args] = options.runner
      ? [...options.runner, ...node]
      : options.pinned === false
        ? node
        : ['taskset', '-c', SERVER_CPU, ...node];
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const reply = await BenchServer.next(child, 'listening');
    return new BenchServer(variant, adapter, `http://127.0.0.1:${reply.port}`, child);
  }

  private static next<T extends ServerReply['type']>(
    child: ChildProcess,
    type: T,
  ): Promise<Extract<ServerReply, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: ServerReply) => {
        if (message.type === type) {
          cleanUp();
          resolve(message as Extract<ServerReply, { type: T }>);
        }
      };
      const onExit = (code: number | null) => {
        cleanUp();
        reject(new Error(`The benchmark server exited (code ${String(code)}) before answering.`));
      };
      const cleanUp = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
  }

  /** The server's process id (under a runner such as valgrind, the runner's, which is the same). */
  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** The server's heap in use after two forced garbage collections (needs `--expose-gc`). */
  async heapUsed(): Promise<number> {
    const answer = BenchServer.next(this.child, 'heap');
    this.send({ type: 'heap' });
    return (await answer).heapUsed;
  }

  /** The CPU time (user and system) the server process has used so far, in microseconds. */
  async cpuMicros(): Promise<number> {
    const answer = BenchServer.next(this.child, 'cpu');
    this.send({ type: 'cpu' });
    return (await answer).micros;
  }

  /** Closes the app and waits for the process to exit (which writes a `--cpu-prof` profile). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) {
      return;
    }
    const exited = once(this.child, 'exit');
    this.send({ type: 'stop' });
    await exited;
  }

  private send(message: ServerRequest): void {
    this.child.send(message);
  }
}
