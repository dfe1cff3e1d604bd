import { parseArgs } from 'node:util';
import {
  DEFAULT_FALKOR_QUEUE_NAME,
  type FalkorFailedDelivery,
  type FalkorQueueClient,
  openFalkorQueue,
} from '../index.js';
import { parseCliArgs } from './cli.args.js';
import { CLI_EXIT_CODES, type CliCommand } from './cli.command.js';
import { CliFailure, CliUsageError } from './cli.errors.js';
import type { CliIo } from './cli.io.js';

/** The environment variable the Redis URL is read from when `--redis` is not given. */
export const REDIS_ENV_VARIABLE = 'REDIS_URL';

const HELP = `Usage: falkor-webhook queue failed --redis <url> [--queue <name>] [--json]
       falkor-webhook queue replay <id> | --all --redis <url> [--queue <name>]

Lists the deliveries of a queue-mode webhook that used up their attempts (they wait in BullMQ's
failed set), and replays them: a replayed delivery gets all its attempts again, and its
listeners that succeeded before do not run again.

Options:
  --redis <url>             the Redis of the queue, redis:// or rediss:// (default: $${REDIS_ENV_VARIABLE})
  --queue <name>            the queue's name (default: ${DEFAULT_FALKOR_QUEUE_NAME})
  --all                     replay: every failed delivery
  --json                    failed: one JSON object per line
  -h, --help                show this help

Examples:
  falkor-webhook queue failed --redis redis://127.0.0.1:6379
  falkor-webhook queue replay 453d0760b46f... --redis redis://127.0.0.1:6379
`;

/** Gives up quickly on an unreachable Redis: a shell command should fail, not hang. */
const CONNECT_ATTEMPTS = 3;
/** How long closing an unconnected socket may keep the process alive, in ms. */
const DISCONNECT_TIMEOUT_MS = 100;

function connectionOf(url: string) {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliUsageError(`--redis ${JSON.stringify(url)} is not a URL: use redis://host:port.`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new CliUsageError(`--redis must be a redis:// or rediss:// URL, got ${parsed.protocol}`);
  }
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) {
    throw new CliUsageError(
      `--redis ${JSON.stringify(url)} names the database ${JSON.stringify(db)}: use a number, as in redis://host:port/0.`,
    );
  }
  return {
    // An IPv6 address keeps its brackets in a URL's hostname; ioredis takes it without them.
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    ...(parsed.username === '' ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === '' ? {} : { password: decodeURIComponent(parsed.password) }),
    ...(db === '' ? {} : { db: Number(db) }),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: 1,
    retryStrategy: (times: number) => (times > CONNECT_ATTEMPTS ? null : 200),
    // Closing a connection that never connected leaves ioredis's timer to destroy its socket
    // (2 s by default) running, which kept the process alive that long after the message.
    disconnectTimeout: DISCONNECT_TIMEOUT_MS,
  };
}

function row(delivery: FalkorFailedDelivery): string {
  const listeners = delivery.failedListeners
    .map((failure) => (failure.event ? `${failure.listener} (${failure.event})` : failure.listener))
    .join(', ');
  return [
    delivery.id,
    delivery.type,
    delivery.pathway ?? '-',
    `${delivery.attempts} attempt(s)`,
    listeners === '' ? '-' : listeners,
    delivery.lastError,
  ].join('  ');
}

async function failed(queue: FalkorQueueClient, json: boolean, io: CliIo): Promise<number> {
  const deliveries = await queue.failed();
  if (json) {
    io.stdout(deliveries.map((delivery) => `${JSON.stringify(delivery)}\n`).join(''));
  } else if (deliveries.length === 0) {
    io.stdout('No failed deliveries.\n');
  } else {
    io.stdout(`id  type  pathway  attempts  failed listeners  last error\n`);
    io.stdout(deliveries.map((delivery) => `${row(delivery)}\n`).join(''));
  }
  return CLI_EXIT_CODES.ok;
}

async function replay(
  queue: FalkorQueueClient,
  id: string | undefined,
  all: boolean,
  io: CliIo,
): Promise<number> {
  if (all) {
    io.stdout(`Replayed ${await queue.replayAll()} failed delivery(ies).\n`);
    return CLI_EXIT_CODES.ok;
  }
  if (!(await queue.replay(id as string))) {
    throw new CliFailure(
      `No failed delivery has the id ${JSON.stringify(id)}: list them with falkor-webhook queue failed.`,
    );
  }
  io.stdout(`Replayed ${id}.\n`);
  return CLI_EXIT_CODES.ok;
}

/**
 * `falkor-webhook queue`: lists and replays the failed deliveries of a queue-mode webhook.
 */
export const queueCommand: CliCommand = {
  name: 'queue',
  summary: 'list the failed deliveries of queue mode, or replay them',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCliArgs(() =>
      parseArgs({
        args: [...args],
        allowPositionals: true,
        options: {
          redis: { type: 'string' },
          queue: { type: 'string' },
          all: { type: 'boolean' },
          json: { type: 'boolean' },
        },
      }),
    );
    const [action, id, ...rest] = positionals;
    if (action !== 'failed' && action !== 'replay') {
      throw new CliUsageError('queue needs an action: failed or replay.');
    }
    if (
      action === 'failed' ? id !== undefined : rest.length > 0 || (id === undefined) === !values.all
    ) {
      throw new CliUsageError(
        action === 'failed'
          ? `queue failed takes no arguments, got: ${positionals.slice(1).join(' ')}`
          : 'queue replay takes one job id, or --all.',
      );
    }
    const url = values.redis ?? io.env[REDIS_ENV_VARIABLE];
    if (url === undefined || url === '') {
      throw new CliUsageError(`No Redis: pass --redis <url> or set ${REDIS_ENV_VARIABLE}.`);
    }
    const queue = await openFalkorQueue({
      connection: connectionOf(url),
      name: values.queue ?? DEFAULT_FALKOR_QUEUE_NAME,
    });
    try {
      return action === 'failed'
        ? await failed(queue, values.json === true, io)
        : await replay(queue, id, values.all === true, io);
    } catch (error) {
      if (error instanceof CliFailure) {
        throw error;
      }
      throw new CliFailure(
        `The queue at ${new URL(url).host} could not be read: ${(error as Error)?.message ?? String(error)}`,
      );
    } finally {
      await queue.close().catch(() => undefined);
    }
  },
};
