import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { AdapterName } from '../bench.config.js';
import type {
  ProbeReading,
  QueueBenchKind,
  QueueBenchReply,
  QueueBenchRequest,
} from './queue.protocol.js';

const SERVER_SCRIPT = fileURLToPath(new URL('./queue.server.js', import.meta.url));

/** How to start a {@link QueueBenchProcess}. */
export interface QueueBenchProcessOptions {
  /** The CPU to pin it to. */
  readonly cpu: string;
  /** How long the listener waits, in ms. */
  readonly listenerMs: number;
  /** The queue's name (queue kinds). */
  readonly queueName: string;
  /** The Redis URL (queue kinds). */
  readonly redisUrl?: string;
}

type Reply<T extends QueueBenchReply['type']> = Extract<QueueBenchReply, { type: T }>;

/** One measured app in its own process, pinned to a CPU, driven over IPC. */
export class QueueBenchProcess {
  private readonly waiting = new Map<string, ((reply: QueueBenchReply) => void)[]>();
  private readonly startWaiters: (() => void)[] = [];
  private exited = false;

  private constructor(
    readonly kind: QueueBenchKind,
    readonly adapter: AdapterName,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: QueueBenchReply) => {
      if (message.type === 'started') {
        this.startWaiters.shift()?.();
        return;
      }
      this.waiting.get(message.type)?.shift()?.(message);
    });
    child.once('exit', () => {
      this.exited = true;
    });
  }

  /** The URL of its webhook route, once listening. */
  url = '';

  /**
   * Starts a process and waits until its app listens.
   *
   * @throws Error when the process exits before
   */
  static async start(
    kind: QueueBenchKind,
    adapter: AdapterName,
    options: QueueBenchProcessOptions,
  ): Promise<QueueBenchProcess> {
    const args = [
      '-c',
      options.cpu,
      process.execPath,
      SERVER_SCRIPT,
      kind,
      adapter,
      String(options.listenerMs),
      options.queueName,
      ...(options.redisUrl ? [options.redisUrl] : []),
    ];
    const child = spawn('taskset', args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const server = new QueueBenchProcess(kind, adapter, child);
    const listening = server.reply('listening');
    const exited = once(child, 'exit').then(([code]) => ({ code: code as number | null }));
    const first = await Promise.race([listening, exited]);
    if ('code' in first) {
      throw new Error(`The ${kind} ${adapter} process exited (code ${first.code}) at start.`);
    }
    server.url = `http://127.0.0.1:${first.port}`;
    return server;
  }

  /** The CPU time (user and system) it has used so far, in microseconds. */
  async cpuMicros(): Promise<number> {
    return (await this.ask({ type: 'cpu' }, 'cpu')).micros;
  }

  /**
   * What its listener saw.
   *
   * @param reset - count from nothing afterwards
   */
  async probe(reset = false): Promise<ProbeReading> {
    const { started, finished, latencies } = await this.ask({ type: 'probe', reset }, 'probe');
    return { started, finished, latencies };
  }

  /** Its reading of `CLOCK_MONOTONIC`, in ns. */
  async clockNs(): Promise<bigint> {
    return BigInt((await this.ask({ type: 'clock' }, 'clock')).ns);
  }

  /** Asks it to tell each listener call's start, or to stop telling. */
  notify(on: boolean): void {
    this.send({ type: 'notify', on });
  }

  /** Resolves at the next listener call's start it tells (see {@link QueueBenchProcess.notify}). */
  nextStart(): Promise<void> {
    return new Promise((resolve) => this.startWaiters.push(resolve));
  }

  /** Closes its app and waits for the process to exit. */
  async stop(): Promise<void> {
    if (this.exited) {
      return;
    }
    const exited = once(this.child, 'exit');
    this.send({ type: 'stop' });
    await exited;
  }

  /** The next reply of a type; replies of one type come in the order they were asked for. */
  private reply<T extends QueueBenchReply['type']>(type: T): Promise<Reply<T>> {
    return new Promise<Reply<T>>((resolve) => {
      const queue = this.waiting.get(type) ?? [];
      queue.push(resolve as (reply: QueueBenchReply) => void);
      this.waiting.set(type, queue);
    });
  }

  private ask<T extends QueueBenchReply['type']>(
    request: QueueBenchRequest,
    type: T,
  ): Promise<Reply<T>> {
    const answer = this.reply(type);
    this.send(request);
    return answer;
  }

  private send(message: QueueBenchRequest): void {
    this.child.send(message);
  }
}
