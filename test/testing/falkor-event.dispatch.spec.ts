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
  FalkorRewardsPayloadDto,
  OnFalkorEvent,
} from 'nestjs-falkor-webhook';
import {
  dispatchFalkorEvent,
  falkorSamplePayload,
  falkorSampleReward,
  falkorSampleVoucher,
  FalkorWebhookTestingModule,
  type FalkorWebhookTestingOptions,
} from 'nestjs-falkor-webhook/testing';

@Injectable()
class Rewards {
  readonly granted: FalkorWebhookEvent<'rewards'>[] = [];
  failNext = false;

  @OnFalkorEvent('rewards')
  grant(event: FalkorWebhookEvent<'rewards'>): void {
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

  @OnFalkorEvent('enrolments')
  note(event: FalkorWebhookEvent<'enrolments'>): void {
    const emails = event.payload.data.enrolments.map((enrolment) => enrolment.email);
    seenByRequestScope.push(`${this.request.headers['content-type']} ${emails.join(' ')}`);
  }
}

async function testingModule(options: FalkorWebhookTestingOptions = {}) {
  return Test.createTestingModule({
    imports: [FalkorWebhookTestingModule.forRoot(options)],
    providers: [Rewards, PerDelivery],
  }).compile();
}

describe('dispatchFalkorEvent', () => {
  it('validates the sample and runs the listeners of a module that was never initialised', async () => {
    const moduleRef = await testingModule();
    const receipt = await dispatchFalkorEvent(moduleRef, 'rewards');
    expect(receipt).toEqual({ received: true, type: 'rewards', listeners: 1 });
    const [event] = moduleRef.get(Rewards).granted;
    expect(event.payload).toBeInstanceOf(FalkorRewardsPayloadDto);
    expect(event.payload.data.pathway.ID).toBe('FA-HCPG-06RF');
    expect(event.payload.data.rewards[0].ID).toBe('FARE-STZH-05MD');
    expect(event.payload.data.rewards[0].vouchers[0].expires).toBe('never');
    await moduleRef.close();
  });

  it('sends the payload given, its type field defaulting to the type', async () => {
    const moduleRef = await testingModule();
    const payload = falkorSamplePayload('rewards', {
      data: { rewards: [falkorSampleReward({ name: 'Cup of Tea' })] },
    });
    delete payload.type;
    await dispatchFalkorEvent(moduleRef, 'rewards', payload);
    const [event] = moduleRef.get(Rewards).granted;
    expect(event.payload.type).toBe('rewards');
    expect(event.payload.data.rewards[0].name).toBe('Cup of Tea');
    await moduleRef.close();
  });

  it('refuses a payload that fails its DTO, and runs no listener', async () => {
    const moduleRef = await testingModule();
    const dispatch = dispatchFalkorEvent(
      moduleRef,
      'rewards',
      falkorSamplePayload('rewards', {
        data: { rewards: [falkorSampleReward({ vouchers: 'none' })] },
      }),
    );
    await expect(dispatch).rejects.toBeInstanceOf(FalkorValidationError);
    await expect(dispatch).rejects.toMatchObject({
      issues: [expect.objectContaining({ property: 'data.rewards.0.vouchers' })],
    });
    expect(moduleRef.get(Rewards).granted).toHaveLength(0);
    await moduleRef.close();
  });

  it('rejects with the failures of the listeners that threw', async () => {
    const moduleRef = await testingModule();
    moduleRef.get(Rewards).failNext = true;
    const dispatch = dispatchFalkorEvent(moduleRef, 'rewards');
    await expect(dispatch).rejects.toBeInstanceOf(FalkorListenerError);
    await expect(dispatch).rejects.toMatchObject({
      failures: [expect.objectContaining({ listener: 'Rewards.grant' })],
    });
    await moduleRef.close();
  });

  it.each([
    [false, 'accepts'],
    [true, 'refuses'],
  ])('with strictValues %s, %s a voucher state the docs do not list', async (strictValues) => {
    const moduleRef = await testingModule({ strictValues });
    const payload = falkorSamplePayload('rewards', {
      data: {
        rewards: [falkorSampleReward({ vouchers: [falkorSampleVoucher({ state: 'gifted' })] })],
      },
    });
    const dispatch = dispatchFalkorEvent(moduleRef, 'rewards', payload);
    if (strictValues) {
      await expect(dispatch).rejects.toBeInstanceOf(FalkorValidationError);
      await expect(dispatch).rejects.toMatchObject({
        issues: [expect.objectContaining({ property: 'data.rewards.0.vouchers.0.state' })],
      });
      expect(moduleRef.get(Rewards).granted).toHaveLength(0);
    } else {
      await expect(dispatch).resolves.toMatchObject({ listeners: 1 });
      expect(moduleRef.get(Rewards).granted[0].payload.data.rewards[0].vouchers[0].state).toBe(
        'gifted',
      );
    }
    await moduleRef.close();
  });

  it('reaches request-scoped listeners with a request of their own', async () => {
    const moduleRef = await testingModule();
    await dispatchFalkorEvent(moduleRef, 'enrolments');
    expect(seenByRequestScope).toEqual(['application/json test@example.com test2@example']);
    await moduleRef.close();
  });

  it('acknowledges a type nobody knows without running a listener', async () => {
    const moduleRef = await testingModule();
    await expect(dispatchFalkorEvent(moduleRef, 'certificates')).resolves.toEqual({
      received: true,
      type: 'certificates',
      listeners: 0,
    });
    await moduleRef.close();
  });

  it('names the fix when the application does not import the module', async () => {
    @Module({ imports: [EventEmitterModule.forRoot()], providers: [Rewards] })
    class WithoutWebhookModule {}
    const app = await NestFactory.createApplicationContext(WithoutWebhookModule, { logger: false });
    const dispatch = dispatchFalkorEvent(app, 'rewards');
    await expect(dispatch).rejects.toBeInstanceOf(FalkorConfigurationError);
    await expect(dispatch).rejects.toThrow('FalkorWebhookTestingModule.forRoot()');
    await app.close();
  });
});
