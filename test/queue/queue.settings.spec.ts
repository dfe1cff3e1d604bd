import { describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import {
  DEFAULT_FALKOR_QUEUE_NAME,
  FalkorConfigurationError,
  type FalkorQueueOptions,
} from '../../src/index.js';
import {
  prepareFalkorQueue,
  prepareFalkorWebhookSettings,
} from '../../src/nest/falkor-webhook.settings.js';

const connection = { host: 'localhost', port: 6379 };
const EXAMPLE = "{ connection: { host: 'localhost', port: 6379 } }";
const KNOWN =
  'connection, name, attempts, backoff, concurrency, role, enqueueTimeoutMs, retryAfterSeconds';

/** Prepares an option the types would refuse, as JavaScript or a config file could give it. */
function prepare(options: unknown) {
  return () => prepareFalkorQueue(options as FalkorQueueOptions);
}

describe('the queue option', () => {
  it.each([undefined, false] as const)(
    'is off when %s: deliveries are processed inline',
    (value) => {
      expect(prepareFalkorQueue(value)).toBeUndefined();
      expect(prepareFalkorWebhookSettings({ secret: 's', queue: value }).queue).toBeUndefined();
    },
  );

  it('is off when absent from the module options', () => {
    expect(prepareFalkorWebhookSettings({ secret: 's' }).queue).toBeUndefined();
  });

  it('defaults to the queue falkor-webhook, 5 attempts 1 s apart and doubling, 4 at once, both roles', () => {
    expect(DEFAULT_FALKOR_QUEUE_NAME).toBe('falkor-webhook');
    expect(prepareFalkorQueue({ connection })).toEqual({
      connection,
      name: 'falkor-webhook',
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000 },
      concurrency: 4,
      role: 'both',
      enqueueTimeoutMs: 2000,
      retryAfterSeconds: 5,
    });
  });

  it('is prepared with the rest of the module options', () => {
    expect(prepareFalkorWebhookSettings({ secret: 's', queue: { connection } }).queue).toEqual(
      prepareFalkorQueue({ connection }),
    );
  });

  it('keeps every field given', () => {
    const options: FalkorQueueOptions = {
      connection,
      name: 'webhooks',
      attempts: 1,
      backoff: { type: 'fixed', delay: 250 },
      concurrency: 16,
      role: 'receiver',
      enqueueTimeoutMs: 500,
      retryAfterSeconds: 30,
    };
    expect(prepareFalkorQueue(options)).toEqual(options);
    expect(prepareFalkorQueue({ connection, backoff: 0 })?.backoff).toBe(0);
    expect(prepareFalkorQueue({ connection, backoff: 10 })?.backoff).toBe(10);
  });

  it.each(['both', 'receiver', 'worker'] as const)('takes the role %s', (role) => {
    expect(prepareFalkorQueue({ connection, role })?.role).toBe(role);
  });

  it('keeps a connection that is an ioredis client, as it is', () => {
    const client = new Redis({ lazyConnect: true });
    try {
      expect(prepareFalkorQueue({ connection: client })?.connection).toBe(client);
    } finally {
      client.disconnect();
    }
  });

  it.each([
    [null, `"queue" must be false or an object such as ${EXAMPLE}, got null.`],
    [true, `"queue" must be false or an object such as ${EXAMPLE}, got true.`],
    [
      'redis://localhost:6379',
      `"queue" must be false or an object such as ${EXAMPLE}, got "redis://localhost:6379".`,
    ],
    [[connection], `"queue" must be false or an object such as ${EXAMPLE}, got`],
    [{ connection, retries: 3 }, `"queue" has unknown field(s) retries; known: ${KNOWN}.`],
    [
      { connection, delay: 1, limiter: {} },
      `"queue" has unknown field(s) delay, limiter; known: ${KNOWN}.`,
    ],
  ])('refuses %j at start-up', (options, message) => {
    expect(prepare(options)).toThrow(FalkorConfigurationError);
    expect(prepare(options)).toThrow(`FalkorWebhookModule: ${message}`);
  });

  it.each([{}, { connection: undefined }, { connection: null }, { connection: 'redis://x:1' }])(
    'refuses %j: the connection is required',
    (options) => {
      expect(prepare(options)).toThrow(FalkorConfigurationError);
      expect(prepare(options)).toThrow(
        'FalkorWebhookModule: "queue.connection" is required: ioredis options such as ' +
          '{ host, port } or an ioredis client, as BullMQ takes it.',
      );
    },
  );

  it.each([
    ['', '""'],
    ['falkor:webhook', '"falkor:webhook"'],
    [42, '42'],
  ])('refuses the name %j', (name, printed) => {
    expect(prepare({ connection, name })).toThrow(FalkorConfigurationError);
    expect(prepare({ connection, name })).toThrow(
      `FalkorWebhookModule: "queue.name" must be a non-empty string without ":", got ${printed}.`,
    );
  });

  it.each(['all', 'Both', ''])('refuses the role %j', (role) => {
    expect(prepare({ connection, role })).toThrow(FalkorConfigurationError);
    expect(prepare({ connection, role })).toThrow(
      `FalkorWebhookModule: "queue.role" must be one of both, receiver, worker, got ${JSON.stringify(role)}.`,
    );
  });

  it.each([-1, Number.NaN, Infinity, '1000', { delay: 1000 }, { type: 1, delay: 1000 }])(
    'refuses the backoff %j',
    (backoff) => {
      expect(prepare({ connection, backoff })).toThrow(FalkorConfigurationError);
      expect(prepare({ connection, backoff })).toThrow(
        'FalkorWebhookModule: "queue.backoff" must be a delay in ms or BullMQ\'s backoff options ' +
          "such as { type: 'exponential', delay: 1000 }.",
      );
    },
  );

  describe.each(['attempts', 'concurrency', 'enqueueTimeoutMs', 'retryAfterSeconds'])(
    '%s',
    (field) => {
      it.each([
        [0, '0'],
        [-2, '-2'],
        [1.5, '1.5'],
        [Number.NaN, 'NaN'],
        [Infinity, 'Infinity'],
        ['3', '3'],
      ])('refuses %j', (value, printed) => {
        const options = { connection, [field]: value };
        expect(prepare(options)).toThrow(FalkorConfigurationError);
        expect(prepare(options)).toThrow(
          `FalkorWebhookModule: "queue.${field}" must be a positive whole number, got ${printed}.`,
        );
      });

      it('takes 1', () => {
        expect(prepareFalkorQueue({ connection, [field]: 1 })).toMatchObject({ [field]: 1 });
      });
    },
  );

  it('refuses a bad field through the module options too', () => {
    const settings = () =>
      prepareFalkorWebhookSettings({ secret: 's', queue: { connection, attempts: 0 } });
    expect(settings).toThrow(FalkorConfigurationError);
    expect(settings).toThrow('"queue.attempts" must be a positive whole number, got 0.');
  });
});
