import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';

/** What the receiver answered. */
export interface SentResponse {
  readonly status: number;
  readonly retryAfter: string | undefined;
  readonly body: Readonly<Record<string, unknown>>;
}

/** A delivery as sent: the exact body and its headers. */
export interface Sendable {
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Sends deliveries to one app over keep-alive connections, as a platform's sender does.
 */
export class DeliverySender {
  private readonly agent: Agent;
  private readonly port: number;

  /**
   * @param app - a listening app
   * @param maxSockets - the most connections open at once
   */
  constructor(
    app: INestApplication,
    maxSockets = 100,
    private readonly path = '/webhooks/falkor',
  ) {
    this.port = (app.getHttpServer().address() as AddressInfo).port;
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  /** POSTs one delivery; rejects on a network error (refused or reset connection). */
  send(delivery: Sendable): Promise<SentResponse> {
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          host: '127.0.0.1',
          port: this.port,
          path: this.path,
          method: 'POST',
          agent: this.agent,
          headers: { ...delivery.headers, 'Content-Length': Buffer.byteLength(delivery.body) },
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', reject);
          incoming.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: Record<string, unknown>;
            try {
              body = JSON.parse(text) as Record<string, unknown>;
            } catch {
              body = { text };
            }
            const retryAfter = incoming.headers['retry-after'];
            resolve({ status: incoming.statusCode ?? 0, retryAfter, body });
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(delivery.body);
    });
  }

  /** Closes the sender's idle connections. */
  close(): void {
    this.agent.destroy();
  }
}
