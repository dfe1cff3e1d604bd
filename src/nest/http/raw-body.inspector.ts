import { Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/** What the application asked its HTTP adapter for, as seen through the adapter's parser methods. */
interface BodyParserRecord {
  /** Nest registered body parsers (the app was not created with `bodyParser: false`). */
  parsers: boolean;
  /** A parser was registered with the app's `rawBody` option set. */
  rawBody: boolean;
  /** A raw parser was registered (`app.useBodyParser('raw', …)` on Express). */
  rawParser: boolean;
  /** The warning was logged for this adapter already. */
  reported: boolean;
}

const records = new WeakMap<object, BodyParserRecord>();

/**
 * Nest calls `registerParserMiddleware(globalPrefix, rawBody)` during `app.init()` (unless the app
 * was created with `bodyParser: false`) and `useBodyParser(type, rawBody, …)` for
 * `app.useBodyParser()`: the second argument is the app's `rawBody` option. Both calls are part of
 * the `HttpServer` contract, so wrapping them tells whether raw bodies are kept.
 */
function watch(adapter: object): void {
  if (records.has(adapter)) {
    return;
  }
  const record: BodyParserRecord = {
    parsers: false,
    rawBody: false,
    rawParser: false,
    reported: false,
  };
  records.set(adapter, record);
  const methods = adapter as Record<string, unknown>;
  for (const name of ['registerParserMiddleware', 'useBodyParser']) {
    const original = methods[name];
    if (typeof original !== 'function') {
      continue;
    }
    methods[name] = function (this: unknown, ...args: unknown[]): unknown {
      record.parsers = true;
      record.rawBody ||= args[1] === true;
      record.rawParser ||= name === 'useBodyParser' && args[0] === 'raw';
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
  }
}

/** The start-up warning for an app whose body parsers keep no raw body. */
const FALKOR_RAW_BODY_WARNING =
  'The app was created without rawBody: true, so its JSON body parser keeps no raw bytes and every ' +
  'webhook delivery will be refused with 500. Create it with NestFactory.create(AppModule, ' +
  '{ rawBody: true }), or with bodyParser: false and a raw parser on the webhook route, e.g. ' +
  "app.use('/webhooks/falkor', express.raw({ type: 'application/json' })).";

/**
 * Warns once at start-up, per HTTP adapter, when the application's body parsers will not keep the
 * raw body that signature verification needs. It stays silent when it cannot tell: an app created
 * with `bodyParser: false` parses bodies itself (a raw parser mounted there is supported), and an
 * application context without HTTP has nothing to check.
 */
@Injectable()
export class FalkorRawBodyInspector implements OnApplicationBootstrap {
  private readonly logger = new Logger('FalkorWebhook');

  constructor(@Optional() private readonly host?: HttpAdapterHost) {
    host?.init$.subscribe(() => {
      if (host.httpAdapter) {
        watch(host.httpAdapter);
      }
    });
  }

  /** Logs the warning when the parsers registered during `app.init()` keep no raw body. */
  onApplicationBootstrap(): void {
    const adapter = this.host?.httpAdapter;
    const record = adapter ? records.get(adapter) : undefined;
    if (!record || record.reported || !record.parsers || record.rawBody || record.rawParser) {
      return;
    }
    record.reported = true;
    this.logger.warn(FALKOR_RAW_BODY_WARNING);
  }
}
