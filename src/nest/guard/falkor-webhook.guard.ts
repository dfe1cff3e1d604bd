import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type CanActivate,
  type ExecutionContext,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  HttpAdapterHost,
  MetadataScanner,
  ModuleRef,
  ModulesContainer,
  Reflector,
} from '@nestjs/core';
import { FalkorConfigurationError } from '../../core/errors/falkor-webhook.errors.js';
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
} from '../falkor-webhook.settings.js';
import { findFalkorWebhookRoot } from '../falkor-webhook.root.js';
import { attachFalkorDelivery, getFalkorDelivery } from './falkor-delivery.decorator.js';
import { resolveFalkorWebhookFactory } from './falkor-webhook.factory.js';
import {
  FALKOR_WEBHOOK_GUARD_OPTIONS,
  FALKOR_WEBHOOK_ROUTE,
  prepareFalkorWebhookRoute,
  type FalkorWebhookGuardOptions,
  type FalkorWebhookRoute,
  type FalkorWebhookRouteMetadata,
} from './falkor-webhook.route.js';
import { falkorRefusal } from '../http/falkor-webhook.refusal.js';

const NO_SECRET =
  '@FalkorWebhook(): this route has no webhook secret. Give it one, ' +
  '@FalkorWebhook({ secret: process.env.FALKOR_WEBHOOK_SECRET }) or @FalkorWebhook({ inject: ' +
  "[ConfigService], useFactory: (config) => ({ secret: config.getOrThrow('FALKOR_WEBHOOK_SECRET') }) }), " +
  'provide FALKOR_WEBHOOK_GUARD_OPTIONS in its module, or import ' +
  'FalkorWebhookModule.forRoot({ secret }) in the app so that the route uses its settings.';

type FactoryMetadata = Extract<FalkorWebhookRouteMetadata, { factory: unknown }>;

/**
 * Verifies a delivery on a controller of your own, exactly as the module's route does and in the
 * same order: content type (415), body size (413), raw body availability (500), signature header
 * grammar (401), then HMAC-SHA256 over the exact bytes with each secret (401).
 *
 * Its settings are the route's `@FalkorWebhook()` options (method over class), then those of the
 * {@link FALKOR_WEBHOOK_GUARD_OPTIONS} provider of the controller's module, then those of
 * `FalkorWebhookModule.forRoot()` when the app imports it, then the defaults (`'Falkor'`, 8 MiB);
 * a route without a secret from any of them answers 500 with the fix. Options from a
 * `useFactory` are resolved when the app starts. What verified is then on the request: read it
 * with `@FalkorDelivery()` or `getFalkorDelivery(request)`.
 */
@Injectable()
export class FalkorWebhookGuard implements CanActivate, OnApplicationBootstrap {
  private readonly logger = new Logger('FalkorWebhook');
  private readonly rawBody: FalkorRawBodyInspector;
  private readonly defaults: FalkorWebhookRoute;
  private readonly factories = new WeakMap<FactoryMetadata, Promise<FalkorWebhookRoute>>();
  private readonly settingsByRoute = new WeakMap<
    object,
    WeakMap<object, FalkorVerificationSettings>
  >();
  private root?: FalkorVerificationSettings | null;

  /**
   * @param reflector - reads the routes' `@FalkorWebhook()` metadata
   * @param moduleRef - the module that declares the guarded controllers
   * @param host - the HTTP adapter, to warn about a missing raw body
   * @param options - the {@link FALKOR_WEBHOOK_GUARD_OPTIONS} of the module, if provided
   * @param modules - the app's modules, to find this module's routes at start-up
   * @throws FalkorConfigurationError when the module's options are invalid
   */
  constructor(
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
    @Optional() host?: HttpAdapterHost,
    @Optional() @Inject(FALKOR_WEBHOOK_GUARD_OPTIONS) options?: FalkorWebhookGuardOptions,
    @Optional() private readonly modules?: ModulesContainer,
  ) {
    this.rawBody = new FalkorRawBodyInspector(host);
    this.defaults =
      options === undefined ? {} : prepareFalkorWebhookRoute(options, FALKOR_WEBHOOK_GUARD_OPTIONS);
  }

  /**
   * Runs the `useFactory` of every `@FalkorWebhook()` in the module, so that a factory that fails
   * or gives a wrong option stops the app; warns once when the app's body parsers keep no raw
   * body.
   *
   * @throws FalkorConfigurationError naming the route and the fix
   */
  async onApplicationBootstrap(): Promise<void> {
    this.rawBody.onApplicationBootstrap();
    await Promise.all(this.factoriesOfModule().map((metadata) => this.resolve(metadata)));
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
      const settings = await this.settingsFor(context.getClass(), context.getHandler());
      const verified = await verifyFalkorRequest(request, settings);
      if (Logger.isLevelEnabled('debug')) {
        this.logger.debug(falkorVerifiedMessage(verified));
      }
      attachFalkorDelivery(request, verified);
      return true;
    } catch (error) {
      throw falkorRefusal(error, this.logger);
    }
  }

  private async settingsFor(
    controller: object,
    handler: object,
  ): Promise<FalkorVerificationSettings> {
    const known = this.settingsByRoute.get(controller)?.get(handler);
    if (known) {
      return known;
    }
    const [onClass, onHandler] = await Promise.all(
      [controller, handler].map((target) => this.routeOf(this.metadataOf(target))),
    );
    const route: FalkorWebhookRoute = { ...this.defaults, ...onClass, ...onHandler };
    const root = this.findRoot();
    const secretsFor = route.secretsFor ?? root?.secretsFor;
    if (!secretsFor) {
      throw new FalkorConfigurationError(NO_SECRET);
    }
    const settings: FalkorVerificationSettings = {
      headers:
        route.headers ??
        root?.headers ??
        prepareFalkorSignatureHeaders(undefined, 'FalkorWebhookGuard'),
      maxBodyBytes: route.maxBodyBytes ?? root?.maxBodyBytes ?? DEFAULT_FALKOR_MAX_BODY_BYTES,
      secretsFor,
    };
    const byHandler = this.settingsByRoute.get(controller) ?? new WeakMap();
    byHandler.set(handler, settings);
    this.settingsByRoute.set(controller, byHandler);
    return settings;
  }

  private metadataOf(target: object): FalkorWebhookRouteMetadata | undefined {
    return this.reflector.get<FalkorWebhookRouteMetadata | undefined>(
      FALKOR_WEBHOOK_ROUTE,
      target as () => void,
    );
  }

  private routeOf(
    metadata: FalkorWebhookRouteMetadata | undefined,
  ): FalkorWebhookRoute | Promise<FalkorWebhookRoute> {
    if (metadata === undefined) {
      return {};
    }
    return 'route' in metadata ? metadata.route : this.resolve(metadata);
  }

  /** Runs a factory once; a failure is not kept, so that the next delivery tries again. */
  private resolve(metadata: FactoryMetadata): Promise<FalkorWebhookRoute> {
    let route = this.factories.get(metadata);
    if (!route) {
      route = resolveFalkorWebhookFactory(this.moduleRef, metadata.factory, metadata.where);
      this.factories.set(metadata, route);
      route.catch(() => this.factories.delete(metadata));
    }
    return route;
  }

  /** The factories of the `@FalkorWebhook()` decorators on the controllers of this guard's module. */
  private factoriesOfModule(): FactoryMetadata[] {
    const module = [...(this.modules?.values() ?? [])].find((candidate) =>
      [...candidate.injectables.values()].some((wrapper) => wrapper.instance === this),
    );
    const scanner = new MetadataScanner();
    const found: FactoryMetadata[] = [];
    for (const { metatype } of module?.controllers.values() ?? []) {
      if (typeof metatype !== 'function') {
        continue;
      }
      const prototype = metatype.prototype as Record<string, unknown>;
      const targets = [
        metatype,
        ...scanner.getAllMethodNames(prototype).map((name) => prototype[name] as object),
      ];
      for (const target of targets) {
        const metadata = this.metadataOf(target);
        if (metadata && 'factory' in metadata) {
          found.push(metadata);
        }
      }
    }
    return found;
  }

  private findRoot(): FalkorVerificationSettings | undefined {
    if (this.root === undefined) {
      this.root = findFalkorWebhookRoot(this.moduleRef) ?? null;
    }
    return this.root ?? undefined;
  }
}
