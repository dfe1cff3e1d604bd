import { describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { FalkorConfigurationError, OnFalkorEvent, signFalkorPayload } from '../../src/index.js';
import { falkorSamplePayload } from '../../src/testing/index.js';
import {
  adapters,
  createCustomApp,
  postRaw,
  RecordingLogger,
  TEST_SECRET,
  webhookModule,
} from '../support/apps.js';

/** A listener that never settles, and one that succeeds, on the same type. */
@Injectable()
class Hanging {
  started = 0;
  succeeded = 0;
  private enter!: () => void;
  /** Resolves once the hanging listener has started. */
  readonly entered = new Promise<void>((resolve) => (this.enter = resolve));

  @OnFalkorEvent('rewards')
  never(): Promise<void> {
    this.started++;
    this.enter();
    return new Promise(() => undefined);
  }

  @OnFalkorEvent('rewards')
  quick(): void {
    this.succeeded++;
  }
}

function post(app: Parameters<typeof postRaw>[0]) {
  const body = JSON.stringify(falkorSamplePayload('rewards'));
  return postRaw(app, '/webhooks/falkor', body, {
    'Content-Type': 'application/json',
    'Falkor-Webhook-Signature': signFalkorPayload(body, TEST_SECRET),
  });
}

describe.each(adapters)('a listener that never settles on %s', (adapter) => {
  it('fails its delivery with a 5xx once listenerTimeoutMs passed, naming the listener', async () => {
    const logger = new RecordingLogger();
    const app = await createCustomApp(adapter, {
      imports: [EventEmitterModule.forRoot(), webhookModule({ listenerTimeoutMs: 200 })],
      providers: [Hanging],
      appOptions: { logger },
    });
    const response = await post(app);
    expect(response.status).toBe(500);
    expect(response.body.message).toContain('Hanging.never');
    expect(app.get(Hanging)).toMatchObject({ started: 1, succeeded: 1 });
    expect(logger.at('error').join('\n')).toMatch(/Hanging\.never.*200 ms.*listenerTimeoutMs/);
    await app.close();
  });

  it('keeps app.close() from waiting longer than listenerTimeoutMs', async () => {
    const app = await createCustomApp(adapter, {
      imports: [EventEmitterModule.forRoot(), webhookModule({ listenerTimeoutMs: 300 })],
      providers: [Hanging],
    });
    const delivery = post(app).then((response) => response.status);
    await app.get(Hanging).entered;
    const closing = Date.now();
    await app.close();
    expect(Date.now() - closing).toBeLessThan(5_000);
    expect(await delivery).toBe(500);
  });
});

describe('listenerTimeoutMs', () => {
  it.each([0, -1, 1.5, Number.NaN])('refuses %s at start-up', async (listenerTimeoutMs) => {
    const failure = await createCustomApp('express', {
      imports: [EventEmitterModule.forRoot(), webhookModule({ listenerTimeoutMs })],
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FalkorConfigurationError);
    expect((failure as Error).message).toContain('listenerTimeoutMs');
  });
});
