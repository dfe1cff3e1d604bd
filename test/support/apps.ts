import {
  type DynamicModule,
  type INestApplication,
  Injectable,
  Module,
  type Provider,
  type Type,
} from '@nestjs/common';
import request from 'supertest';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  DEFAULT_FALKOR_MAX_BODY_BYTES,
  falkorBodyParserOptions,
  FalkorWebhookModule,
  type FalkorWebhookEvent,
  OnFalkorEvent,
} from '../../src/index.js';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { LoggerService, NestApplicationOptions } from '@nestjs/common';
import type { FastifyServerOptions } from 'fastify';

/** The HTTP adapters every e2e suite runs on. */
export const adapters = ['express', 'fastify'] as const;

/** An HTTP adapter name. */
export type AdapterName = (typeof adapters)[number];

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  readonly rawBody?: boolean;
  readonly globalPrefix?: string;
  readonly providers?: readonly Provider[];
  readonly bodyLimit?: number;
  /** Where the app logs; default `false` (silent). */
  readonly logger?: LoggerService | false;
}

/** The secret test apps use unless told otherwise. */
export const TEST_SECRET = 'test-secret-0123456789';

/**
 * Starts a Nest app with the given modules on an adapter, listening on a free loopback port.
 */
export async function createApp(
  adapter: AdapterName,
  imports: (DynamicModule | Type<unknown>)[],
  options: CreateAppOptions = {},
): Promise<INestApplication> {
  @Module({
    imports: [EventEmitterModule.forRoot(), ...imports],
    providers: [...(options.providers ?? [])],
  })
  class TestAppModule {}

  const app =
    adapter === 'express'
      ? await NestFactory.create(TestAppModule, new ExpressAdapter(), {
          rawBody: options.rawBody ?? true,
          logger: options.logger ?? false,
        })
      : await NestFactory.create<NestFastifyApplication>(
          TestAppModule,
          new FastifyAdapter(options.bodyLimit ? { bodyLimit: options.bodyLimit } : undefined),
          { rawBody: options.rawBody ?? true, logger: options.logger ?? false },
        );
  if (options.globalPrefix) {
    app.setGlobalPrefix(options.globalPrefix);
  }
  await app.listen(0, '127.0.0.1');
  return app;
}

/** The Quick start's timeouts, in milliseconds: what the README's Fastify set-up passes. */
export const QUICK_START_TIMEOUT_MS = 30_000;

/** Timeouts of {@link createQuickStartApp}, in milliseconds. */
export interface QuickStartTimeouts {
  /**
   * The longest a request may take to arrive, head and body. On Fastify its `requestTimeout`,
   * default {@link QUICK_START_TIMEOUT_MS}; on Express Node's `server.requestTimeout`, default
   * Node's own (300 s). Node's `headersTimeout` is lowered to it: Node swaps the two when
   * `headersTimeout` (60 s by default) is the longer, so the body would get 60 s.
   */
  readonly requestTimeout?: number;
  /** Fastify's `connectionTimeout` (the socket's idle timeout). Default {@link QUICK_START_TIMEOUT_MS}. */
  readonly connectionTimeout?: number;
  /**
   * How often Node checks `requestTimeout` (its `connectionsCheckingInterval`, 30 s by default):
   * a timeout is only noticed at the next check, so a test of a short one needs a short interval.
   */
  readonly checkingInterval?: number;
}

/**
 * Starts an app with the README's Quick start set-up on an adapter: on Express, the raw body
 * parser of `falkorBodyParserOptions()` on the webhook route; on Fastify, an 8 MiB body limit,
 * 30 s connection and request timeouts (Fastify has none by default) and parsers keeping the raw
 * body for JSON, forms, `text/plain` and any other content type (none included).
 */
export async function createQuickStartApp(
  adapter: AdapterName,
  imports: (DynamicModule | Type<unknown>)[],
  providers: readonly Provider[] = [],
  logger: LoggerService | false = false,
  timeouts: QuickStartTimeouts = {},
): Promise<INestApplication> {
  @Module({ imports: [EventEmitterModule.forRoot(), ...imports], providers: [...providers] })
  class QuickStartAppModule {}

  let app: INestApplication;
  let requestTimeout = timeouts.requestTimeout;
  if (adapter === 'express') {
    const express = await NestFactory.create<NestExpressApplication>(QuickStartAppModule, {
      rawBody: true,
      logger,
    });
    express.useBodyParser('raw', falkorBodyParserOptions());
    app = express;
  } else {
    requestTimeout ??= QUICK_START_TIMEOUT_MS;
    const fastify = await NestFactory.create<NestFastifyApplication>(
      QuickStartAppModule,
      new FastifyAdapter({
        bodyLimit: DEFAULT_FALKOR_MAX_BODY_BYTES,
        connectionTimeout: timeouts.connectionTimeout ?? QUICK_START_TIMEOUT_MS,
        requestTimeout,
      }),
      { rawBody: true, logger },
    );
    fastify.useBodyParser([
      'application/json',
      'application/x-www-form-urlencoded',
      'text/plain',
      '*',
    ]);
    app = fastify;
  }
  // Node reads these at each check, and the check interval when the server starts listening.
  const server = app.getHttpServer() as import('node:http').Server;
  if (requestTimeout !== undefined) {
    server.requestTimeout = requestTimeout;
    server.headersTimeout = Math.min(server.headersTimeout, requestTimeout);
  }
  if (timeouts.checkingInterval !== undefined) {
    // Not in @types/node's Server, though Node keeps it there (from createServer's options).
    Object.assign(server, { connectionsCheckingInterval: timeouts.checkingInterval });
  }
  await app.listen(0, '127.0.0.1');
  return app;
}

/** The module as most tests import it. */
export function webhookModule(
  options: Partial<Parameters<typeof FalkorWebhookModule.forRoot>[0]> = {},
) {
  return FalkorWebhookModule.forRoot({ secret: TEST_SECRET, ...options });
}

/** Records every event it receives, for assertions. */
@Injectable()
export class RecordingListener {
  readonly received: FalkorWebhookEvent[] = [];

  @OnFalkorEvent('enrolments')
  onEnrolments(event: FalkorWebhookEvent<'enrolments'>): void {
    this.received.push(event);
  }

  @OnFalkorEvent('events')
  onEvents(event: FalkorWebhookEvent<'events'>): void {
    this.received.push(event);
  }

  @OnFalkorEvent('rewards')
  onRewards(event: FalkorWebhookEvent<'rewards'>): void {
    this.received.push(event);
  }
}

/**
 * POSTs exact bytes: supertest would otherwise serialise a Buffer sent as JSON.
 */
export function postRaw(
  app: INestApplication,
  path: string,
  body: string | Buffer,
  headers: Record<string, string>,
) {
  return request(app.getHttpServer())
    .post(path)
    .set(headers)
    .serialize((data: unknown) => data as string)
    .send(body);
}

/** Options of {@link createCustomApp}. */
export interface CreateCustomAppOptions {
  readonly imports?: (DynamicModule | Type<unknown>)[];
  readonly controllers?: Type<unknown>[];
  readonly providers?: readonly Provider[];
  /** Merged over `{ rawBody: true, logger: false, abortOnError: false }`. */
  readonly appOptions?: NestApplicationOptions;
  /** Options of the Fastify instance (ignored on Express). */
  readonly fastify?: FastifyServerOptions;
  /** Runs after the app is created and before it listens, e.g. to mount middleware. */
  readonly beforeListen?: (app: INestApplication) => void;
}

/**
 * Starts a Nest app on an adapter with controllers, application options and adapter options of the
 * test's choosing, listening on a free loopback port. Creation errors are thrown, not aborted on.
 */
export async function createCustomApp(
  adapter: AdapterName,
  options: CreateCustomAppOptions = {},
): Promise<INestApplication> {
  @Module({
    imports: options.imports ?? [],
    controllers: options.controllers ?? [],
    providers: [...(options.providers ?? [])],
  })
  class CustomAppModule {}

  const appOptions: NestApplicationOptions = {
    rawBody: true,
    logger: false,
    abortOnError: false,
    ...options.appOptions,
  };
  const app =
    adapter === 'express'
      ? await NestFactory.create(CustomAppModule, new ExpressAdapter(), appOptions)
      : await NestFactory.create<NestFastifyApplication>(
          CustomAppModule,
          new FastifyAdapter(options.fastify),
          appOptions,
        );
  options.beforeListen?.(app);
  await app.listen(0, '127.0.0.1');
  return app;
}

/** One line a {@link RecordingLogger} received. */
export interface LoggedLine {
  readonly level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  readonly message: string;
}

/** A Nest logger that keeps every line, for assertions on what was (and was not) logged. */
export class RecordingLogger implements LoggerService {
  readonly lines: LoggedLine[] = [];

  log(message: unknown): void {
    this.lines.push({ level: 'log', message: String(message) });
  }
  error(message: unknown): void {
    this.lines.push({ level: 'error', message: String(message) });
  }
  warn(message: unknown): void {
    this.lines.push({ level: 'warn', message: String(message) });
  }
  debug(message: unknown): void {
    this.lines.push({ level: 'debug', message: String(message) });
  }
  verbose(message: unknown): void {
    this.lines.push({ level: 'verbose', message: String(message) });
  }
  fatal(message: unknown): void {
    this.lines.push({ level: 'fatal', message: String(message) });
  }

  /** The messages logged at a level. */
  at(level: LoggedLine['level']): string[] {
    return this.lines.filter((line) => line.level === level).map((line) => line.message);
  }
}

/** A response read by {@link sendRawRequest}. */
export interface RawResponse {
  readonly status: number;
  readonly head: string;
  readonly body: string;
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', offset);
    const size = lineEnd === -1 ? 0 : parseInt(body.subarray(offset, lineEnd).toString(), 16);
    if (!size) {
      return Buffer.concat(parts);
    }
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
}

/**
 * Sends a request as raw bytes over TCP, one write per part, for what an HTTP client refuses to send
 * (non-ASCII header bytes) or to control how the body is split. With `awaitRequest`, the second part
 * is written only once the server has parsed the request head, so the body reaches it in separate
 * reads. Send `Connection: close`: the response is read until the server closes.
 */
export function sendRawRequest(
  app: INestApplication,
  parts: readonly (string | Buffer)[],
  options: { readonly awaitRequest?: boolean } = {},
): Promise<RawResponse> {
  const server = app.getHttpServer() as import('node:http').Server;
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const received: Buffer[] = [];
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', (error) => (received.length > 0 ? undefined : reject(error)));
    socket.on('close', () => {
      const raw = Buffer.concat(received);
      const headEnd = raw.indexOf('\r\n\r\n');
      const head = raw.subarray(0, headEnd).toString('latin1');
      const payload = raw.subarray(headEnd + 4);
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0),
        head,
        body: (/\r\ntransfer-encoding: chunked/i.test(head) ? dechunk(payload) : payload).toString(
          'utf8',
        ),
      });
    });
    const [first, ...rest] = parts;
    const writeRest = () => rest.forEach((part) => socket.write(part));
    if (options.awaitRequest) {
      server.once('request', writeRest);
      socket.write(first);
    } else {
      socket.write(first);
      writeRest();
    }
  });
}
