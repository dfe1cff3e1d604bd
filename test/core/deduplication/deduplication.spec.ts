import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  FalkorConfigurationError,
  FalkorDeduplicationStoreError,
  FalkorDeliveryInProgressError,
  type FalkorDeduplicationOptions,
  type FalkorReservationResult,
  type FalkorWebhookEvent,
  falkorDeliveryKey,
} from '../../../src/index.js';
import { FalkorDeduplicator } from '../../../src/core/deduplication/deduplication.js';
import { prepareFalkorDeduplication } from '../../../src/nest/falkor-webhook.settings.js';
import { falkorSamplePayload } from '../../../src/testing/index.js';
import { ControlledStore } from '../../support/controlled.store.js';

class Lines {
  readonly log: string[] = [];
  readonly warn: string[] = [];
  readonly error: string[] = [];
}

function deduplicator(options: FalkorDeduplicationOptions = {}) {
  const store = options.store instanceof ControlledStore ? options.store : new ControlledStore();
  const lines = new Lines();
  const settings = prepareFalkorDeduplication({ store, ...options });
  const subject = new FalkorDeduplicator(settings!, {
    log: (message) => lines.log.push(message),
    warn: (message) => lines.warn.push(message),
    error: (message) => lines.error.push(message),
  });
  return { subject, store, lines };
}

const body = Buffer.from(JSON.stringify(falkorSamplePayload('enrolments')));
const event = {
  type: 'enrolments',
  payload: JSON.parse(body.toString()),
} as unknown as FalkorWebhookEvent;

const FALKOR_DUPLICATE_DELIVERY = Symbol('duplicate');

/** Reserves, runs and settles as the receiver's pipeline does, between its reserve and settle steps. */
async function runOnce<T>(
  subject: FalkorDeduplicator,
  event: FalkorWebhookEvent,
  rawBody: Buffer,
  run: () => Promise<T>,
): Promise<T | typeof FALKOR_DUPLICATE_DELIVERY> {
  const reservation = await subject.reserve(event, rawBody);
  if (reservation.state === 'duplicate') {
    return FALKOR_DUPLICATE_DELIVERY;
  }
  let result: T;
  try {
    result = await run();
  } catch (error) {
    await subject.settle(reservation, false);
    throw error;
  }
  await subject.settle(reservation, true);
  return result;
}

function counter() {
  let runs = 0;
  return {
    get runs() {
      return runs;
    },
    ok: async () => ++runs,
    fail: async (): Promise<number> => {
      runs++;
      throw new Error('listener failed');
    },
  };
}

describe('falkorDeliveryKey', () => {
  it('is the lower-case hex SHA-256 of the exact bytes', () => {
    expect(falkorDeliveryKey(body)).toBe(createHash('sha256').update(body).digest('hex'));
    expect(falkorDeliveryKey(body)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('tells apart bodies that differ only in whitespace', () => {
    expect(falkorDeliveryKey(Buffer.from('{"a":1}'))).not.toBe(
      falkorDeliveryKey(Buffer.from('{"a": 1}')),
    );
  });
});

describe('FalkorDeduplicator', () => {
  it('dispatches a delivery once, and recognises its duplicate without dispatching', async () => {
    const { subject, store } = deduplicator();
    const dispatch = counter();
    expect(await runOnce(subject, event, body, dispatch.ok)).toBe(1);
    expect(await runOnce(subject, event, body, dispatch.ok)).toBe(FALKOR_DUPLICATE_DELIVERY);
    expect(dispatch.runs).toBe(1);
    expect(store.calls.map((call) => call.operation)).toEqual(['reserve', 'complete', 'reserve']);
    expect(store.calls[0].key).toBe(falkorDeliveryKey(body));
  });

  it('releases the key when a listener fails, so that the retry is dispatched', async () => {
    const { subject, store } = deduplicator();
    const dispatch = counter();
    await expect(runOnce(subject, event, body, dispatch.fail)).rejects.toThrow('listener failed');
    expect(store.calls.at(-1)?.operation).toBe('release');
    expect(await runOnce(subject, event, body, dispatch.ok)).toBe(2);
  });

  it.each([409, 503] as const)(
    'refuses a duplicate while the first is in flight with %i and Retry-After',
    async (inFlightStatus) => {
      const { subject } = deduplicator({ inFlightStatus, retryAfterSeconds: 7 });
      let finish: () => void = () => undefined;
      const first = runOnce(
        subject,
        event,
        body,
        () => new Promise<number>((resolve) => (finish = () => resolve(1))),
      );
      const duplicate = runOnce(subject, event, body, counter().ok);
      await expect(duplicate).rejects.toBeInstanceOf(FalkorDeliveryInProgressError);
      await expect(duplicate).rejects.toMatchObject({
        status: inFlightStatus,
        retryAfterSeconds: 7,
      });
      finish();
      expect(await first).toBe(1);
    },
  );

  it('keys on what the key function returns', async () => {
    const { subject, store } = deduplicator({
      key: (e) =>
        e.type === 'enrolments' ? `${e.type}:${e.payload.data.enrolments[0].email}` : e.type,
    });
    const dispatch = counter();
    await runOnce(subject, event, body, dispatch.ok);
    const other = Buffer.from(`${body.toString()} `);
    expect(await runOnce(subject, event, other, dispatch.ok)).toBe(FALKOR_DUPLICATE_DELIVERY);
    expect(store.calls[0].key).toBe('enrolments:test@example.com');
  });

  it.each([
    ['throws', () => Promise.reject(new Error('no id')), 'threw: no id'],
    ['returns an empty string', () => '', 'an empty string'],
    ['returns a number', () => 42 as unknown as string, 'got number'],
  ])('fails as a configuration error when the key function %s', async (_, key, message) => {
    const { subject } = deduplicator({ key });
    const dispatch = counter();
    const attempt = runOnce(subject, event, body, dispatch.ok);
    await expect(attempt).rejects.toBeInstanceOf(FalkorConfigurationError);
    await expect(attempt).rejects.toThrow(message);
    expect(dispatch.runs).toBe(0);
  });

  it.each(['fail', 'hang'] as const)(
    'answers 503 without dispatching when the store is down (%s), logging it once',
    async (mode) => {
      const { subject, store, lines } = deduplicator({ storeTimeoutMs: 20 });
      store.mode = mode;
      const dispatch = counter();
      for (let i = 0; i < 3; i++) {
        const attempt = runOnce(subject, event, body, dispatch.ok);
        await expect(attempt).rejects.toBeInstanceOf(FalkorDeduplicationStoreError);
        await expect(attempt).rejects.toMatchObject({ status: 503, retryAfterSeconds: 5 });
      }
      expect(dispatch.runs).toBe(0);
      expect(lines.error).toHaveLength(1);
      expect(lines.error[0]).toContain(mode === 'fail' ? 'ECONNREFUSED' : 'timed out after 20 ms');
      expect(lines.error[0]).toContain('503');
      store.mode = 'ok';
      expect(await runOnce(subject, event, body, dispatch.ok)).toBe(1);
      expect(lines.log).toEqual([
        'The de-duplication store is available again after 3 failed operation(s).',
      ]);
    },
  );

  it('dispatches without de-duplication when the store is down and onStoreError is "process"', async () => {
    const { subject, store, lines } = deduplicator({ onStoreError: 'process' });
    store.mode = 'fail';
    const dispatch = counter();
    expect(await runOnce(subject, event, body, dispatch.ok)).toBe(1);
    expect(await runOnce(subject, event, body, dispatch.ok)).toBe(2);
    expect(lines.error[0]).toContain('WITHOUT de-duplication');
  });

  it('releases a reservation that the store granted after the attempt had timed out', async () => {
    const store = new ControlledStore();
    let grant: (result: FalkorReservationResult) => void = () => undefined;
    const reserve = store.reserve.bind(store);
    store.reserve = (key, token, ttlMs) => {
      const granted = reserve(key, token, ttlMs);
      return new Promise((resolve) => (grant = () => void granted.then(resolve)));
    };
    const { subject } = deduplicator({ store, storeTimeoutMs: 20 });
    await expect(runOnce(subject, event, body, counter().ok)).rejects.toBeInstanceOf(
      FalkorDeduplicationStoreError,
    );
    const released = store.next('release');
    grant('reserved');
    await released;
    store.reserve = reserve;
    expect(await runOnce(subject, event, body, counter().ok)).toBe(1);
  });

  it('acknowledges a delivery whose completion the store missed, and records it once the store is back', async () => {
    const { subject, store } = deduplicator();
    const dispatch = counter();
    const completing = store.next('complete');
    const result = runOnce(subject, event, body, async () => {
      store.mode = 'fail';
      return dispatch.ok();
    });
    await completing;
    expect(await result).toBe(1);
    expect(subject.pendingWrites).toBe(1);
    store.mode = 'ok';
    const recorded = store.next('complete');
    await recorded;
    await subject.close();
    expect(subject.pendingWrites).toBe(0);
    expect(await runOnce(subject, event, body, dispatch.ok)).toBe(FALKOR_DUPLICATE_DELIVERY);
    expect(dispatch.runs).toBe(1);
  });

  it('releases a failed delivery once the store is back, so that its retry is dispatched', async () => {
    const { subject, store } = deduplicator();
    const dispatch = counter();
    await expect(
      runOnce(subject, event, body, async () => {
        store.mode = 'fail';
        return dispatch.fail();
      }),
    ).rejects.toThrow('listener failed');
    store.mode = 'ok';
    await subject.close();
    expect(subject.pendingWrites).toBe(0);
    expect(await runOnce(subject, event, body, dispatch.ok)).toBe(2);
  });

  it('warns at shutdown about outcomes the store never took', async () => {
    const { subject, store, lines } = deduplicator({ storeTimeoutMs: 20 });
    await runOnce(subject, event, body, async () => {
      store.mode = 'hang';
      return 1;
    });
    await subject.close();
    expect(subject.pendingWrites).toBe(1);
    expect(lines.warn.at(-1)).toContain('1 delivery outcome(s) could not be recorded');
  });

  it('warns when a delivery outlived its reservation', async () => {
    const { subject, store, lines } = deduplicator();
    await runOnce(subject, event, body, async () => {
      const [{ key, token }] = store.calls;
      await store.inner.release(key, token);
      return 1;
    });
    expect(lines.warn[0]).toContain('raise inFlightTtlSeconds');
  });
});
