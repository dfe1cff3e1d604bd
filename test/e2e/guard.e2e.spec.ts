import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  Body,
  Controller,
  HttpCode,
  type INestApplication,
  Module,
  Post,
  Req,
} from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import {
  FalkorDelivery,
  FalkorWebhook,
  FalkorWebhookModule,
  getFalkorDelivery,
  signFalkorPayload,
  type FalkorVerifiedRequest,
} from '../../src/index.js';
import {
  adapters,
  type AdapterName,
  createCustomApp,
  postRaw,
  RecordingLogger,
} from '../support/apps.js';

const ROUTE_SECRET = 'whsec-ROUTE-1b2c';
const ROTATED_SECRET = 'whsec-ROTATED-9d8e';
const MODULE_SECRET = 'whsec-MODULE-4f5a';
const CLASS_SECRET = 'whsec-CLASS-6a7b';
const TENANT_SECRETS: Record<string, string> = { acme: 'whsec-ACME', globex: 'whsec-GLOBEX' };
const BODY = JSON.stringify({ type: 'enrolments', note: 'Zoë' });

const handled: string[] = [];

function summary(delivery: FalkorVerifiedRequest, body: { type?: string }) {
  return {
    platform: delivery.platform,
    signatureHeader: delivery.signatureHeader,
    secretIndex: delivery.secretIndex,
    secretId: delivery.secretId ?? null,
    bytes: delivery.rawBody.length,
    type: body.type,
  };
}

@Controller('hooks')
class HooksController {
  @Post('own')
  @HttpCode(200)
  @FalkorWebhook({ secret: ROUTE_SECRET })
  own(@FalkorDelivery() delivery: FalkorVerifiedRequest, @Body() body: { type?: string }) {
    handled.push('own');
    return summary(delivery, body);
  }

  @Post('rotated')
  @HttpCode(200)
  @FalkorWebhook({
    secret: [
      { id: 'current', secret: ROUTE_SECRET },
      { id: 'previous', secret: ROTATED_SECRET },
    ],
    platformName: ['ByteKast', 'Falkor'],
    maxBodyBytes: 256,
  })
  rotated(
    @FalkorDelivery() delivery: FalkorVerifiedRequest,
    @FalkorDelivery('platform') platform: string,
    @FalkorDelivery('secretId') secretId: string,
    @Body() body: { type?: string },
  ) {
    handled.push('rotated');
    return { ...summary(delivery, body), fields: [platform, secretId] };
  }

  @Post('tenants/:tenantId')
  @HttpCode(200)
  @FalkorWebhook({
    secret: ({ params }) =>
      TENANT_SECRETS[params.tenantId] ? [TENANT_SECRETS[params.tenantId]] : [],
  })
  tenant(@Req() request: object, @Body() body: { type?: string }) {
    handled.push('tenant');
    return summary(getFalkorDelivery(request)!, body);
  }

  @Post('inherits')
  @HttpCode(200)
  @FalkorWebhook()
  inherits(@FalkorDelivery() delivery: FalkorVerifiedRequest, @Body() body: { type?: string }) {
    handled.push('inherits');
    return summary(delivery, body);
  }

  @Post('unguarded')
  @HttpCode(200)
  unguarded(@FalkorDelivery() delivery: FalkorVerifiedRequest) {
    handled.push('unguarded');
    return delivery;
  }
}

@Controller('class-level')
@FalkorWebhook({ secret: CLASS_SECRET })
class ClassLevelController {
  @Post()
  @HttpCode(200)
  inherited(@FalkorDelivery('secretIndex') index: number) {
    handled.push('class');
    return { index };
  }

  @Post('override')
  @HttpCode(200)
  @FalkorWebhook({ secret: ROUTE_SECRET })
  overridden(@FalkorDelivery('secretIndex') index: number) {
    handled.push('class-override');
    return { index };
  }
}

@Module({ controllers: [HooksController, ClassLevelController] })
class FeatureModule {}

function headers(secret: string, body: string = BODY, platform = 'Falkor') {
  return {
    'Content-Type': 'application/json',
    [`${platform}-Webhook-Signature`]: signFalkorPayload(body, secret),
  };
}

async function refused(
  app: INestApplication,
  path: string,
  head: Record<string, string>,
  status: number,
  body = BODY,
) {
  const before = handled.length;
  const response = await postRaw(app, path, body, head);
  expect(response.status).toBe(status);
  expect(handled).toHaveLength(before);
  return response;
}

describe.each(adapters)('@FalkorWebhook() without FalkorWebhookModule on %s', (adapter) => {
  let app: INestApplication;
  let logger: RecordingLogger;

  beforeAll(async () => {
    logger = new RecordingLogger();
    app = await createCustomApp(adapter, { imports: [FeatureModule], appOptions: { logger } });
  });
  afterAll(() => app.close());

  it('lets a delivery signed with the route secret through and exposes what verified', async () => {
    const response = await postRaw(app, '/hooks/own', BODY, headers(ROUTE_SECRET));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      platform: 'Falkor',
      signatureHeader: 'Falkor-Webhook-Signature',
      secretIndex: 0,
      secretId: null,
      bytes: Buffer.byteLength(BODY),
      type: 'enrolments',
    });
    expect(logger.at('debug')).toContainEqual(expect.stringContaining('matched secret #0'));
  });

  it.each([
    ['a wrong secret', headers('whsec-WRONG'), 401],
    ['no header', { 'Content-Type': 'application/json' }, 401],
    [
      'a malformed header',
      { 'Content-Type': 'application/json', 'Falkor-Webhook-Signature': 'sha256=abc' },
      401,
    ],
    ['another platform’s header', headers(ROUTE_SECRET, BODY, 'ByteKast'), 401],
    [
      'an application/xml body',
      { ...headers(ROUTE_SECRET), 'Content-Type': 'application/xml' },
      415,
    ],
  ])('refuses %s with %i and never runs the handler', async (_, head, status) => {
    const response = await refused(app, '/hooks/own', head, status);
    expect(response.body.statusCode).toBe(status);
    expect(JSON.stringify(response.body)).not.toContain(ROUTE_SECRET);
  });

  it('answers 401 with the module route’s message', async () => {
    const response = await refused(app, '/hooks/own', headers('whsec-WRONG'), 401);
    expect(response.body).toEqual({
      statusCode: 401,
      message: expect.stringContaining('Falkor-Webhook-Signature'),
      error: 'Unauthorized',
      code: 'signature_invalid',
    });
  });

  it('applies per-route rotation, platforms and maxBodyBytes', async () => {
    const response = await postRaw(
      app,
      '/hooks/rotated',
      BODY,
      headers(ROTATED_SECRET, BODY, 'ByteKast'),
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      platform: 'ByteKast',
      secretIndex: 1,
      secretId: 'previous',
      fields: ['ByteKast', 'previous'],
    });
    const big = JSON.stringify({ type: 'x', padding: 'x'.repeat(300) });
    await refused(app, '/hooks/rotated', headers(ROUTE_SECRET, big), 413, big);
  });

  it('lets the first configured platform decide when several headers are present', async () => {
    const both = { ...headers(ROUTE_SECRET), ...headers('whsec-WRONG', BODY, 'ByteKast') };
    await refused(app, '/hooks/rotated', both, 401);
    const reversed = { ...headers('whsec-WRONG'), ...headers(ROUTE_SECRET, BODY, 'ByteKast') };
    expect((await postRaw(app, '/hooks/rotated', BODY, reversed)).status).toBe(200);
  });

  it('resolves per-tenant secrets from the route params', async () => {
    const ok = await postRaw(app, '/hooks/tenants/acme', BODY, headers(TENANT_SECRETS.acme));
    expect(ok.status).toBe(200);
    expect(ok.body.secretIndex).toBe(0);
    await refused(app, '/hooks/tenants/acme', headers(TENANT_SECRETS.globex), 401);
    await refused(app, '/hooks/tenants/initech', headers(TENANT_SECRETS.acme), 401);
  });

  it('answers 500 naming the fix on a route with no secret and no module', async () => {
    const response = await refused(app, '/hooks/inherits', headers(MODULE_SECRET), 500);
    expect(response.body).toMatchObject({
      error: 'Internal Server Error',
      code: 'configuration_error',
    });
    expect(response.body.message).toContain('@FalkorWebhook({ secret');
    expect(response.body.message).toContain('FalkorWebhookModule.forRoot');
  });

  it('answers 500 when @FalkorDelivery() is used on a route without @FalkorWebhook()', async () => {
    const response = await refused(app, '/hooks/unguarded', headers(ROUTE_SECRET), 500);
    expect(response.body.message).toContain('add @FalkorWebhook()');
  });

  it('applies a class-level decorator, which a method-level one overrides', async () => {
    expect((await postRaw(app, '/class-level', BODY, headers(CLASS_SECRET))).body).toEqual({
      index: 0,
    });
    await refused(app, '/class-level', headers(ROUTE_SECRET), 401);
    expect((await postRaw(app, '/class-level/override', BODY, headers(ROUTE_SECRET))).status).toBe(
      200,
    );
    await refused(app, '/class-level/override', headers(CLASS_SECRET), 401);
  });

  it('verifies once when both the class and the method carry the decorator', async () => {
    const before = logger.at('debug').filter((line) => line.startsWith('Verified')).length;
    await postRaw(app, '/class-level/override', BODY, headers(ROUTE_SECRET));
    expect(logger.at('debug').filter((line) => line.startsWith('Verified'))).toHaveLength(
      before + 1,
    );
  });
});

describe.each(adapters)('@FalkorWebhook() with FalkorWebhookModule on %s', (adapter) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createCustomApp(adapter, {
      imports: [
        EventEmitterModule.forRoot(),
        FalkorWebhookModule.forRoot({
          secret: MODULE_SECRET,
          platformName: 'ByteKast',
          maxBodyBytes: 128,
        }),
        FeatureModule,
      ],
    });
  });
  afterAll(() => app.close());

  it("uses the module's secret, platform and limit on a route that sets none", async () => {
    const response = await postRaw(
      app,
      '/hooks/inherits',
      BODY,
      headers(MODULE_SECRET, BODY, 'ByteKast'),
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ platform: 'ByteKast', secretIndex: 0 });
    await refused(app, '/hooks/inherits', headers(MODULE_SECRET), 401);
    const big = JSON.stringify({ type: 'x', padding: 'x'.repeat(200) });
    await refused(app, '/hooks/inherits', headers(MODULE_SECRET, big, 'ByteKast'), 413, big);
  });

  it('lets the route override only what it sets', async () => {
    await refused(app, '/hooks/own', headers(MODULE_SECRET, BODY, 'ByteKast'), 401);
    await refused(app, '/hooks/own', headers(ROUTE_SECRET), 401);
    const response = await postRaw(
      app,
      '/hooks/own',
      BODY,
      headers(ROUTE_SECRET, BODY, 'ByteKast'),
    );
    expect(response.status).toBe(200);
    expect(response.body.platform).toBe('ByteKast');
  });

  it('keeps the module route working beside it', async () => {
    const body = JSON.stringify({ type: 'certificates' });
    const response = await postRaw(
      app,
      '/webhooks/falkor',
      body,
      headers(MODULE_SECRET, body, 'ByteKast'),
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ received: true, type: 'certificates', listeners: 0 });
  });
});

describe.each(adapters)(
  '@FalkorWebhook() in an app without rawBody on %s',
  (adapter: AdapterName) => {
    let app: INestApplication;
    let logger: RecordingLogger;

    beforeAll(async () => {
      logger = new RecordingLogger();
      app = await createCustomApp(adapter, {
        imports: [FeatureModule],
        appOptions: { rawBody: false, logger },
      });
    });
    afterAll(() => app.close());

    it('warns once at start-up', () => {
      expect(logger.at('warn').filter((line) => line.includes('rawBody: true'))).toHaveLength(1);
    });

    it('answers 500 naming the fix, never 401', async () => {
      const response = await refused(app, '/hooks/own', headers(ROUTE_SECRET), 500);
      expect(response.body.message).toContain('rawBody: true');
    });
  },
);
