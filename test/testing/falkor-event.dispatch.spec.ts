import { describe, expect, it } from '@jest/globals';
import { Inject, Injectable, Module, Scope } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { REQUEST } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import {
  FalkorConfigurationError,
  FalkorListenerError,
  FalkorValidationError,
  type FalkorWebhookEvent,
  OnFalkorEvent,
  RewardUnlockedDto,
} from 'nestjs-falkor-webhook';
import {
  dispatchFalkorEvent,
  falkorSamplePayload,
  FalkorWebhookTestingModule,
} from 'nestjs-falkor-webhook/testing';

@Injectable()
class Rewards {
  readonly granted: FalkorWebhookEvent<'reward.unlocked'>[] = [];
  failNext = false;

  @OnFalkorEvent('reward.unlocked')
  grant(event: FalkorWebhookEvent<'reward.unlocked'>): void {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('ledger unavailable');
    }
    this.granted.push(event);
  }
}

const seenByRequestScope: string[] = [];

@Injectable({ scope: Scope.REQUEST })
class PerDelivery {
  constructor(@Inject(REQUEST) private readonly request: { headers: Record<string, string> }) {}

  @OnFalkorEvent('enrolment.created')
  note(event: FalkorWebhookEvent<'enrolment.created'>): void {
    seenByRequestScope.push(`${this.request.headers['content-type']} ${event.payload.user.id}`);
  }
}

async function testingModule() {
  return Test.createTestingModule({
    imports: [FalkorWebhookTestingModule.forRoot()],
    providers: [Rewards, PerDelivery],
  }).compile();
}

describe('dispatchFalkorEvent', () => {
  it('validates the sample and runs the listeners of a module that was never initialised', async () => {
    const moduleRef = await testingModule();
    const receipt = await dispatchFalkorEvent(moduleRef, 'reward.unlocked');
    expect(receipt).toEqual({ received: true, type: 'reward.unlocked', listeners: 1 });
    const [event] = moduleRef.get(Rewards).granted;
    expect(event.payload).toBeInstanceOf(RewardUnlockedDto);
    expect(event.payload.reward.id).toBe('rw_9');
    await moduleRef.close();
  });

  it('sends the payload given, its event field defaulting to the type', async () => {
    const moduleRef = await testingModule();
    const payload = falkorSamplePayload('reward.unlocked', { reward: { points: 5 } });
    delete payload.event;
    await dispatchFalkorEvent(moduleRef, 'reward.unlocked', payload);
    expect(moduleRef.get(Rewards).granted[0].payload.reward.points).toBe(5);
    await moduleRef.close();
  });

  it('refuses a payload that fails its DTO, and runs no listener', async () => {
    const moduleRef = await testingModule();
    const dispatch = dispatchFalkorEvent(
      moduleRef,
      'reward.unlocked',
      falkorSamplePayload('reward.unlocked', { reward: { points: -1 } }),
    );
    await expect(dispatch).rejects.toBeInstanceOf(FalkorValidationError);
    await expect(dispatch).rejects.toMatchObject({
      issues: [expect.objectContaining({ property: 'reward.points' })],
    });
    expect(moduleRef.get(Rewards).granted).toHaveLength(0);
    await moduleRef.close();
  });

  it('rejects with the failures of the listeners that threw', async () => {
    const moduleRef = await testingModule();
    moduleRef.get(Rewards).failNext = true;
    const dispatch = dispatchFalkorEvent(moduleRef, 'reward.unlocked');
    await expect(dispatch).rejects.toBeInstanceOf(FalkorListenerError);
    await expect(dispatch).rejects.toMatchObject({
      failures: [expect.objectContaining({ listener: 'Rewards.grant' })],
    });
    await moduleRef.close();
  });

  it('reaches request-scoped listeners with a request of their own', async () => {
    const moduleRef = await testingModule();
    await dispatchFalkorEvent(moduleRef, 'enrolment.created');
    expect(seenByRequestScope).toEqual(['application/json usr_1207']);
    await moduleRef.close();
  });

  it('acknowledges a type nobody knows without running a listener', async () => {
    const moduleRef = await testingModule();
    await expect(dispatchFalkorEvent(moduleRef, 'course.archived')).resolves.toEqual({
      received: true,
      type: 'course.archived',
      listeners: 0,
    });
    await moduleRef.close();
  });

  it('names the fix when the application does not import the module', async () => {
    @Module({ imports: [EventEmitterModule.forRoot()], providers: [Rewards] })
    class WithoutWebhookModule {}
    const app = await NestFactory.createApplicationContext(WithoutWebhookModule, { logger: false });
    const dispatch = dispatchFalkorEvent(app, 'reward.unlocked');
    await expect(dispatch).rejects.toBeInstanceOf(FalkorConfigurationError);
    await expect(dispatch).rejects.toThrow('FalkorWebhookTestingModule.forRoot()');
    await app.close();
  });
});
