import { Logger } from '@nestjs/common';
import { FalkorConfigurationError } from '../../core/errors/falkor-webhook.errors.js';
import type { FalkorSecretResolver } from '../../core/verification/webhook.request.js';
import type { FalkorSecrets } from '../../core/signature/signature.js';
import type { FalkorVerificationSettings } from '../../core/verification/request-verifier.js';
import {
  prepareFalkorMaxBodyBytes,
  prepareFalkorSecrets,
  prepareFalkorSignatureHeaders,
} from '../../core/verification/verification.settings.js';

/**
 * Options of `@FalkorWebhook()`. Each one left out is taken from `FalkorWebhookModule` when the app
 * imports it (`maxBodyBytes` and `platformName` otherwise default to 8 MiB and `'Falkor'`).
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
 * A route's options, checked at start-up: only those the route sets.
 */
export type FalkorWebhookRoute = Partial<FalkorVerificationSettings>;

/** Metadata key under which `@FalkorWebhook()` stores a route's checked options. */
export const FALKOR_WEBHOOK_ROUTE = 'falkor-webhook:route';

const OWNER = '@FalkorWebhook()';
const OPTION_NAMES: readonly string[] = ['secret', 'platformName', 'maxBodyBytes'];

function fail(message: string): never {
  throw new FalkorConfigurationError(`${OWNER}: ${message}`);
}

/**
 * Checks the options of one `@FalkorWebhook()` when the decorator is applied, that is when the
 * controller's class is defined: a misconfiguration stops the app before it starts. Whitespace
 * around a static secret is logged as a warning then.
 *
 * A `secret` key that is present but `undefined` (an unset environment variable) is an error, not a
 * fallback to the module's secret.
 *
 * @param options - the decorator's options
 * @returns the options the route sets, ready for verification
 * @throws FalkorConfigurationError naming the faulty option and the fix
 */
export function prepareFalkorWebhookRoute(options: FalkorWebhookGuardOptions): FalkorWebhookRoute {
  if (typeof options !== 'object' || options === null) {
    fail('the options must be an object such as { secret }, or left out.');
  }
  const unknown = Object.keys(options).filter((name) => !OPTION_NAMES.includes(name));
  if (unknown.length > 0) {
    fail(
      `unknown option(s) ${unknown.map((name) => `"${name}"`).join(', ')}: the options are ` +
        `${OPTION_NAMES.map((name) => `"${name}"`).join(', ')}.`,
    );
  }
  const route: { -readonly [K in keyof FalkorWebhookRoute]: FalkorWebhookRoute[K] } = {};
  if ('secret' in options) {
    const { secretsFor, warnings } = prepareFalkorSecrets(options.secret, OWNER);
    route.secretsFor = secretsFor;
    const logger = new Logger('FalkorWebhook');
    warnings.forEach((warning) => logger.warn(`${OWNER}: ${warning}`));
  }
  if (options.platformName !== undefined) {
    route.headers = prepareFalkorSignatureHeaders(options.platformName, OWNER);
  }
  if (options.maxBodyBytes !== undefined) {
    route.maxBodyBytes = prepareFalkorMaxBodyBytes(options.maxBodyBytes, OWNER);
  }
  return route;
}
