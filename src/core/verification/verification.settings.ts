import { FalkorConfigurationError } from '../errors/falkor-webhook.errors.js';
import type {
  FalkorSecretContext,
  FalkorSecretResolver,
  FalkorWebhookRequest,
} from './webhook.request.js';
import { falkorSignatureHeaderName } from '../signature/signature-header.js';
import {
  normalizeFalkorSecrets,
  type FalkorSecret,
  type FalkorSecrets,
} from '../signature/signature.js';

/**
 * The default `maxBodyBytes`: 8 MiB. The docs do not say whether a delivery holds only the records
 * that changed or all of the pathway's; a snapshot of 5,000 enrolments is about 1.5 MB.
 */
export const DEFAULT_FALKOR_MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * One signature header that is read.
 */
export interface FalkorSignatureHeader {
  /** The platform name, e.g. `ByteKast`. */
  readonly platform: string;
  /** The header name as documented, e.g. `ByteKast-Webhook-Signature`. */
  readonly name: string;
  /** The lower-case name Node uses as the key in `request.headers`. */
  readonly key: string;
}

/**
 * Where the secrets of a delivery come from, with what looked suspicious about them at start-up.
 */
export interface FalkorSecretSource {
  /** Gives the secrets for a request: the static list, or the resolver's answer. */
  readonly secretsFor: (
    request: FalkorWebhookRequest,
  ) => readonly FalkorSecret[] | Promise<readonly FalkorSecret[]>;
  /** Start-up warnings about the secrets (never containing a secret). */
  readonly warnings: readonly string[];
}

const PLATFORM_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

function fail(owner: string, message: string): never {
  throw new FalkorConfigurationError(`${owner}: ${message}`);
}

/**
 * Lists what is suspicious about static secrets: leading or trailing whitespace usually comes from
 * a copied line of an env file and makes every delivery fail. Secrets are named by index or id.
 *
 * @param secrets - the configured secrets
 * @returns one warning per suspicious secret
 */
export function falkorSecretWarnings(secrets: readonly FalkorSecret[]): string[] {
  return secrets.flatMap((secret, index) => {
    const value = typeof secret === 'string' ? secret : secret.secret;
    const name = typeof secret === 'string' ? `#${index}` : `"${secret.id}"`;
    return value.trim() === value
      ? []
      : [
          `webhook secret ${name} has leading or trailing whitespace (a newline from an env file?). ` +
            'The platform signs with the secret exactly as set there; trim it unless it really ends with whitespace.',
        ];
  });
}

/**
 * Turns the `platformName` option into the headers to read, in order of precedence: when a delivery
 * carries the headers of several configured platforms, the first platform of the list decides.
 *
 * @param platformName - one platform name or a list of them; default `'Falkor'`
 * @param owner - what is being configured, for error messages (`FalkorWebhookModule`, `@FalkorWebhook()`)
 * @throws FalkorConfigurationError when the list is empty or a name cannot prefix a header name
 */
export function prepareFalkorSignatureHeaders(
  platformName: string | readonly string[] | undefined,
  owner: string,
): FalkorSignatureHeader[] {
  const names = platformName === undefined ? ['Falkor'] : [platformName].flat();
  if (names.length === 0) {
    fail(owner, '"platformName" is an empty list: name at least one platform, e.g. "Falkor".');
  }
  return names.map((platform): FalkorSignatureHeader => {
    if (typeof platform !== 'string' || !PLATFORM_NAME_PATTERN.test(platform)) {
      fail(
        owner,
        `"platformName" ${JSON.stringify(platform)} is not a header-name prefix: use letters, ` +
          'digits and dashes, as in "Falkor" or "ByteKast".',
      );
    }
    const name = falkorSignatureHeaderName(platform);
    return { platform, name, key: name.toLowerCase() };
  });
}

/**
 * Checks the `maxBodyBytes` option.
 *
 * @param maxBodyBytes - the largest body accepted, in bytes; default {@link DEFAULT_FALKOR_MAX_BODY_BYTES}
 * @param owner - what is being configured, for error messages
 * @throws FalkorConfigurationError when it is not a positive whole number
 */
export function prepareFalkorMaxBodyBytes(maxBodyBytes: number | undefined, owner: string): number {
  const limit = maxBodyBytes ?? DEFAULT_FALKOR_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(limit) || limit <= 0) {
    fail(owner, `"maxBodyBytes" must be a positive whole number of bytes, got ${String(limit)}.`);
  }
  return limit;
}

function secretContext(request: FalkorWebhookRequest): FalkorSecretContext {
  const url = request.originalUrl ?? request.url ?? '';
  const query = url.indexOf('?');
  return {
    headers: request.headers,
    params: (request.params ?? {}) as Record<string, string>,
    path: query === -1 ? url : url.slice(0, query),
  };
}

function resolverOf(resolve: FalkorSecretResolver, owner: string) {
  return async (request: FalkorWebhookRequest): Promise<readonly FalkorSecret[]> => {
    const secrets = await resolve(secretContext(request));
    if (Array.isArray(secrets) && secrets.length === 0) {
      return [];
    }
    try {
      return normalizeFalkorSecrets(secrets as FalkorSecrets);
    } catch (error) {
      throw new FalkorConfigurationError(
        `${owner}: the "secret" resolver returned an invalid secret: ${(error as Error).message} ` +
          'Return an empty list for a delivery that has no secret: it is then refused with 401.',
      );
    }
  };
}

/**
 * Checks the `secret` option once, at start-up: a secret, a list of secrets (rotation), or a
 * resolver called for each delivery with its headers, route params and path.
 *
 * @param secret - the option's value
 * @param owner - what is being configured, for error messages
 * @returns where each delivery's secrets come from, and warnings about static secrets
 * @throws FalkorConfigurationError when the secret is missing, empty, or an id is empty or repeated
 */
export function prepareFalkorSecrets(
  secret: FalkorSecrets | FalkorSecretResolver | undefined,
  owner: string,
): FalkorSecretSource {
  if (typeof secret === 'function') {
    return { secretsFor: resolverOf(secret, owner), warnings: [] };
  }
  if (secret === undefined || secret === null || secret === '') {
    fail(
      owner,
      'the "secret" option is missing or empty (an unset environment variable?). Set it to the ' +
        "webhook's secret on the platform, e.g. { secret: process.env.FALKOR_WEBHOOK_SECRET }.",
    );
  }
  let secrets: readonly FalkorSecret[];
  try {
    secrets = normalizeFalkorSecrets(secret);
  } catch (error) {
    fail(owner, `the "secret" option is invalid: ${(error as Error).message}`);
  }
  return { secretsFor: () => secrets, warnings: falkorSecretWarnings(secrets) };
}
