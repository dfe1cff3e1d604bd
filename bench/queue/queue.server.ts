import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { AdapterName } from '../bench.config.js';
import { BARE_VARIANT } from '../variants/bare.variant.js';
import type { BenchVariant } from '../variants/bench.variant.js';
import { MODULE_VARIANT } from '../variants/module.variant.js';
import { PROBE, queueBenchModule } from './queue.apps.js';
import type { QueueBenchKind, QueueBenchReply, QueueBenchRequest } from './queue.protocol.js';
import { startBenchApp } from '../server/bench.app.js';

// One measured app per process, started by QueueBenchProcess:
// queue.server.js <kind> <adapter> <listenerMs> <queueName> [redisUrl]

function reply(message: QueueBenchReply): void {
  process.send?.(message);
}

/** The variant of `npm run bench` a kind is set up as: bare, or the README's Quick start. */
function variantOf(kind: QueueBenchKind, listenerMs: number, queueName: string, redis?: string) {
  if (kind === 'bare') {
    return BARE_VARIANT;
  }
  const url = redis === undefined ? undefined : new URL(redis);
  const module = queueBenchModule({
    mode: kind === 'inline' ? 'inline' : kind,
    listenerMs,
    queueName,
    ...(url ? { connection: { host: url.hostname, port: Number(url.port) } } : {}),
  });
  return { ...MODULE_VARIANT, module } satisfies BenchVariant;
}

const KINDS: readonly QueueBenchKind[] = ['bare', 'inline', 'both', 'receiver', 'worker'];
const [kind, adapter, listenerMs, queueName, redis] = process.argv.slice(2) as [
  QueueBenchKind,
  AdapterName,
  string,
  string,
  string | undefined,
];
if (!KINDS.includes(kind) || (adapter !== 'express' && adapter !== 'fastify')) {
  throw new Error(
    `usage: queue.server.js <${KINDS.join('|')}> <express|fastify> <ms> <queue> [url]`,
  );
}
const app = await startBenchApp(variantOf(kind, Number(listenerMs), queueName, redis), adapter);
const stop = () => void app.close().then(() => process.exit(0));
process.on('message', (message: QueueBenchRequest) => {
  if (message.type === 'cpu') {
    const { user, system } = process.cpuUsage();
    reply({ type: 'cpu', micros: user + system });
  } else if (message.type === 'probe') {
    reply({ type: 'probe', ...PROBE.read(message.reset) });
  } else if (message.type === 'notify') {
    PROBE.notify = message.on;
  } else if (message.type === 'clock') {
    reply({ type: 'clock', ns: String(process.hrtime.bigint()) });
  } else if (message.type === 'stop') {
    stop();
  }
});
process.on('disconnect', stop);
const { port } = app.getHttpServer().address() as AddressInfo;
reply({ type: 'listening', port });
