import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  type CanActivate,
  Controller,
  type ExecutionContext,
  HttpCode,
  Inject,
  Injectable,
  type INestApplication,
  Module,
  Post,
  Scope,
  SetMetadata,
} from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_GUARD, NestFactory, Reflector, REQUEST } from '@nestjs/core';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { IsString } from 'class-validator';
import request from 'supertest';
import {
  FalkorConfigurationError,
  FalkorDelivery,
  falkorEventName,
  type FalkorDeliveryType,
  FalkorRewardsPayloadDto,
  FalkorWebhook,
  FalkorWebhookModule,
  type FalkorWebhookEvent,
  type FalkorWebhookModuleOptions,
  OnFalkorEvent,
  signFalkorPayload,
} from '../../src/index.js';
import { createFalkorDelivery, falkorSamplePayload } from '../../src/testing/index.js';
import {
  adapters,
  createApp,
  RecordingListener,
  RecordingLogger,
  TEST_SECRET,
  webhookModule,
} from '../support/apps.js';

const opened: INestApplication[] = [];

async function start(...args: Parameters<typeof createApp>): Promise<INestApplication> {
  const app = await createApp(...args);
  opened.push(app);
  return app;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((app) => app.close()));
});

function send(
  app: INestApplication,
  path: string,
  type: Parameters<typeof createFalkorDelivery>[0],
  secret = TEST_SECRET,
) {
  const delivery = createFalkorDelivery(type, { secret });
  return request(app.getHttpServer()).post(path).set(delivery.headers).send(delivery.body);
}

function sendSigned(app: INestApplication, body: string) {
  return request(app.getHttpServer())
    .post('/webhooks/falkor')
    .set({
      'Content-Type': 'application/json',
      'Falkor-Webhook-Signature': signFalkorPayload(body, TEST_SECRET),
    })
    .send(body);
}

const IS_PUBLIC = 'is-public';
const Public = () => SetMetadata(IS_PUBLIC, true);

@Injectable()
class DenyAllButPublic implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    return (
      this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
        context.getClass(),
        context.getHandler(),
      ]) === true
    );
  }
}

@Injectable()
class SecondListener {
  readonly types: string[] = [];

  @OnFalkorEvent('enrolments', { prependListener: true })
  first(event: FalkorWebhookEvent<'enrolments'>): void {
    this.types.push(`first:${event.type}`);
  }

  @OnFalkorEvent('enrolments')
  @OnFalkorEvent('rewards')
  twice(event: FalkorWebhookEvent<'enrolments' | 'rewards'>): void {
    this.types.push(`twice:${event.type}`);
  }
}

@Injectable()
class Observer {
  readonly seen: string[] = [];

  @OnEvent(falkorEventName('enrolments'))
  observe(event: FalkorWebhookEvent<'enrolments'>): void {
    this.seen.push(...event.payload.data.enrolments.map((enrolment) => enrolment.email));
  }
}

@Injectable({ scope: Scope.REQUEST })
class RequestScopedListener {
  static readonly seen: { tenant: unknown; instance: RequestScopedListener }[] = [];

  constructor(@Inject(REQUEST) private readonly req: { headers: Record<string, unknown> }) {}

  @OnFalkorEvent('rewards')
  record(): void {
    RequestScopedListener.seen.push({ tenant: this.req.headers['x-tenant'], instance: this });
  }
}

class StrictRewardDto extends FalkorRewardsPayloadDto {
  @IsString()
  declare campaign: string;
}

/** A type of the app's own, with its DTO given in the `events` option. */
class CertificatesDto {
  @IsString()
  type!: string;

  @IsString()
  certificate!: string;
}

// FalkorEventMap is not augmented here: that would add the type to the whole test project's
// catalog. The cast stands for the augmentation an application would write.
const CERTIFICATES = 'certificates' as FalkorDeliveryType;

@Injectable()
class CertificatesListener {
  readonly received: FalkorWebhookEvent[] = [];

  @OnFalkorEvent(CERTIFICATES)
  onCertificates(event: FalkorWebhookEvent): void {
    this.received.push(event);
  }
}

describe.each(adapters)('FalkorWebhookModule on %s', (adapter) => {
  it('serves the route below the global prefix', async () => {
    const app = await start(adapter, [webhookModule()], {
      globalPrefix: 'api',
      providers: [RecordingListener],
    });
    expect((await send(app, '/api/webhooks/falkor', 'rewards')).status).toBe(200);
    expect((await send(app, '/webhooks/falkor', 'rewards')).status).toBe(404);
  });

  it('is configured with forRootAsync, the path given beside the factory', async () => {
    @Module({ providers: [{ provide: 'SECRET', useValue: 'async-secret' }], exports: ['SECRET'] })
    class SecretModule {}

    const app = await start(
      adapter,
      [
        FalkorWebhookModule.forRootAsync({
          imports: [SecretModule],
          inject: ['SECRET'],
          useFactory: (secret: string): FalkorWebhookModuleOptions => ({ secret }),
          path: 'hooks/lms',
        }),
      ],
      { providers: [RecordingListener] },
    );
    expect((await send(app, '/hooks/lms', 'enrolments', 'async-secret')).status).toBe(200);
    expect((await send(app, '/hooks/lms', 'enrolments')).status).toBe(401);
    expect(app.get(RecordingListener).received.map((e) => e.type)).toEqual(['enrolments']);
  });

  it('accepts forRootAsync with useClass', async () => {
    @Injectable()
    class Options {
      create(): FalkorWebhookModuleOptions {
        return { secret: 'class-secret', platformName: 'ByteKast' };
      }
    }
    const app = await start(adapter, [FalkorWebhookModule.forRootAsync({ useClass: Options })], {
      providers: [RecordingListener],
    });
    const delivery = createFalkorDelivery('rewards', {
      secret: 'class-secret',
      platformName: 'ByteKast',
    });
    const response = await request(app.getHttpServer())
      .post('/webhooks/falkor')
      .set(delivery.headers)
      .send(delivery.body);
    expect(response.status).toBe(200);
    expect(app.get(RecordingListener).received[0].platform).toBe('ByteKast');
  });

  it('lets the decorators option open the route behind a global auth guard', async () => {
    const guarded = await start(adapter, [webhookModule()], {
      providers: [RecordingListener, { provide: APP_GUARD, useClass: DenyAllButPublic }],
    });
    expect((await send(guarded, '/webhooks/falkor', 'rewards')).status).toBe(403);

    const open = await start(adapter, [webhookModule({ decorators: [Public()] })], {
      providers: [RecordingListener, { provide: APP_GUARD, useClass: DenyAllButPublic }],
    });
    expect((await send(open, '/webhooks/falkor', 'rewards')).status).toBe(200);
    expect(open.get(RecordingListener).received).toHaveLength(1);
  });

  it('keeps two apps with different paths in one process apart', async () => {
    const first = await start(adapter, [webhookModule({ path: 'one' })], {
      providers: [RecordingListener],
    });
    const second = await start(adapter, [webhookModule({ path: 'two' })], {
      providers: [RecordingListener],
    });
    expect((await send(first, '/one', 'rewards')).status).toBe(200);
    expect((await send(first, '/two', 'rewards')).status).toBe(404);
    expect((await send(second, '/two', 'rewards')).status).toBe(200);
    expect((await send(second, '/one', 'rewards')).status).toBe(404);
    expect(first.get(RecordingListener).received).toHaveLength(1);
    expect(second.get(RecordingListener).received).toHaveLength(1);
  });

  it('serves one route per import, each with its own secret, each listener running once', async () => {
    const app = await start(
      adapter,
      [
        FalkorWebhookModule.forRoot({ secret: 'enrolments-secret', path: 'webhooks/enrolments' }),
        FalkorWebhookModule.forRoot({ secret: 'rewards-secret', path: 'webhooks/rewards' }),
      ],
      { providers: [RecordingListener] },
    );
    expect(
      (await send(app, '/webhooks/enrolments', 'enrolments', 'enrolments-secret')).status,
    ).toBe(200);
    expect((await send(app, '/webhooks/rewards', 'rewards', 'rewards-secret')).status).toBe(200);
    expect((await send(app, '/webhooks/rewards', 'rewards', 'enrolments-secret')).status).toBe(401);
    expect(app.get(RecordingListener).received.map((e) => e.type)).toEqual([
      'enrolments',
      'rewards',
    ]);
  });

  it('runs every listener of an event once, prepended ones first, and lets @OnEvent observe', async () => {
    const app = await start(adapter, [webhookModule()], {
      providers: [RecordingListener, SecondListener, Observer],
    });
    const response = await send(app, '/webhooks/falkor', 'enrolments');
    expect(response.body).toEqual({ received: true, type: 'enrolments', listeners: 3 });
    expect(app.get(SecondListener).types).toEqual(['first:enrolments', 'twice:enrolments']);
    expect(app.get(RecordingListener).received).toHaveLength(1);
    expect(app.get(Observer).seen).toEqual(['test@example.com', 'test2@example']);
    await send(app, '/webhooks/falkor', 'rewards');
    expect(app.get(SecondListener).types).toEqual([
      'first:enrolments',
      'twice:enrolments',
      'twice:rewards',
    ]);
  });

  it('gives request-scoped listeners their own instance with the delivery request', async () => {
    RequestScopedListener.seen.length = 0;
    const app = await start(adapter, [webhookModule()], { providers: [RequestScopedListener] });
    for (const tenant of ['acme', 'globex']) {
      const delivery = createFalkorDelivery('rewards', { secret: TEST_SECRET });
      const response = await request(app.getHttpServer())
        .post('/webhooks/falkor')
        .set({ ...delivery.headers, 'X-Tenant': tenant })
        .send(delivery.body);
      expect(response.status).toBe(200);
    }
    expect(RequestScopedListener.seen.map((s) => s.tenant)).toEqual(['acme', 'globex']);
    expect(RequestScopedListener.seen[0].instance).not.toBe(RequestScopedListener.seen[1].instance);
  });

  it('validates with a DTO given in the events option', async () => {
    const app = await start(adapter, [webhookModule({ events: { rewards: StrictRewardDto } })], {
      providers: [RecordingListener],
    });
    expect((await send(app, '/webhooks/falkor', 'rewards')).body.errors).toEqual([
      expect.objectContaining({ property: 'campaign' }),
    ]);
    const delivery = createFalkorDelivery('rewards', {
      secret: TEST_SECRET,
      overrides: { campaign: 'winter' },
    });
    const response = await request(app.getHttpServer())
      .post('/webhooks/falkor')
      .set(delivery.headers)
      .send(delivery.body);
    expect(response.status).toBe(200);
    expect(app.get(RecordingListener).received[0].payload).toBeInstanceOf(StrictRewardDto);
  });

  it('adds event types through the events option, and their listeners receive them', async () => {
    const app = await start(
      adapter,
      [webhookModule({ events: { certificates: CertificatesDto } })],
      {
        providers: [CertificatesListener],
      },
    );
    const body = JSON.stringify({ type: 'certificates', certificate: 'c1' });
    const response = await sendSigned(app, body);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ received: true, type: 'certificates', listeners: 1 });
    const [event] = app.get(CertificatesListener).received;
    expect(event.payload).toBeInstanceOf(CertificatesDto);
    expect(event.payload).toMatchObject({ type: 'certificates', certificate: 'c1' });
    const invalid = await sendSigned(app, JSON.stringify({ type: 'certificates', certificate: 1 }));
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors).toEqual([expect.objectContaining({ property: 'certificate' })]);
  });

  it('resolves the event type with resolveEventType', async () => {
    const app = await start(
      adapter,
      [
        webhookModule({
          resolveEventType: (_body, req) => req.headers['x-falkor-event'] as string | undefined,
        }),
      ],
      { providers: [RecordingListener] },
    );
    const delivery = createFalkorDelivery('rewards', {
      secret: TEST_SECRET,
      overrides: { type: 'ignored' },
    });
    const response = await request(app.getHttpServer())
      .post('/webhooks/falkor')
      .set({ ...delivery.headers, 'X-Falkor-Event': 'rewards' })
      .send(delivery.body);
    expect(response.status).toBe(200);
    expect(app.get(RecordingListener).received.map((e) => e.type)).toEqual(['rewards']);
    expect(app.get(RecordingListener).received[0].payload.type).toBe('ignored');
  });

  it('rejects unknown event types with 400 when unknownEvents is reject', async () => {
    const app = await start(adapter, [webhookModule({ unknownEvents: 'reject' })]);
    const body = JSON.stringify(falkorSamplePayload('enrolments', { type: 'certificates' }));
    const response = await sendSigned(app, body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'Bad Request', code: 'unknown_event_type' });
    expect(response.body.message).toContain('certificates');
  });

  it('answers 400 to a signed payload without an event type', async () => {
    const app = await start(adapter, [webhookModule()]);
    const body = '{}';
    const response = await sendSigned(app, body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'Bad Request', code: 'payload_invalid' });
    expect(response.body.message).toContain('the body needs a string "type" field');
  });
});

const REWARDS_SECRET = 'whsec-REWARDS-5e6f';

@Controller('own')
class InheritingController {
  @Post()
  @HttpCode(200)
  @FalkorWebhook()
  receive(@FalkorDelivery('secretIndex') secretIndex: number) {
    return { secretIndex };
  }
}

@Module({ controllers: [InheritingController] })
class InheritingModule {}

describe.each(adapters)('FalkorWebhookModule.register() on %s', (adapter) => {
  it('adds an endpoint beside forRoot, each path verifying with its own secret only', async () => {
    const logger = new RecordingLogger();
    const app = await start(
      adapter,
      [
        webhookModule(),
        FalkorWebhookModule.register({
          path: 'webhooks/falkor/rewards',
          secret: REWARDS_SECRET,
          unknownEvents: 'reject',
        }),
      ],
      { providers: [RecordingListener], logger },
    );
    expect((await send(app, '/webhooks/falkor', 'enrolments')).status).toBe(200);
    expect((await send(app, '/webhooks/falkor', 'enrolments', REWARDS_SECRET)).status).toBe(401);
    expect((await send(app, '/webhooks/falkor/rewards', 'rewards', REWARDS_SECRET)).status).toBe(
      200,
    );
    expect((await send(app, '/webhooks/falkor/rewards', 'rewards')).status).toBe(401);
    expect(app.get(RecordingListener).received.map((e) => e.type)).toEqual([
      'enrolments',
      'rewards',
    ]);
    // Each import keeps its own options: only the registered endpoint rejects unknown types.
    const certificates = JSON.stringify({ type: 'certificates' });
    const post = (path: string, secret: string) =>
      request(app.getHttpServer())
        .post(path)
        .set({
          'Content-Type': 'application/json',
          'Falkor-Webhook-Signature': signFalkorPayload(certificates, secret),
        })
        .send(certificates);
    expect((await post('/webhooks/falkor', TEST_SECRET)).status).toBe(200);
    expect((await post('/webhooks/falkor/rewards', REWARDS_SECRET)).body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      code: 'unknown_event_type',
    });
    expect(logger.at('warn').filter((line) => line.includes('imported'))).toEqual([]);
  });

  it('takes its options from ConfigService with registerAsync, after .env is loaded', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'falkor-register-'));
    try {
      const envFilePath = join(dir, '.env');
      await writeFile(envFilePath, `REWARDS_WEBHOOK_SECRET=${REWARDS_SECRET}\n`);
      const app = await start(
        adapter,
        [
          await ConfigModule.forRoot({ envFilePath }),
          webhookModule(),
          FalkorWebhookModule.registerAsync({
            path: 'webhooks/falkor/rewards',
            imports: [ConfigModule],
            inject: [ConfigService],
            useFactory: (config: ConfigService): FalkorWebhookModuleOptions => ({
              secret: config.getOrThrow<string>('REWARDS_WEBHOOK_SECRET'),
            }),
          }),
        ],
        { providers: [RecordingListener] },
      );
      const rewards = '/webhooks/falkor/rewards';
      expect((await send(app, rewards, 'rewards', REWARDS_SECRET)).status).toBe(200);
      expect((await send(app, rewards, 'rewards')).status).toBe(401);
      expect((await send(app, '/webhooks/falkor', 'rewards')).status).toBe(200);
      expect((await send(app, '/webhooks/falkor', 'rewards', REWARDS_SECRET)).status).toBe(401);
      expect(app.get(RecordingListener).received).toHaveLength(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("gives @FalkorWebhook() routes forRoot's settings, never a registered endpoint's", async () => {
    const app = await start(adapter, [
      webhookModule(),
      FalkorWebhookModule.register({ path: 'webhooks/falkor/rewards', secret: REWARDS_SECRET }),
      InheritingModule,
    ]);
    const delivery = (secret: string) => createFalkorDelivery('rewards', { secret });
    const post = (secret: string) =>
      request(app.getHttpServer())
        .post('/own')
        .set(delivery(secret).headers)
        .send(delivery(secret).body);
    expect((await post(TEST_SECRET)).body).toEqual({ secretIndex: 0 });
    expect((await post(REWARDS_SECRET)).status).toBe(401);
  });

  it('warns once when forRoot is imported twice, naming register()', async () => {
    const logger = new RecordingLogger();
    await start(
      adapter,
      [
        FalkorWebhookModule.forRoot({ secret: TEST_SECRET, path: 'one' }),
        FalkorWebhookModule.forRoot({ secret: REWARDS_SECRET, path: 'two' }),
      ],
      { logger },
    );
    const warnings = logger.at('warn').filter((line) => line.includes('forRoot() is imported'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('imported 2 times');
    expect(warnings[0]).toContain('FalkorWebhookModule.register({ path, secret })');
  });

  it('fails to start when a registered endpoint has no secret, naming the option', async () => {
    @Module({
      imports: [
        EventEmitterModule.forRoot(),
        webhookModule(),
        FalkorWebhookModule.register({ path: 'webhooks/falkor/rewards', secret: '' }),
      ],
    })
    class BadEndpointModule {}
    await expect(
      NestFactory.create(BadEndpointModule, { logger: false, abortOnError: false }),
    ).rejects.toThrow('FalkorWebhookModule: the "secret" option is missing or empty');
  });
});

describe('start-up errors', () => {
  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['an empty list', []],
  ])('fails to start when the secret is %s, naming the option', async (_, secret) => {
    @Module({
      imports: [
        EventEmitterModule.forRoot(),
        FalkorWebhookModule.forRoot({ secret: secret as string }),
      ],
    })
    class BadModule {}
    await expect(
      NestFactory.create(BadModule, { logger: false, abortOnError: false }),
    ).rejects.toThrow('"secret"');
  });

  it('fails to start when a listener subscribes to a type that has no DTO, naming the fix', async () => {
    @Module({
      imports: [EventEmitterModule.forRoot(), FalkorWebhookModule.forRoot({ secret: TEST_SECRET })],
      providers: [CertificatesListener],
    })
    class UnknownTypeModule {}
    // Listeners are subscribed when the app initialises, so that is when it fails.
    const app = await NestFactory.create(UnknownTypeModule, { logger: false, abortOnError: false });
    try {
      const start = app.init();
      await expect(start).rejects.toBeInstanceOf(FalkorConfigurationError);
      await expect(start).rejects.toThrow(
        '@OnFalkorEvent("certificates") on CertificatesListener.onCertificates: no DTO handles',
      );
      await expect(start).rejects.toThrow('events: { "certificates": YourPayloadDto }');
    } finally {
      await app.close();
    }
  });

  it('fails to start without EventEmitterModule, naming the fix', async () => {
    @Module({ imports: [FalkorWebhookModule.forRoot({ secret: TEST_SECRET })] })
    class NoEmitterModule {}
    await expect(
      NestFactory.create(NoEmitterModule, { logger: false, abortOnError: false }),
    ).rejects.toThrow('EventEmitterModule.forRoot()');
  });
});
