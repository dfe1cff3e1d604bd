import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Inject, Injectable, type INestApplication, Module, Scope } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { type FalkorWebhookEvent, OnFalkorEvent, signFalkorPayload } from '../../src/index.js';
import { falkorSamplePayload } from '../../src/testing/index.js';
import { adapters, createCustomApp, postRaw, TEST_SECRET, webhookModule } from '../support/apps.js';

function post(app: INestApplication) {
  const body = JSON.stringify(falkorSamplePayload('rewards'));
  return postRaw(app, '/webhooks/falkor', body, {
    'Content-Type': 'application/json',
    'Falkor-Webhook-Signature': signFalkorPayload(body, TEST_SECRET),
  });
}

@Injectable()
class Counter {
  runs = 0;

  @OnFalkorEvent('rewards')
  count(): void {
    this.runs++;
  }
}

/** A request-scoped listener that lives in a feature module, not in the root one. */
@Injectable({ scope: Scope.REQUEST })
class PerDelivery {
  static readonly seen: string[] = [];

  constructor(@Inject(REQUEST) private readonly request: { headers: Record<string, string> }) {}

  @OnFalkorEvent('rewards')
  record(event: FalkorWebhookEvent<'rewards'>): void {
    PerDelivery.seen.push(`${this.request.headers['x-delivery']}:${event.payload.data.pathway.ID}`);
  }
}

@Module({ providers: [PerDelivery] })
class FeatureModule {}

describe.each(adapters)('listener discovery on %s', (adapter) => {
  let first: INestApplication;
  let second: INestApplication;

  beforeAll(async () => {
    first = await createCustomApp(adapter, {
      imports: [EventEmitterModule.forRoot(), webhookModule()],
      providers: [Counter],
    });
    second = await createCustomApp(adapter, {
      imports: [EventEmitterModule.forRoot(), webhookModule(), FeatureModule],
    });
  });
  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('never shares listeners between two apps in one process', async () => {
    expect((await post(first)).body).toEqual({ received: true, type: 'rewards', listeners: 1 });
    expect(first.get(Counter).runs).toBe(1);
    PerDelivery.seen.length = 0;
    expect((await post(first)).body.listeners).toBe(1);
    expect(PerDelivery.seen).toEqual([]);
  });

  it("resolves a request-scoped listener in its own module, with each delivery's request", async () => {
    PerDelivery.seen.length = 0;
    for (const id of ['a', 'b']) {
      const body = JSON.stringify(falkorSamplePayload('rewards'));
      const response = await postRaw(second, '/webhooks/falkor', body, {
        'Content-Type': 'application/json',
        'X-Delivery': id,
        'Falkor-Webhook-Signature': signFalkorPayload(body, TEST_SECRET),
      });
      expect(response.body.listeners).toBe(1);
    }
    expect(PerDelivery.seen).toEqual(['a:FA-HCPG-06RF', 'b:FA-HCPG-06RF']);
  });
});
