import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  Controller,
  type DynamicModule,
  HttpCode,
  type INestApplication,
  Module,
  Post,
  type Type,
} from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { ModuleRef, NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import {
  FALKOR_WEBHOOK_GUARD_OPTIONS,
  FalkorConfigurationError,
  FalkorDelivery,
  FalkorWebhook,
  FalkorWebhookModule,
  type FalkorWebhookGuardOptions,
  type FalkorVerifiedRequest,
  signFalkorPayload,
} from '../../src/index.js';
import { adapters, type AdapterName, createCustomApp, postRaw } from '../support/apps.js';

// Environment variables the app reads through ConfigService. None is set while the decorators
// below run (when this file is imported): each is set, or written to a .env file, just before
// the app starts.
const ENV_SECRET = 'FALKOR_INJECTED_ROUTE_SECRET';
const ENV_FILE_SECRET = 'FALKOR_INJECTED_FILE_SECRET';
const ENV_MODULE_SECRET = 'FALKOR_INJECTED_MODULE_SECRET';
const UNSET = 'FALKOR_INJECTED_NEVER_SET';
const SET_AT_IMPORT = [ENV_SECRET, ENV_FILE_SECRET, ENV_MODULE_SECRET].filter(
  (name) => process.env[name] !== undefined,
);

const ROUTE_SECRET = 'whsec-INJECTED-ROUTE-1a2b';
const FILE_SECRET = 'whsec-INJECTED-FILE-3c4d';
const MODULE_SECRET = 'whsec-INJECTED-MODULE-5e6f';
const ROOT_SECRET = 'whsec-INJECTED-ROOT-7a8b';
const BODY = JSON.stringify({ type: 'enrolments' });

/** How many times each factory ran. */
const runs = { route: 0, file: 0, module: 0 };

function verified(delivery: FalkorVerifiedRequest) {
  return { platform: delivery.platform, secretIndex: delivery.secretIndex };
}

@Controller('injected')
class InjectedController {
  @Post('route')
  @HttpCode(200)
  @FalkorWebhook({
    inject: [ConfigService],
    useFactory: (config: ConfigService) => {
      runs.route++;
      return { secret: config.getOrThrow<string>(ENV_SECRET), platformName: 'ByteKast' };
    },
  })
  route(@FalkorDelivery() delivery: FalkorVerifiedRequest) {
    return verified(delivery);
  }

  @Post('file')
  @HttpCode(200)
  @FalkorWebhook({
    inject: [ConfigService, ModuleRef],
    useFactory: async (config: ConfigService, moduleRef: ModuleRef) => {
      runs.file++;
      // ModuleRef is injectable too, e.g. to reach a provider of the controller's module.
      await Promise.resolve(moduleRef);
      return { secret: [config.getOrThrow<string>(ENV_FILE_SECRET)] };
    },
  })
  file(@FalkorDelivery() delivery: FalkorVerifiedRequest) {
    return verified(delivery);
  }

  @Post('module')
  @HttpCode(200)
  @FalkorWebhook()
  inherited(@FalkorDelivery() delivery: FalkorVerifiedRequest) {
    return verified(delivery);
  }

  @Post('limited')
  @HttpCode(200)
  @FalkorWebhook({ maxBodyBytes: 64 })
  limited(@FalkorDelivery() delivery: FalkorVerifiedRequest) {
    return verified(delivery);
  }
}

/** The module options every route of the module inherits, read from ConfigService. */
const moduleOptions = {
  provide: FALKOR_WEBHOOK_GUARD_OPTIONS,
  inject: [ConfigService],
  useFactory: (config: ConfigService): FalkorWebhookGuardOptions => {
    runs.module++;
    return { secret: config.getOrThrow<string>(ENV_MODULE_SECRET) };
  },
};

@Module({ controllers: [InjectedController], providers: [moduleOptions] })
class InjectedModule {}

@Controller('root')
class RootInheritingController {
  @Post()
  @HttpCode(200)
  @FalkorWebhook()
  receive(@FalkorDelivery('secretIndex') secretIndex: number) {
    return { secretIndex };
  }
}

@Module({ controllers: [RootInheritingController] })
class RootInheritingModule {}

function headers(secret: string, platform = 'Falkor', body = BODY) {
  return {
    'Content-Type': 'application/json',
    [`${platform}-Webhook-Signature`]: signFalkorPayload(body, secret),
  };
}

describe.each(adapters)('@FalkorWebhook() options through DI on %s', (adapter) => {
  let app: INestApplication;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'falkor-guard-'));
    const envFilePath = join(dir, '.env');
    await writeFile(envFilePath, `${ENV_FILE_SECRET}=${FILE_SECRET}\n`);
    process.env[ENV_SECRET] = ROUTE_SECRET;
    process.env[ENV_MODULE_SECRET] = MODULE_SECRET;
    runs.route = runs.file = runs.module = 0;
    app = await createCustomApp(adapter, {
      imports: [
        await ConfigModule.forRoot({ isGlobal: true, envFilePath }),
        EventEmitterModule.forRoot(),
        FalkorWebhookModule.forRoot({ secret: ROOT_SECRET }),
        InjectedModule,
        RootInheritingModule,
      ],
    });
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
    delete process.env[ENV_SECRET];
    delete process.env[ENV_FILE_SECRET];
    delete process.env[ENV_MODULE_SECRET];
  });

  it('ran the decorators before any secret was in the environment', () => {
    expect(SET_AT_IMPORT).toEqual([]);
  });

  it('runs each factory once, when the app starts', async () => {
    expect(runs).toEqual({ route: 1, file: 1, module: 1 });
    for (let i = 0; i < 3; i++) {
      expect(
        (await postRaw(app, '/injected/route', BODY, headers(ROUTE_SECRET, 'ByteKast'))).status,
      ).toBe(200);
    }
    expect(runs).toEqual({ route: 1, file: 1, module: 1 });
  });

  it('verifies with the secret and platform a useFactory read from ConfigService', async () => {
    const ok = await postRaw(app, '/injected/route', BODY, headers(ROUTE_SECRET, 'ByteKast'));
    expect(ok.body).toEqual({ platform: 'ByteKast', secretIndex: 0 });
    expect((await postRaw(app, '/injected/route', BODY, headers(ROUTE_SECRET))).status).toBe(401);
    const wrong = await postRaw(app, '/injected/route', BODY, headers(MODULE_SECRET, 'ByteKast'));
    expect(wrong.status).toBe(401);
  });

  it('reads a secret ConfigModule loaded from a .env file', async () => {
    const ok = await postRaw(app, '/injected/file', BODY, headers(FILE_SECRET));
    expect(ok.body).toEqual({ platform: 'Falkor', secretIndex: 0 });
    expect((await postRaw(app, '/injected/file', BODY, headers(ROUTE_SECRET))).status).toBe(401);
  });

  it("gives a route without options its module's FALKOR_WEBHOOK_GUARD_OPTIONS over forRoot's", async () => {
    const ok = await postRaw(app, '/injected/module', BODY, headers(MODULE_SECRET));
    expect(ok.status).toBe(200);
    expect((await postRaw(app, '/injected/module', BODY, headers(ROOT_SECRET))).status).toBe(401);
  });

  it('lets a route override only what it sets, keeping the module secret', async () => {
    expect((await postRaw(app, '/injected/limited', BODY, headers(MODULE_SECRET))).status).toBe(
      200,
    );
    const big = JSON.stringify({ type: 'enrolments', padding: 'x'.repeat(100) });
    const refused = await postRaw(
      app,
      '/injected/limited',
      big,
      headers(MODULE_SECRET, 'Falkor', big),
    );
    expect(refused.status).toBe(413);
  });

  it("keeps forRoot's settings for the routes of a module without the token", async () => {
    const ok = await postRaw(app, '/root', BODY, headers(ROOT_SECRET));
    expect(ok.body).toEqual({ secretIndex: 0 });
    expect((await postRaw(app, '/root', BODY, headers(MODULE_SECRET))).status).toBe(401);
  });
});

/** Creates an app on an adapter without starting it, so that a test can watch `init()` fail. */
function createUnstarted(
  adapter: AdapterName,
  imports: (DynamicModule | Promise<DynamicModule> | Type<unknown>)[],
) {
  @Module({ imports })
  class FailingAppModule {}
  const options = { rawBody: true, logger: false as const, abortOnError: false };
  return adapter === 'express'
    ? NestFactory.create(FailingAppModule, new ExpressAdapter(), options)
    : NestFactory.create(FailingAppModule, new FastifyAdapter(), options);
}

describe.each(adapters)('@FalkorWebhook() options through DI that are wrong, on %s', (adapter) => {
  it('stops the app when the factory gives an unset variable, naming the route', async () => {
    @Controller('unset')
    class UnsetController {
      @Post()
      @FalkorWebhook({
        inject: [ConfigService],
        useFactory: (config: ConfigService) => ({ secret: config.get<string>(UNSET) }),
      })
      receive() {}
    }
    @Module({ controllers: [UnsetController] })
    class UnsetModule {}

    const app = await createUnstarted(adapter, [
      ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true }),
      UnsetModule,
    ]);
    try {
      const start = app.init();
      await expect(start).rejects.toBeInstanceOf(FalkorConfigurationError);
      await expect(start).rejects.toThrow(
        '@FalkorWebhook() on UnsetController.receive: the "secret" option is missing or empty',
      );
    } finally {
      await app.close();
    }
  });

  it('stops the app when a provider in "inject" is not visible in the module, naming the fix', async () => {
    @Controller('lonely')
    @FalkorWebhook({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({ secret: config.getOrThrow<string>(UNSET) }),
    })
    class LonelyController {
      @Post()
      receive() {}
    }
    @Module({ controllers: [LonelyController] })
    class LonelyModule {}

    // ConfigModule is imported by the root module only, and not global.
    const app = await createUnstarted(adapter, [
      ConfigModule.forRoot({ ignoreEnvFile: true }),
      LonelyModule,
    ]);
    try {
      const start = app.init();
      await expect(start).rejects.toBeInstanceOf(FalkorConfigurationError);
      await expect(start).rejects.toThrow(
        '@FalkorWebhook() on LonelyController: a provider named in "inject" is not available',
      );
      await expect(start).rejects.toThrow('ConfigService');
    } finally {
      await app.close();
    }
  });

  it('stops the app when the factory throws, with its message', async () => {
    @Controller('throwing')
    class ThrowingController {
      @Post()
      @FalkorWebhook({
        useFactory: () => {
          throw new Error('vault unreachable');
        },
      })
      receive() {}
    }
    @Module({ controllers: [ThrowingController] })
    class ThrowingModule {}

    const app = await createUnstarted(adapter, [ThrowingModule]);
    try {
      await expect(app.init()).rejects.toThrow(
        '@FalkorWebhook() on ThrowingController.receive: "useFactory" failed, so the route has ' +
          'no options: vault unreachable',
      );
    } finally {
      await app.close();
    }
  });

  it('fails to create the app when FALKOR_WEBHOOK_GUARD_OPTIONS is invalid', async () => {
    @Controller('bad-options')
    class BadOptionsController {
      @Post()
      @FalkorWebhook()
      receive() {}
    }
    @Module({
      controllers: [BadOptionsController],
      providers: [{ provide: FALKOR_WEBHOOK_GUARD_OPTIONS, useValue: { platformName: 'A B' } }],
    })
    class BadOptionsModule {}

    await expect(createUnstarted(adapter, [BadOptionsModule])).rejects.toThrow(
      'FALKOR_WEBHOOK_GUARD_OPTIONS: "platformName"',
    );
  });
});
