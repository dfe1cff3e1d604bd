import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { AdapterName, VariantName } from '../bench.config.js';
import { BARE_VARIANT } from '../variants/bare.variant.js';
import type { BenchVariant } from '../variants/bench.variant.js';
import { MODULE_VARIANT } from '../variants/module.variant.js';
import { NAIVE_VARIANT } from '../variants/naive.variant.js';
import type { ServerReply, ServerRequest } from './server.protocol.js';
import { startBenchApp } from './bench.app.js';

const VARIANTS: Record<VariantName, BenchVariant> = {
  bare: BARE_VARIANT,
  module: MODULE_VARIANT,
  naive: NAIVE_VARIANT,
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

const [variant, adapter] = process.argv.slice(2) as [VariantName, AdapterName];
if (!Object.hasOwn(VARIANTS, variant) || (adapter !== 'express' && adapter !== 'fastify')) {
  throw new Error(`usage: bench.server.js <bare|module|naive> <express|fastify>`);
}
const app = await startBenchApp(VARIANTS[variant], adapter);
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
