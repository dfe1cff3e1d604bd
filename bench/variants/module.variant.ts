import { Injectable, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import {
  DEFAULT_FALKOR_MAX_BODY_BYTES,
  falkorBodyParserOptions,
  FalkorWebhookModule,
  OnFalkorEvent,
} from 'nestjs-falkor-webhook';
import { BENCH_PATH, BENCH_SECRET } from '../bench.config.js';
import type { BenchVariant } from './bench.variant.js';

@Injectable()
class NoopListeners {
  @OnFalkorEvent('enrolments')
  onEnrolments(): void {}

  @OnFalkorEvent('events')
  onEvents(): void {}

  @OnFalkorEvent('rewards')
  onRewards(): void {}
}

/** This package: FalkorWebhookModule with one no-op listener per catalog event type. */
@Module({
  imports: [
    EventEmitterModule.forRoot(),
    FalkorWebhookModule.forRoot({ secret: BENCH_SECRET, path: BENCH_PATH }),
  ],
  providers: [NoopListeners],
})
export class ModuleBenchModule {}

/**
 * The module set up as the README's Quick start says: on Express, the raw body parser of
 * `falkorBodyParserOptions()` on the webhook route, so that it gets the exact bytes before the
 * JSON parser; on Fastify, an 8 MiB body limit and parsers keeping the raw body for JSON, forms,
 * `text/plain` and any other content type (as `createQuickStartApp` in test/support/apps.ts).
 * JSON is named although `*` would take it: Nest's Fastify adapter then skips its own
 * raw-body-keeping JSON parser, and Fastify's built-in one keeps no raw body.
 */
export const MODULE_VARIANT: BenchVariant = {
  module: ModuleBenchModule,
  fastifyOptions: { bodyLimit: DEFAULT_FALKOR_MAX_BODY_BYTES },
  setUpExpress: (app) => app.useBodyParser('raw', falkorBodyParserOptions(BENCH_PATH)),
  setUpFastify: (app) =>
    app.useBodyParser(['application/json', 'application/x-www-form-urlencoded', 'text/plain', '*']),
};
