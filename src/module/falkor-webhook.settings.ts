import { FalkorConfigurationError } from '../errors/falkor-webhook.errors.js';
import { FALKOR_EVENT_CATALOG, type FalkorEventDtoClass } from '../events/event-catalog.js';
import { falkorSignatureHeaderName } from '../signature/signature-header.js';
import {
  normalizeFalkorSecrets,
  type FalkorSecret,
  type FalkorSecrets,
} from '../signature/signature.js';
import type { FalkorVerificationSettings } from '../verification/request-verifier.js';
import type {
  FalkorSecretContext,
  FalkorSecretResolver,
  FalkorWebhookRequest,
  FalkorUnknownEventPolicy,
  FalkorWebhookModuleOptions,
} from './falkor-webhook.options.js';

/** The default `maxBodyBytes`: 1 MiB. */
export const DEFAULT_FALKOR_MAX_BODY_BYTES = 1024 * 1024;

/**
 * One signature header the module reads.
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
 * The module's options checked and prepared once, at start-up.
 */
export interface FalkorWebhookSettings extends FalkorVerificationSettings {
  /** The DTO class of each known event type. */
  readonly dtos: ReadonlyMap<string, FalkorEventDtoClass>;
  /** Finds a delivery's event type. */
  readonly resolveEventType: NonNullable<FalkorWebhookModuleOptions['resolveEventType']>;
  /** What to do with unknown event types. */
  readonly unknownEvents: FalkorUnknownEventPolicy;
  /** class-validator options. */
  readonly validatorOptions: FalkorWebhookModuleOptions['validatorOptions'];
  /** Warnings found while preparing the settings, for the start-up log. */
  readonly warnings: readonly string[];
}

const PLATFORM_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
const UNKNOWN_EVENT_POLICIES: readonly FalkorUnknownEventPolicy[] = ['acknowledge', 'reject'];

function fail(message: string): never {
  throw new FalkorConfigurationError(`FalkorWebhookModule: ${message}`);
}

function eventFieldOf(body: Readonly<Record<string, unknown>>): string | undefined {
  return typeof body.event === 'string' ? body.event : undefined;
}

/**
 * Lists what is suspicious about static secrets: leading or trailing whitespace usually comes from
 * a copied line of an env file and makes every delivery fail.
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

function prepareHeaders(platformName: FalkorWebhookModuleOptions['platformName']) {
  const names = platformName === undefined ? ['Falkor'] : [platformName].flat();
  if (names.length === 0) {
    fail('"platformName" is an empty list: name at least one platform, e.g. "Falkor".');
  }
  return names.map((platform): FalkorSignatureHeader => {
    if (typeof platform !== 'string' || !PLATFORM_NAME_PATTERN.test(platform)) {
      fail(
        `"platformName" ${JSON.stringify(platform)} is not a header-name prefix: use letters, digits ` +
          'and dashes, as in "Falkor" or "ByteKast".',
      );
    }
    const name = falkorSignatureHeaderName(platform);
    return { platform, name, key: name.toLowerCase() };
  });
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

function resolverOf(resolve: FalkorSecretResolver) {
  return async (request: FalkorWebhookRequest): Promise<readonly FalkorSecret[]> => {
    const secrets = await resolve(secretContext(request));
    if (Array.isArray(secrets) && secrets.length === 0) {
      return [];
    }
    try {
      return normalizeFalkorSecrets(secrets as FalkorSecrets);
    } catch (error) {
      throw new FalkorConfigurationError(
        `FalkorWebhookModule: the "secret" resolver returned an invalid secret: ${(error as Error).message}`,
      );
    }
  };
}

function prepareSecrets(secret: FalkorWebhookModuleOptions['secret']) {
  if (typeof secret === 'function') {
    return { secretsFor: resolverOf(secret), warnings: [] };
  }
  if (secret === undefined || secret === null || secret === '') {
    fail(
      'the "secret" option is missing or empty. Set it to the secret of the webhook on the platform, ' +
        'e.g. FalkorWebhookModule.forRoot({ secret: process.env.FALKOR_WEBHOOK_SECRET }).',
    );
  }
  let secrets: readonly FalkorSecret[];
  try {
    secrets = normalizeFalkorSecrets(secret);
  } catch (error) {
    fail(`the "secret" option is invalid: ${(error as Error).message}`);
  }
  return { secretsFor: () => secrets, warnings: falkorSecretWarnings(secrets) };
}

function prepareDtos(events: FalkorWebhookModuleOptions['events']) {
  const dtos = new Map<string, FalkorEventDtoClass>(Object.entries(FALKOR_EVENT_CATALOG));
  for (const [type, dto] of Object.entries(events ?? {})) {
    if (typeof dto !== 'function') {
      fail(`"events.${type}" must be a DTO class, got ${typeof dto}.`);
    }
    dtos.set(type, dto);
  }
  return dtos;
}

/**
 * Checks the module's options and prepares everything a delivery needs, so that a misconfiguration
 * fails at start-up with a message naming the option.
 *
 * @throws FalkorConfigurationError naming the faulty option and the fix
 */
export function prepareFalkorWebhookSettings(
  options: FalkorWebhookModuleOptions | undefined,
): FalkorWebhookSettings {
  if (!options || typeof options !== 'object') {
    fail('no options were given: pass at least { secret }.');
  }
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_FALKOR_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    fail(`"maxBodyBytes" must be a positive whole number of bytes, got ${String(maxBodyBytes)}.`);
  }
  const unknownEvents = options.unknownEvents ?? 'acknowledge';
  if (!UNKNOWN_EVENT_POLICIES.includes(unknownEvents)) {
    fail(
      `"unknownEvents" must be "acknowledge" or "reject", got ${JSON.stringify(unknownEvents)}.`,
    );
  }
  if (options.resolveEventType !== undefined && typeof options.resolveEventType !== 'function') {
    fail('"resolveEventType" must be a function (body, request) => string | undefined.');
  }
  return {
    headers: prepareHeaders(options.platformName),
    ...prepareSecrets(options.secret),
    maxBodyBytes,
    dtos: prepareDtos(options.events),
    resolveEventType: options.resolveEventType ?? eventFieldOf,
    unknownEvents,
    validatorOptions: options.validatorOptions,
  };
}
