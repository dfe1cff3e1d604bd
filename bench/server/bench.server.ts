import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AdapterName, VariantName } from '../bench.config.js';
import { BareBenchModule } from '../variants/bare.variant.js';
import { ModuleBenchModule } from '../variants/module.variant.js';
import { NaiveBenchModule } from '../variants/naive.variant.js';
import type { ServerReply, ServerRequest } from './server.protocol.js';

const MODULES: Record<VariantName, Type<unknown>> = {
  bare: BareBenchModule,
  module: ModuleBenchModule,
  naive: NaiveBenchModule,
};

function reply(message: ServerReply): void {
  process.send?.(message);
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    throw new Error('The server was started without --expose-gc.');
  }
  gc();
  gc();
}

async function start(variant: VariantName, adapter: AdapterName): Promise<INestApplication> {
  const options = { rawBody: true, logger: ['error' as const, 'warn' as const] };
  const app =
    adapter === 'express'
      ? await NestFactory.create(MODULES[variant], new ExpressAdapter(), options)
      : await NestFactory.create<NestFastifyApplication>(
          MODULES[variant],
          new FastifyAdapter(),
          options,
        );
  await app.listen(0, '127.0.0.1');
  return app;
}

const [variant, adapter] = process.argv.slice(2) as [VariantName, AdapterName];
if (!(variant in MODULES) || (adapter !== 'express' && adapter !== 'fastify')) {
  throw new Error(`usage: bench.server.js <bare|module|naive> <express|fastify>`);
}
const app = await start(variant, adapter);
process.on('message', (message: ServerRequest) => {
  if (message.type === 'heap') {
    collectGarbage();
    reply({ type: 'heap', heapUsed: process.memoryUsage().heapUsed });
  } else if (message.type === 'cpu') {
    const { user, system } = process.cpuUsage();
    reply({ type: 'cpu', micros: user + system });
  } else if (message.type === 'stop') {
    void app.close().then(() => process.exit(0));
  }
});
process.on('disconnect', () => void app.close().then(() => process.exit(0)));
const { port } = app.getHttpServer().address() as AddressInfo;
reply({ type: 'listening', port });
