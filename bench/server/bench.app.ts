import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AdapterName } from '../bench.config.js';
import type { BenchVariant } from '../variants/bench.variant.js';

/**
 * Creates and starts one measured app of a variant on a free loopback port.
 *
 * @param variant - its module and adapter set-up
 * @param adapter - Express or Fastify
 */
export async function startBenchApp(
  variant: BenchVariant,
  adapter: AdapterName,
): Promise<INestApplication> {
  // Every variant keeps the raw body: the module and the hand-written guard verify it.
  const options = { rawBody: true, logger: ['error' as const, 'warn' as const] };
  if (adapter === 'express') {
    const app = await NestFactory.create<NestExpressApplication>(
      variant.module,
      new ExpressAdapter(),
      options,
    );
    variant.setUpExpress(app);
    await app.listen(0, '127.0.0.1');
    return app;
  }
  const app = await NestFactory.create<NestFastifyApplication>(
    variant.module,
    new FastifyAdapter(variant.fastifyOptions),
    options,
  );
  variant.setUpFastify(app);
  await app.listen(0, '127.0.0.1');
  return app;
}
