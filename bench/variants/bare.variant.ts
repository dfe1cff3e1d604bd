import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { BENCH_BODY_LIMIT, BENCH_PATH } from '../bench.config.js';
import type { BenchVariant } from './bench.variant.js';

@Controller(BENCH_PATH)
class BareController {
  @Post()
  @HttpCode(200)
  receive(@Body() body: Record<string, unknown>): { received: true; type: unknown } {
    return { received: true, type: body.type };
  }
}

/** The reference: a POST route that only gets the parsed JSON body and answers 200. */
@Module({ controllers: [BareController] })
export class BareBenchModule {}

/**
 * The bare route on an app created with `rawBody: true`, its JSON parser's limit raised so that
 * it takes the snapshot (Express's default is 100 kB; Fastify's 1 MiB would do, but every
 * variant gets the same limit).
 */
export const BARE_VARIANT: BenchVariant = {
  module: BareBenchModule,
  fastifyOptions: { bodyLimit: BENCH_BODY_LIMIT },
  setUpExpress: (app) => app.useBodyParser('json', { limit: BENCH_BODY_LIMIT }),
  setUpFastify: () => undefined,
};
