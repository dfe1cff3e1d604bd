import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type INestApplication, Injectable, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  type FalkorDeduplicationStore,
  FalkorWebhookModule,
  OnFalkorEvent,
} from 'nestjs-falkor-webhook';
import { type AdapterName, BENCH_PATH, BENCH_SECRET } from '../bench.config.js';
import type { BenchRequest } from '../payloads/bench.payloads.js';
import { MODULE_VARIANT } from '../variants/module.variant.js';

@Injectable()
class DeliveryListener {
  @OnFalkorEvent('enrolments')
  onEnrolments(): void {}
}

@Injectable()
class UpdatedListener {
  @OnFalkorEvent('enrolment.updated')
  onUpdated(): void {}
}

/**
 * The root module of one measured app: the module's route with a no-op `enrolments` listener (as
 * the `module` variant of `npm run bench`), and with `listener` a no-op `enrolment.updated` one,
 * its changes recorded in `store`.
 */
function recordsBenchModule(store: FalkorDeduplicationStore, listener: boolean): Type<unknown> {
  @Module({
    imports: [
      EventEmitterModule.forRoot(),
      FalkorWebhookModule.forRoot({ secret: BENCH_SECRET, path: BENCH_PATH, records: { store } }),
    ],
    providers: listener ? [DeliveryListener, UpdatedListener] : [DeliveryListener],
  })
  class RecordsBenchModule {}
  return RecordsBenchModule;
}

/** What the app answered to one delivery, and how long it took from send to last byte. */
export interface TimedAnswer {
  /** The HTTP status. */
  readonly status: number;
  /** The JSON body. */
  readonly body: Readonly<Record<string, unknown>>;
  /** Milliseconds from the request's start to the response's end. */
  readonly ms: number;
}

/**
 * One measured app, listening on loopback in this process, set up as the README's Quick start
 * (the body parsers of the `module` variant), with a keep-alive client of its own.
 */
export class RecordsBenchApp {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });

  private constructor(
    private readonly app: INestApplication,
    private readonly port: number,
  ) {}

  /**
   * Starts an app.
   *
   * @param adapter - the HTTP adapter
   * @param store - where record events record changes
   * @param listener - whether an `enrolment.updated` listener is mounted
   */
  static async start(
    adapter: AdapterName,
    store: FalkorDeduplicationStore,
    listener: boolean,
  ): Promise<RecordsBenchApp> {
    const module = recordsBenchModule(store, listener);
    const options = { rawBody: true, logger: ['error' as const, 'warn' as const] };
    let app: INestApplication;
    if (adapter === 'express') {
      const express = await NestFactory.create<NestExpressApplication>(
        module,
        new ExpressAdapter(),
        options,
      );
      MODULE_VARIANT.setUpExpress(express);
      app = express;
    } else {
      const fastify = await NestFactory.create<NestFastifyApplication>(
        module,
        new FastifyAdapter(MODULE_VARIANT.fastifyOptions),
        options,
      );
      MODULE_VARIANT.setUpFastify(fastify);
      app = fastify;
    }
    await app.listen(0, '127.0.0.1');
    return new RecordsBenchApp(app, (app.getHttpServer().address() as AddressInfo).port);
  }

  /** POSTs one delivery and times it. */
  send(delivery: BenchRequest): Promise<TimedAnswer> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          host: '127.0.0.1',
          port: this.port,
          path: BENCH_PATH,
          method: 'POST',
          agent: this.agent,
          headers: { ...delivery.headers, 'Content-Length': Buffer.byteLength(delivery.body) },
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', reject);
          incoming.on('end', () => {
            const ms = performance.now() - started;
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<
              string,
              unknown
            >;
            resolve({ status: incoming.statusCode ?? 0, body, ms });
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(delivery.body);
    });
  }

  /** Closes the client and the app. */
  async close(): Promise<void> {
    this.agent.destroy();
    await this.app.close();
  }
}
