import { Agent, request } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { BENCH_PATH } from '../bench.config.js';
import type { BenchRequest } from '../payloads/bench.payloads.js';
import type { QueueBenchProcess } from './queue.process.js';
import type { UniqueDeliveries } from './unique.deliveries.js';

/** How long the idle run waits for a listener's start before it gives up. */
const START_DEADLINE_MS = 10_000;

/** Waits for a listener's start, failing the run rather than hanging when none comes. */
async function withinDeadline(started: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`No listener started within ${START_DEADLINE_MS} ms of its answer.`)),
      START_DEADLINE_MS,
    );
  });
  try {
    await Promise.race([started, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** One answer: its status and the time from the request's start to the answer's last byte. */
export interface PostAnswer {
  readonly status: number;
  readonly ms: number;
}

/** A keep-alive HTTP client of a webhook route, for paced sending (autocannon sends flat out). */
export class WebhookClient {
  private readonly agent: Agent;
  private readonly url: URL;

  /**
   * @param url - the server's base URL
   * @param sockets - the most connections it opens
   */
  constructor(url: string, sockets: number) {
    this.url = new URL(url);
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  /** POSTs one delivery. */
  post(delivery: BenchRequest): Promise<PostAnswer> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          host: this.url.hostname,
          port: this.url.port,
          path: BENCH_PATH,
          method: 'POST',
          agent: this.agent,
          headers: { ...delivery.headers, 'Content-Length': Buffer.byteLength(delivery.body) },
        },
        (incoming) => {
          incoming.resume();
          incoming.on('error', reject);
          incoming.on('end', () =>
            resolve({ status: incoming.statusCode ?? 0, ms: performance.now() - started }),
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(delivery.body);
    });
  }

  /** Closes its connections. */
  close(): void {
    this.agent.destroy();
  }
}

/**
 * Sends deliveries at a steady rate for a while, whatever the answers' latency (an open loop, as
 * a platform sends), each built and signed with the clock read when it is sent.
 *
 * @returns every answer
 */
export async function sendAtRate(
  client: WebhookClient,
  deliveries: UniqueDeliveries,
  rate: number,
  seconds: number,
): Promise<PostAnswer[]> {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const answers: Promise<PostAnswer>[] = [];
  const start = performance.now();
  while (answers.length < total) {
    const due = start + answers.length * interval;
    const wait = due - performance.now();
    if (wait > 0) {
      await delay(wait);
    }
    // A timer that fires late sends what fell due meanwhile at once.
    while (answers.length < total && start + answers.length * interval <= performance.now()) {
      answers.push(client.post(deliveries.next()));
    }
  }
  return Promise.all(answers);
}

/**
 * Sends deliveries one at a time: each once the last one's answer has come and its listener has
 * started in `listening` (so that nothing else is in flight), then a short pause.
 *
 * @returns every answer
 */
export async function sendOneAtATime(
  client: WebhookClient,
  deliveries: UniqueDeliveries,
  count: number,
  listening: QueueBenchProcess,
  pauseMs: number,
): Promise<PostAnswer[]> {
  const answers: PostAnswer[] = [];
  listening.notify(true);
  try {
    for (let i = 0; i < count; i++) {
      const started = listening.nextStart();
      answers.push(await client.post(deliveries.next()));
      await withinDeadline(started);
      await delay(pauseMs);
    }
  } finally {
    listening.notify(false);
  }
  return answers;
}
