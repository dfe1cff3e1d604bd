import { ConfigurableModuleBuilder, type DynamicModule, type Provider } from '@nestjs/common';
import type {
  FalkorWebhookModuleOptions,
  FalkorWebhookRouteOptions,
} from './falkor-webhook.options.js';
import { FalkorWebhookRoot } from './falkor-webhook.root.js';
import { createFalkorWebhookController } from './http/falkor-webhook.controller.js';
import { FALKOR_WEBHOOK_CONTROLLER } from './falkor-webhook.tokens.js';

/** The default route path of the module's controller. */
export const DEFAULT_FALKOR_WEBHOOK_PATH = 'webhooks/falkor';

/** The injection token of one import's options, as given to any of the module's four methods. */
const OPTIONS_TOKEN = 'FALKOR_WEBHOOK_MODULE_OPTIONS';

const ROUTE_DEFAULTS: FalkorWebhookRouteOptions = {
  path: DEFAULT_FALKOR_WEBHOOK_PATH,
  decorators: [],
};

/**
 * The dynamic module of one import: its own controller at its own path (so that imports, and
 * apps in one process, never share route metadata), plus `extraProviders`.
 */
function defineImport(extraProviders: readonly Provider[]) {
  return (definition: DynamicModule, extras: FalkorWebhookRouteOptions): DynamicModule => {
    const controller = createFalkorWebhookController(
      extras.path ?? DEFAULT_FALKOR_WEBHOOK_PATH,
      extras.decorators ?? [],
    );
    return {
      ...definition,
      providers: [
        ...(definition.providers ?? []),
        ...extraProviders,
        { provide: FALKOR_WEBHOOK_CONTROLLER, useValue: controller },
      ],
      controllers: [...(definition.controllers ?? []), controller],
    };
  };
}

function builder() {
  return new ConfigurableModuleBuilder<FalkorWebhookModuleOptions>({
    moduleName: 'FalkorWebhook',
    optionsInjectionToken: OPTIONS_TOKEN,
  });
}

/**
 * `forRoot` / `forRootAsync`: the app's one configuration, marked as its root so that
 * `@FalkorWebhook()` routes inherit its secret, platform and body limit.
 */
export const {
  ConfigurableModuleClass: FalkorWebhookConfigurableModule,
  MODULE_OPTIONS_TOKEN: FALKOR_WEBHOOK_OPTIONS,
  OPTIONS_TYPE: FALKOR_WEBHOOK_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: FALKOR_WEBHOOK_ASYNC_OPTIONS_TYPE,
} = builder()
  .setClassMethodName('forRoot')
  .setExtras<FalkorWebhookRouteOptions>(ROUTE_DEFAULTS, defineImport([FalkorWebhookRoot]))
  .build();

/**
 * `register` / `registerAsync`: one more endpoint, with its own path and options, that is not the
 * app's root. Same options token as `forRoot`, so the module's providers read either.
 */
export const { ConfigurableModuleClass: FalkorWebhookEndpointModule } = builder()
  .setClassMethodName('register')
  .setExtras<FalkorWebhookRouteOptions>(ROUTE_DEFAULTS, defineImport([]))
  .build();
