import { FalkorConfigurationError } from '../core/errors/falkor-webhook.errors.js';
import type {
  FalkorDeduplicationOptions,
  FalkorDeduplicationSettings,
} from '../core/deduplication/deduplication.options.js';
import {
  falkorSignatureHeaderName,
  isFalkorPlatformName,
} from '../core/signature/signature-header.js';
import {
  normalizeFalkorSecrets,
  type FalkorSecret,
  type FalkorSecrets,
} from '../core/signature/signature.js';
import type {
  FalkorSignatureHeader,
  FalkorVerificationSettings,
} from '../core/verification/request-verifier.js';
import type {
  FalkorSecretContext,
  FalkorSecretResolver,
  FalkorWebhookRequest,
} from '../core/verification/webhook.request.js';
import type { FalkorUnknownEventPolicy } from '../events/delivery.validator.js';
import { FALKOR_EVENT_CATALOG, type FalkorEventDtoClass } from '../events/event-catalog.js';
import { isFalkorRecordEvent } from '../events/record-events.js';
import type { FalkorRecordsOptions, FalkorRecordsSettings } from '../records/records.options.js';
import { DEFAULT_FALKOR_QUEUE_NAME } from '../queue/falkor-queue.client.js';
import type {
  FalkorQueueOptions,
  FalkorQueueRole,
  FalkorQueueSettings,
} from '../queue/queue.options.js';
import type { FalkorDeduplicationStore } from '../store/deduplication.store.js';
import { MemoryFalkorDeduplicationStore } from '../store/memory-deduplication.store.js';
import type { FalkorWebhookModuleOptions } from './falkor-webhook.options.js';

/**
 * The default `maxBodyBytes`: 8 MiB. The docs do not say whether a delivery holds only the records
 * that changed or all of the pathway's; a snapshot of 5,000 enrolments is about 1.5 MB.
 */
export const DEFAULT_FALKOR_MAX_BODY_BYTES = 8 * 1024 * 1024;

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

function failFor(owner: string, message: string): never {
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
    failFor(owner, '"platformName" is an empty list: name at least one platform, e.g. "Falkor".');
  }
  return names.map((platform): FalkorSignatureHeader => {
    if (!isFalkorPlatformName(platform)) {
      failFor(
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
    failFor(
      owner,
      `"maxBodyBytes" must be a positive whole number of bytes, got ${String(limit)}.`,
    );
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
    failFor(
      owner,
      'the "secret" option is missing or empty (an unset environment variable?). Set it to the ' +
        "webhook's secret on the platform, e.g. { secret: process.env.FALKOR_WEBHOOK_SECRET }.",
    );
  }
  let secrets: readonly FalkorSecret[];
  try {
    secrets = normalizeFalkorSecrets(secret);
  } catch (error) {
    failFor(owner, `the "secret" option is invalid: ${(error as Error).message}`);
  }
  return { secretsFor: () => secrets, warnings: falkorSecretWarnings(secrets) };
}

const KNOWN_OPTIONS: ReadonlySet<string> = new Set([
  'store',
  'ttlSeconds',
  'key',
  'onStoreError',
  'inFlightTtlSeconds',
  'inFlightStatus',
  'retryAfterSeconds',
  'storeTimeoutMs',
]);
const KNOWN_RECORDS_OPTIONS: ReadonlySet<string> = new Set([
  'store',
  'ttlSeconds',
  'keyPrefix',
  'inFlightTtlSeconds',
  'inFlightStatus',
  'retryAfterSeconds',
  'storeTimeoutMs',
  'concurrency',
]);
const STORE_METHODS = ['reserve', 'complete', 'release'] as const;
const BATCH_METHODS = ['reserveMany', 'completeMany', 'releaseMany'] as const;

/** The default `records.ttlSeconds`: 90 days. */
export const DEFAULT_FALKOR_RECORDS_TTL_SECONDS = 90 * 86_400;
/** The default `records.keyPrefix`. */
export const DEFAULT_FALKOR_RECORDS_KEY_PREFIX = 'falkor-record:';

/** Fails naming a field of one option (`deduplication`, `records`). */
type OptionFailure = (field: string, problem: string) => never;

function failOption(option: string): OptionFailure {
  return (field, problem) => {
    const name = field === '' ? option : `${option}.${field}`;
    throw new FalkorConfigurationError(`FalkorWebhookModule: "${name}" ${problem}`);
  };
}

const failDeduplication = failOption('deduplication');
const failRecords = failOption('records');

function seconds(fail: OptionFailure, name: string, value: number | undefined, fallback: number) {
  const resolved = value ?? fallback;
  if (typeof resolved !== 'number' || !Number.isFinite(resolved) || resolved <= 0) {
    fail(name, `must be a positive number of seconds, got ${String(value)}.`);
  }
  return Math.ceil(resolved * 1000);
}

function wholeNumber(
  fail: OptionFailure,
  name: string,
  value: number | undefined,
  fallback: number,
): number {
  const resolved = value ?? fallback;
  if (!Number.isSafeInteger(resolved) || resolved <= 0) {
    fail(name, `must be a positive whole number, got ${String(value)}.`);
  }
  return resolved;
}

function checkStore(
  fail: OptionFailure,
  store: FalkorDeduplicationStore,
): FalkorDeduplicationStore {
  const methods = store as unknown as Record<string, unknown>;
  const missing = STORE_METHODS.filter((method) => typeof methods?.[method] !== 'function');
  if (missing.length > 0) {
    fail(
      'store',
      'must implement FalkorDeduplicationStore (reserve, complete, release); it lacks ' +
        `${missing.join(', ')}. Use MemoryFalkorDeduplicationStore, RedisFalkorDeduplicationStore ` +
        'or your own implementation.',
    );
  }
  const odd = BATCH_METHODS.filter(
    (method) => methods[method] !== undefined && typeof methods[method] !== 'function',
  );
  if (odd.length > 0) {
    fail('store', `has ${odd.join(', ')} that is not a function: remove it or implement it.`);
  }
  return store;
}

/** Checks what `deduplication` and `records` share: an object with known fields only. */
function checkFields(
  fail: OptionFailure,
  options: object,
  known: ReadonlySet<string>,
  example: string,
): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    fail('', `must be false or an object such as ${example}, got ${JSON.stringify(options)}.`);
  }
  const unknown = Object.keys(options).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    fail('', `has unknown field(s) ${unknown.join(', ')}; known: ${[...known].join(', ')}.`);
  }
}

function inFlightStatusOf(fail: OptionFailure, status: unknown): 409 | 503 {
  const resolved = status ?? 409;
  if (resolved !== 409 && resolved !== 503) {
    fail('inFlightStatus', `must be 409 or 503, got ${JSON.stringify(resolved)}.`);
  }
  return resolved;
}

/**
 * Checks the `deduplication` option at start-up and applies its defaults.
 *
 * @param options - the option as given; `undefined` or `false` turn de-duplication off
 * @returns the prepared settings, or `undefined` when de-duplication is off
 * @throws FalkorConfigurationError naming the faulty field and the fix
 */
export function prepareFalkorDeduplication(
  options: FalkorDeduplicationOptions | false | undefined,
): FalkorDeduplicationSettings | undefined {
  if (options === undefined || options === false) {
    return undefined;
  }
  checkFields(
    failDeduplication,
    options,
    KNOWN_OPTIONS,
    '{} (in memory) or { store: new RedisFalkorDeduplicationStore(redis) }',
  );
  if (options.key !== undefined && typeof options.key !== 'function') {
    failDeduplication('key', 'must be a function (event, rawBody) => string.');
  }
  const onStoreError = options.onStoreError ?? 'reject';
  if (onStoreError !== 'reject' && onStoreError !== 'process') {
    failDeduplication(
      'onStoreError',
      `must be "reject" or "process", got ${JSON.stringify(onStoreError)}.`,
    );
  }
  const fail = failDeduplication;
  return {
    store:
      options.store === undefined
        ? new MemoryFalkorDeduplicationStore()
        : checkStore(fail, options.store),
    ttlMs: seconds(fail, 'ttlSeconds', options.ttlSeconds, 86_400),
    key: options.key,
    onStoreError,
    inFlightTtlMs: seconds(fail, 'inFlightTtlSeconds', options.inFlightTtlSeconds, 60),
    inFlightStatus: inFlightStatusOf(fail, options.inFlightStatus),
    retryAfterSeconds: wholeNumber(fail, 'retryAfterSeconds', options.retryAfterSeconds, 5),
    storeTimeoutMs: wholeNumber(fail, 'storeTimeoutMs', options.storeTimeoutMs, 1000),
  };
}

/**
 * Checks the `records` option at start-up and applies its defaults. Record events are on
 * without it; `false` turns them off.
 *
 * @param options - the option as given
 * @param deduplication - the prepared `deduplication` option, whose store is the default
 * @returns the prepared settings, or `undefined` when record events are off
 * @throws FalkorConfigurationError naming the faulty field and the fix
 */
export function prepareFalkorRecords(
  options: FalkorRecordsOptions | false | undefined,
  deduplication: FalkorDeduplicationSettings | undefined,
): FalkorRecordsSettings | undefined {
  if (options === false) {
    return undefined;
  }
  const given = options === undefined ? {} : options;
  const fail = failRecords;
  checkFields(
    fail,
    given,
    KNOWN_RECORDS_OPTIONS,
    '{ store: new RedisFalkorDeduplicationStore(redis) }',
  );
  const keyPrefix = given.keyPrefix ?? DEFAULT_FALKOR_RECORDS_KEY_PREFIX;
  if (typeof keyPrefix !== 'string') {
    fail('keyPrefix', `must be a string, got ${JSON.stringify(keyPrefix)}.`);
  }
  const store =
    given.store !== undefined
      ? { store: checkStore(fail, given.store), storeKind: 'configured' as const }
      : deduplication !== undefined &&
          !(deduplication.store instanceof MemoryFalkorDeduplicationStore)
        ? { store: deduplication.store, storeKind: 'deduplication' as const }
        : { store: new MemoryFalkorDeduplicationStore(), storeKind: 'memory' as const };
  return {
    ...store,
    ttlMs: seconds(fail, 'ttlSeconds', given.ttlSeconds, DEFAULT_FALKOR_RECORDS_TTL_SECONDS),
    keyPrefix,
    inFlightTtlMs: seconds(fail, 'inFlightTtlSeconds', given.inFlightTtlSeconds, 300),
    inFlightStatus: inFlightStatusOf(fail, given.inFlightStatus),
    retryAfterSeconds: wholeNumber(fail, 'retryAfterSeconds', given.retryAfterSeconds, 5),
    storeTimeoutMs: wholeNumber(fail, 'storeTimeoutMs', given.storeTimeoutMs, 2000),
    concurrency: wholeNumber(fail, 'concurrency', given.concurrency, 8),
  };
}

const KNOWN_QUEUE_OPTIONS: ReadonlySet<string> = new Set([
  'connection',
  'name',
  'attempts',
  'backoff',
  'concurrency',
  'role',
  'enqueueTimeoutMs',
  'retryAfterSeconds',
]);
const QUEUE_ROLES: readonly FalkorQueueRole[] = ['both', 'receiver', 'worker'];
const failQueue = failOption('queue');

/**
 * Checks the `queue` option at start-up and applies its defaults.
 *
 * @param options - the option as given; `undefined` or `false` keep deliveries inline
 * @returns the prepared settings, or `undefined` without a queue
 * @throws FalkorConfigurationError naming the faulty field and the fix
 */
export function prepareFalkorQueue(
  options: FalkorQueueOptions | false | undefined,
): FalkorQueueSettings | undefined {
  if (options === undefined || options === false) {
    return undefined;
  }
  const fail = failQueue;
  checkFields(
    fail,
    options,
    KNOWN_QUEUE_OPTIONS,
    "{ connection: { host: 'localhost', port: 6379 } }",
  );
  if (typeof options.connection !== 'object' || options.connection === null) {
    fail(
      'connection',
      'is required: ioredis options such as { host, port } or an ioredis client, as BullMQ takes it.',
    );
  }
  const name = options.name ?? DEFAULT_FALKOR_QUEUE_NAME;
  if (typeof name !== 'string' || name.length === 0 || name.includes(':')) {
    fail('name', `must be a non-empty string without ":", got ${JSON.stringify(name)}.`);
  }
  const role = options.role ?? 'both';
  if (!QUEUE_ROLES.includes(role)) {
    fail('role', `must be one of ${QUEUE_ROLES.join(', ')}, got ${JSON.stringify(role)}.`);
  }
  const backoff = options.backoff ?? { type: 'exponential', delay: 1000 };
  if (
    typeof backoff === 'number'
      ? !Number.isFinite(backoff) || backoff < 0
      : typeof backoff !== 'object' || backoff === null || typeof backoff.type !== 'string'
  ) {
    fail(
      'backoff',
      "must be a delay in ms or BullMQ's backoff options such as { type: 'exponential', delay: 1000 }.",
    );
  }
  return {
    connection: options.connection,
    name,
    attempts: wholeNumber(fail, 'attempts', options.attempts, 5),
    backoff,
    concurrency: wholeNumber(fail, 'concurrency', options.concurrency, 4),
    role,
    enqueueTimeoutMs: wholeNumber(fail, 'enqueueTimeoutMs', options.enqueueTimeoutMs, 2000),
    retryAfterSeconds: wholeNumber(fail, 'retryAfterSeconds', options.retryAfterSeconds, 5),
  };
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
  /** Whether values the docs do not list refuse a delivery. */
  readonly strictValues: boolean;
  /** How long each listener may take, in milliseconds. */
  readonly listenerTimeoutMs: number;
  /** Warnings found while preparing the settings, for the start-up log. */
  readonly warnings: readonly string[];
  /** The prepared `deduplication` option; `undefined` when it is off. */
  readonly deduplication: FalkorDeduplicationSettings | undefined;
  /** The prepared `records` option; `undefined` when record events are off. */
  readonly records: FalkorRecordsSettings | undefined;
  /** The prepared `queue` option; `undefined` when deliveries are processed inline. */
  readonly queue: FalkorQueueSettings | undefined;
}

const MODULE = 'FalkorWebhookModule';

/** The default `listenerTimeoutMs`: 30 seconds. */
export const DEFAULT_FALKOR_LISTENER_TIMEOUT_MS = 30_000;
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
    if (isFalkorRecordEvent(type)) {
      fail(
        `"events.${type}" names a record event, which no delivery carries: it fires from the ` +
          'records of its delivery type. Give the DTO to that type instead.',
      );
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
  const listenerTimeoutMs = options.listenerTimeoutMs ?? DEFAULT_FALKOR_LISTENER_TIMEOUT_MS;
  if (!Number.isSafeInteger(listenerTimeoutMs) || listenerTimeoutMs <= 0) {
    fail(
      `"listenerTimeoutMs" must be a positive whole number of milliseconds, got ${String(listenerTimeoutMs)}.`,
    );
  }
  if (options.resolveEventType !== undefined && typeof options.resolveEventType !== 'function') {
    fail('"resolveEventType" must be a function (body, request) => string | undefined.');
  }
  const deduplication = prepareFalkorDeduplication(options.deduplication);
  const queue = prepareFalkorQueue(options.queue);
  return {
    headers: prepareFalkorSignatureHeaders(options.platformName, MODULE),
    // A worker-only app has no route: it verifies nothing, so it needs no secret.
    ...(queue?.role === 'worker' && options.secret === undefined
      ? { secretsFor: () => [], warnings: [] }
      : prepareFalkorSecrets(options.secret, MODULE)),
    maxBodyBytes,
    dtos: prepareDtos(options.events),
    resolveEventType: options.resolveEventType ?? typeFieldOf,
    unknownEvents,
    validatorOptions: options.validatorOptions,
    strictValues: options.strictValues ?? false,
    listenerTimeoutMs,
    deduplication,
    records: prepareFalkorRecords(options.records, deduplication),
    queue,
  };
}
