import {
  prepareFalkorDeduplication,
  type FalkorDeduplicationSettings,
} from '../core/deduplication/deduplication.options.js';
import { FalkorConfigurationError } from '../core/errors/falkor-webhook.errors.js';
import { FALKOR_EVENT_CATALOG, type FalkorEventDtoClass } from '../events/event-catalog.js';
import type { FalkorVerificationSettings } from '../core/verification/request-verifier.js';
import {
  prepareFalkorMaxBodyBytes,
  prepareFalkorSecrets,
  prepareFalkorSignatureHeaders,
} from '../core/verification/verification.settings.js';
import type {
  FalkorUnknownEventPolicy,
  FalkorWebhookModuleOptions,
} from './falkor-webhook.options.js';

export { DEFAULT_FALKOR_MAX_BODY_BYTES } from '../core/verification/verification.settings.js';

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
  /** Whether values the docs do not list refuse a delivery. */
  readonly strictValues: boolean;
  /** Warnings found while preparing the settings, for the start-up log. */
  readonly warnings: readonly string[];
  /** The prepared `deduplication` option; `undefined` when it is off. */
  readonly deduplication: FalkorDeduplicationSettings | undefined;
}

const MODULE = 'FalkorWebhookModule';
const UNKNOWN_EVENT_POLICIES: readonly FalkorUnknownEventPolicy[] = ['acknowledge', 'reject'];

function fail(message: string): never {
  throw new FalkorConfigurationError(`${MODULE}: ${message}`);
}

function typeFieldOf(body: Readonly<Record<string, unknown>>): string | undefined {
  return typeof body.type === 'string' ? body.type : undefined;
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
  const maxBodyBytes = prepareFalkorMaxBodyBytes(options.maxBodyBytes, MODULE);
  const unknownEvents = options.unknownEvents ?? 'acknowledge';
  if (!UNKNOWN_EVENT_POLICIES.includes(unknownEvents)) {
    fail(
      `"unknownEvents" must be "acknowledge" or "reject", got ${JSON.stringify(unknownEvents)}.`,
    );
  }
  if (options.strictValues !== undefined && typeof options.strictValues !== 'boolean') {
    fail(`"strictValues" must be true or false, got ${JSON.stringify(options.strictValues)}.`);
  }
  if (options.resolveEventType !== undefined && typeof options.resolveEventType !== 'function') {
    fail('"resolveEventType" must be a function (body, request) => string | undefined.');
  }
  return {
    headers: prepareFalkorSignatureHeaders(options.platformName, MODULE),
    ...prepareFalkorSecrets(options.secret, MODULE),
    maxBodyBytes,
    dtos: prepareDtos(options.events),
    resolveEventType: options.resolveEventType ?? typeFieldOf,
    unknownEvents,
    validatorOptions: options.validatorOptions,
    strictValues: options.strictValues ?? false,
    deduplication: prepareFalkorDeduplication(options.deduplication),
  };
}
