import { ConfigurableModuleBuilder } from '@nestjs/common';
import type {
  FalkorWebhookModuleOptions,
  FalkorWebhookRouteOptions,
} from './falkor-webhook.options.js';
import { createFalkorWebhookController } from './http/falkor-webhook.controller.js';

/** The default route path of the module's controller. */
export const DEFAULT_FALKOR_WEBHOOK_PATH = 'webhooks/falkor';

export const {
  ConfigurableModuleClass: FalkorWebhookConfigurableModule,
  MODULE_OPTIONS_TOKEN: FALKOR_WEBHOOK_OPTIONS,
  OPTIONS_TYPE: FALKOR_WEBHOOK_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: FALKOR_WEBHOOK_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<FalkorWebhookModuleOptions>({ moduleName: 'FalkorWebhook' })
  .setClassMethodName('forRoot')
  .setExtras<FalkorWebhookRouteOptions>(
    { path: DEFAULT_FALKOR_WEBHOOK_PATH, decorators: [] },
    (definition, extras) => ({
      ...definition,
      controllers: [
        ...(definition.controllers ?? []),
        createFalkorWebhookController(
          extras.path ?? DEFAULT_FALKOR_WEBHOOK_PATH,
          extras.decorators ?? [],
        ),
      ],
    }),
  )
  .build();
