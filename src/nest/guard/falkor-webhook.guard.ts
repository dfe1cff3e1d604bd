import {
  Injectable,
  Logger,
  Optional,
  type CanActivate,
  type ExecutionContext,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost, ModuleRef, Reflector } from '@nestjs/core';
import { FalkorConfigurationError } from '../../core/errors/falkor-webhook.errors.js';
import { FALKOR_WEBHOOK_SETTINGS } from '../falkor-webhook.tokens.js';
import type { FalkorWebhookRequest } from '../../core/verification/webhook.request.js';
import { FalkorRawBodyInspector } from '../http/raw-body.inspector.js';
import {
  verifyFalkorRequest,
  type FalkorVerificationSettings,
} from '../../core/verification/request-verifier.js';
import { falkorVerifiedMessage } from '../../core/verification/verification.messages.js';
import {
  DEFAULT_FALKOR_MAX_BODY_BYTES,
  prepareFalkorSignatureHeaders,
} from '../../core/verification/verification.settings.js';
import { attachFalkorDelivery, getFalkorDelivery } from './falkor-delivery.decorator.js';
import { FALKOR_WEBHOOK_ROUTE, type FalkorWebhookRoute } from './falkor-webhook.route.js';
import { falkorRefusal } from '../http/falkor-webhook.refusal.js';

const NO_SECRET =
  '@FalkorWebhook(): this route has no webhook secret. Give it one, ' +
  '@FalkorWebhook({ secret: process.env.FALKOR_WEBHOOK_SECRET }), or import ' +
  'FalkorWebhookModule.forRoot({ secret }) in the app so that the route uses its settings.';

/**
 * Verifies a delivery on a controller of your own, exactly as the module's route does and in the
 * same order: content type (415), body size (413), raw body availability (500), signature header
 * grammar (401), then HMAC-SHA256 over the exact bytes with each secret (401).
 *
 * Its settings are the route's `@FalkorWebhook()` options (method over class), then those of
 * `FalkorWebhookModule` when the app imports it, then the defaults (`'Falkor'`, 8 MiB); a route
 * without a secret from either answers 500 with the fix. What verified is then on the request: read
 * it with `@FalkorDelivery()` or `getFalkorDelivery(request)`.
 */
@Injectable()
export class FalkorWebhookGuard implements CanActivate, OnApplicationBootstrap {
  private readonly logger = new Logger('FalkorWebhook');
  private readonly rawBody: FalkorRawBodyInspector;
  private readonly settingsByHandler = new WeakMap<object, FalkorVerificationSettings>();
  private moduleSettings?: FalkorVerificationSettings | null;

  constructor(
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
    @Optional() host?: HttpAdapterHost,
  ) {
    this.rawBody = new FalkorRawBodyInspector(host);
  }

  /** Warns once at start-up when the app's body parsers keep no raw body. */
  onApplicationBootstrap(): void {
    this.rawBody.onApplicationBootstrap();
  }

  /**
   * Lets a verified delivery through and records what verified it on the request.
   *
   * @throws HttpException with the status and message of the refusal
   */
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FalkorWebhookRequest>();
    if (getFalkorDelivery(request)) {
      return true;
    }
    try {
      const verified = await verifyFalkorRequest(request, this.settingsFor(context));
      if (Logger.isLevelEnabled('debug')) {
        this.logger.debug(falkorVerifiedMessage(verified));
      }
      attachFalkorDelivery(request, verified);
      return true;
    } catch (error) {
      throw falkorRefusal(error, this.logger);
    }
  }

  private settingsFor(context: ExecutionContext): FalkorVerificationSettings {
    const handler = context.getHandler();
    let settings = this.settingsByHandler.get(handler);
    if (!settings) {
      const [onClass, onHandler] = [context.getClass(), handler].map((target) =>
        this.reflector.get<FalkorWebhookRoute | undefined>(FALKOR_WEBHOOK_ROUTE, target),
      );
      const route: FalkorWebhookRoute = { ...onClass, ...onHandler };
      const module = this.findModuleSettings();
      const secretsFor = route.secretsFor ?? module?.secretsFor;
      if (!secretsFor) {
        throw new FalkorConfigurationError(NO_SECRET);
      }
      settings = {
        headers:
          route.headers ??
          module?.headers ??
          prepareFalkorSignatureHeaders(undefined, 'FalkorWebhookGuard'),
        maxBodyBytes: route.maxBodyBytes ?? module?.maxBodyBytes ?? DEFAULT_FALKOR_MAX_BODY_BYTES,
        secretsFor,
      };
      this.settingsByHandler.set(handler, settings);
    }
    return settings;
  }

  private findModuleSettings(): FalkorVerificationSettings | undefined {
    if (this.moduleSettings === undefined) {
      try {
        this.moduleSettings = this.moduleRef.get<FalkorVerificationSettings>(
          FALKOR_WEBHOOK_SETTINGS,
          { strict: false },
        );
      } catch {
        this.moduleSettings = null;
      }
    }
    return this.moduleSettings ?? undefined;
  }
}
