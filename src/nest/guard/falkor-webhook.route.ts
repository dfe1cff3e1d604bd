import { Logger, type InjectionToken, type OptionalFactoryDependency } from '@nestjs/common';
import { FalkorConfigurationError } from '../../core/errors/falkor-webhook.errors.js';
import type { FalkorSecretResolver } from '../../core/verification/webhook.request.js';
import type { FalkorSecrets } from '../../core/signature/signature.js';
import type { FalkorVerificationSettings } from '../../core/verification/request-verifier.js';
import {
  prepareFalkorMaxBodyBytes,
  prepareFalkorSecrets,
  prepareFalkorSignatureHeaders,
} from '../falkor-webhook.settings.js';

/**
 * Options of `@FalkorWebhook()`. Each one left out is taken from the
 * {@link FALKOR_WEBHOOK_GUARD_OPTIONS} provider of the controller's module, then from
 * `FalkorWebhookModule.forRoot()` when the app imports it (`maxBodyBytes` and `platformName`
 * otherwise default to 8 MiB and `'Falkor'`).
 */
export interface FalkorWebhookGuardOptions {
  /**
   * This route's secret, several secrets (rotation), optionally with ids (`{ id, secret }`), or a
   * resolver given the delivery's headers, route params and path.
   */
  readonly secret?: FalkorSecrets | FalkorSecretResolver;
  /** The platform name(s) whose `<name>-Webhook-Signature` header is read; the first present decides. */
  readonly platformName?: string | readonly string[];
  /** Largest body accepted on this route, in bytes; larger ones get 413 before any HMAC work. */
  readonly maxBodyBytes?: number;
}

/**
 * `@FalkorWebhook()` options taken through dependency injection, as a provider's `useFactory` and
 * `inject`: the factory runs once, when the app starts, with the providers `inject` names as
 * resolved in the controller's module (its own providers, its imports' exports and global
 * modules), so it reads `ConfigService` after `ConfigModule` has loaded `.env`.
 *
 * @example
 * ```ts
 * @FalkorWebhook({
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ secret: config.getOrThrow('BYTEKAST_SECRET') }),
 * })
 * ```
 */
export interface FalkorWebhookGuardAsyncOptions {
  /** The providers to give `useFactory`, in order; `{ token, optional: true }` for an optional one. */
  readonly inject?: readonly (InjectionToken | OptionalFactoryDependency)[];
  /** Gives the route's options from the injected providers; may be async. */
  readonly useFactory: (
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as Nest's FactoryProvider
    ...dependencies: any[]
  ) => FalkorWebhookGuardOptions | Promise<FalkorWebhookGuardOptions>;
}

/**
 * Injection token of the `@FalkorWebhook()` options every route of a module inherits (what the
 * route's own options leave out), e.g. provided with a factory that reads `ConfigService`:
 * `{ provide: FALKOR_WEBHOOK_GUARD_OPTIONS, inject: [ConfigService], useFactory: (config) => ({ secret: config.getOrThrow('FALKOR_WEBHOOK_SECRET') }) }`.
 * Provide it in the module that declares the controllers (or in a global module); it is checked
 * when the app starts.
 */
export const FALKOR_WEBHOOK_GUARD_OPTIONS = 'FALKOR_WEBHOOK_GUARD_OPTIONS';

/**
 * A route's options, checked: only those the route sets.
 */
export type FalkorWebhookRoute = Partial<FalkorVerificationSettings>;

/**
 * What `@FalkorWebhook()` records on a class or method: its checked options, or the factory that
 * gives them, with the name of what it decorates for error messages.
 */
export type FalkorWebhookRouteMetadata =
  | { readonly where: string; readonly route: FalkorWebhookRoute }
  | { readonly where: string; readonly factory: FalkorWebhookGuardAsyncOptions };

/** Metadata key under which `@FalkorWebhook()` stores a route's {@link FalkorWebhookRouteMetadata}. */
export const FALKOR_WEBHOOK_ROUTE = 'falkor-webhook:route';

const OWNER = '@FalkorWebhook()';
const OPTION_NAMES: readonly string[] = ['secret', 'platformName', 'maxBodyBytes'];
const ASYNC_OPTION_NAMES: readonly string[] = ['useFactory', 'inject'];

function quoted(names: readonly string[]): string {
  return names.map((name) => `"${name}"`).join(', ');
}

/**
 * Checks the options of one `@FalkorWebhook()` (or what its factory gave): a misconfiguration
 * names the option and the fix. Whitespace around a static secret is logged as a warning.
 *
 * A `secret` key that is present but `undefined` (an unset environment variable) is an error, not a
 * fallback to the module's secret.
 *
 * @param options - the decorator's options
 * @param owner - what is being configured, for error messages; default `'@FalkorWebhook()'`
 * @returns the options the route sets, ready for verification
 * @throws FalkorConfigurationError naming the faulty option and the fix
 */
export function prepareFalkorWebhookRoute(
  options: FalkorWebhookGuardOptions,
  owner: string = OWNER,
): FalkorWebhookRoute {
  const fail = (message: string): never => {
    throw new FalkorConfigurationError(`${owner}: ${message}`);
  };
  if (typeof options !== 'object' || options === null) {
    fail(`the options must be an object such as { secret }, got ${typeof options}.`);
  }
  const unknown = Object.keys(options).filter((name) => !OPTION_NAMES.includes(name));
  if (unknown.length > 0) {
    fail(`unknown option(s) ${quoted(unknown)}: the options are ${quoted(OPTION_NAMES)}.`);
  }
  const route: { -readonly [K in keyof FalkorWebhookRoute]: FalkorWebhookRoute[K] } = {};
  if ('secret' in options) {
    const { secretsFor, warnings } = prepareFalkorSecrets(options.secret, owner);
    route.secretsFor = secretsFor;
    const logger = new Logger('FalkorWebhook');
    warnings.forEach((warning) => logger.warn(`${owner}: ${warning}`));
  }
  if (options.platformName !== undefined) {
    route.headers = prepareFalkorSignatureHeaders(options.platformName, owner);
  }
  if (options.maxBodyBytes !== undefined) {
    route.maxBodyBytes = prepareFalkorMaxBodyBytes(options.maxBodyBytes, owner);
  }
  return route;
}

/**
 * Checks the argument of `@FalkorWebhook()` when the decorator is created, that is when the
 * controller's class is defined: static options are prepared then (so a wrong one stops the app
 * before it starts); a `useFactory` is kept for the guard to run at start-up.
 *
 * @param options - static options, or `{ useFactory, inject }`
 * @returns the route's options, or its factory
 * @throws FalkorConfigurationError naming the faulty option and the fix
 */
export function prepareFalkorWebhookDecorator(
  options: FalkorWebhookGuardOptions | FalkorWebhookGuardAsyncOptions,
): { readonly route: FalkorWebhookRoute } | { readonly factory: FalkorWebhookGuardAsyncOptions } {
  if (typeof options !== 'object' || options === null || !('useFactory' in options)) {
    return { route: prepareFalkorWebhookRoute(options as FalkorWebhookGuardOptions) };
  }
  const fail = (message: string): never => {
    throw new FalkorConfigurationError(`${OWNER}: ${message}`);
  };
  const others = Object.keys(options).filter((name) => !ASYNC_OPTION_NAMES.includes(name));
  if (others.length > 0) {
    fail(
      `${quoted(others)} given beside "useFactory": give the options either directly ` +
        `(${quoted(OPTION_NAMES)}) or all from the factory ({ useFactory, inject }).`,
    );
  }
  if (typeof options.useFactory !== 'function') {
    fail(
      '"useFactory" must be a function returning the options, e.g. ' +
        "(config: ConfigService) => ({ secret: config.getOrThrow('FALKOR_WEBHOOK_SECRET') }).",
    );
  }
  if (options.inject !== undefined && !Array.isArray(options.inject)) {
    fail('"inject" must be an array of injection tokens, e.g. [ConfigService].');
  }
  return { factory: { useFactory: options.useFactory, inject: [...(options.inject ?? [])] } };
}
