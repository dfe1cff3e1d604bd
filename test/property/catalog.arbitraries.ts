import { isEmail, isISO8601 } from 'class-validator';
import fc from 'fast-check';
import {
  FalkorAttendeeDto,
  FalkorEnrolmentDto,
  FalkorEnrolmentsDataDto,
  FalkorEnrolmentsPayloadDto,
  FalkorEnrolmentStatusDto,
  FalkorEventDto,
  FalkorEventsDataDto,
  FalkorEventsPayloadDto,
  FalkorPathwayDto,
  FalkorRewardDto,
  FalkorRewardsDataDto,
  FalkorRewardsPayloadDto,
  FalkorVoucherDto,
} from '../../src/index.js';

/**
 * The platform's catalog as `../shared/notes/platform.md` documents it, written out here on its own
 * (not read from the DTOs' rules), with generators of valid deliveries, of structural mutations and
 * a model of what the validated instance and the undocumented values must be.
 */

/** The three webhooks. */
export const CATALOG_TYPES = ['enrolments', 'events', 'rewards'] as const;

/** One of the three webhooks. */
export type CatalogType = (typeof CATALOG_TYPES)[number];

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** The JSON type a field must have (`count`: a number or a string, digit strings becoming numbers). */
export type ScalarKind = 'text' | 'integer' | 'number' | 'object' | 'count';

/** A field holding a value rather than a DTO. */
export interface ScalarSpec {
  readonly kind: ScalarKind;
  readonly required: boolean;
  /** Whether a present value (after coercion) is one the docs list. */
  readonly documented?: (value: unknown) => boolean;
  /** Valid values, documented or not. */
  readonly values: fc.Arbitrary<unknown>;
  /** Valid values the docs list (for fields with documented values). */
  readonly documentedValues?: fc.Arbitrary<unknown>;
}

/** A DTO of the catalog. */
export interface NodeSpec {
  readonly dto: abstract new () => object;
  readonly scalars: Readonly<Record<string, ScalarSpec>>;
  readonly nested: Readonly<Record<string, NodeSpec>>;
  readonly lists: Readonly<Record<string, NodeSpec>>;
}

// ---------------------------------------------------------------------------------------------
// Documented values, decided by class-validator and the docs' lists

const listed =
  (...values: string[]) =>
  (value: unknown): boolean =>
    values.includes(value as string);

export const ENROLMENT_STATES = ['In Progress', 'Complete'];
export const ATTENDEE_STATES = ['booked', 'absent', 'attended'];
export const VOUCHER_STATES = ['pending', 'notified', 'verify', 'redeemed', 'expired'];

/** What the docs list for each field that has documented values. */
export const DOCUMENTED = {
  enrolmentState: listed(...ENROLMENT_STATES),
  attendeeState: listed(...ATTENDEE_STATES),
  voucherState: listed(...VOUCHER_STATES),
  percentage: (value: unknown) => typeof value === 'number' && value >= 0 && value <= 100,
  timestamp: (value: unknown) => typeof value === 'string' && isISO8601(value, { strict: true }),
  email: (value: unknown) => typeof value === 'string' && isEmail(value, { require_tld: false }),
  booked: (value: unknown) => typeof value === 'number',
  available: (value: unknown) => typeof value === 'number' || value === 'Unlimited',
};

// ---------------------------------------------------------------------------------------------
// Values

/** Keys class-transformer never copies onto a new object: Object.prototype's, and `__proto__`. */
export const PROTOTYPE_KEYS: readonly string[] = Object.getOwnPropertyNames(Object.prototype);

const FORBIDDEN_KEYS = new Set([...PROTOTYPE_KEYS, '__proto__']);

/** Any text: arbitrary code points (astral ones included), ASCII, and a few odd ones. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 8 }) },
  fc.constantFrom(' ', 'null', '0', '12', 'false', 'Ünïcödé 😀', '\u0000', '\ud83d', '\u2028'),
);

/** Non-empty text. */
const someText = anyText.filter((text) => text.length > 0);

const digits = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });

const two = (max: number, min = 0) =>
  fc.integer({ min, max }).map((n) => String(n).padStart(2, '0'));

/** RFC 3339 timestamps of real dates from year 1000, as the docs write them. */
export const rfc3339: fc.Arbitrary<string> = fc
  .record({
    date: fc.date({
      min: new Date('1000-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
    fraction: fc.oneof(
      fc.constant(''),
      digits(1, 9).map((d) => `.${d}`),
    ),
    zone: fc.oneof(
      fc.constant('Z'),
      fc
        .tuple(fc.constantFrom('+', '-'), two(23), two(59))
        .map(([sign, h, m]) => `${sign}${h}:${m}`),
    ),
  })
  .map(({ date, fraction, zone }) => `${date.toISOString().slice(0, 19)}${fraction}${zone}`);

/** Timestamps, most of them ISO 8601, some near misses, some anything. */
const timestamps = fc.oneof(
  { weight: 3, arbitrary: rfc3339 },
  fc.constantFrom(
    '2020-10-09T14:59:06+02:00',
    '2020-10-09 14:59:06',
    '2020-10-09',
    '2020-02-30T10:00:00Z',
    '2020-10-09T14:59:06+0200',
    'never',
    '09/10/2020',
  ),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  anyText,
);

/** Plain addresses a host without a TLD included (`test2@example`, as in the docs). */
export const plainEmail: fc.Arbitrary<string> = fc
  .tuple(fc.stringMatching(/^[a-z0-9]{1,8}$/), fc.stringMatching(/^[a-z]{1,8}(\.[a-z]{2,4})?$/))
  .map(([local, host]) => `${local}@${host}`);

/** Whether a string holds a lone surrogate (class-validator's `isEmail` throws on one). */
export function hasLoneSurrogate(text: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

/**
 * Addresses, most of them valid, some near misses, some anything but a lone surrogate: `isEmail`
 * throws on those (see "found in src" in catalog.property.spec.ts).
 */
const emails = fc.oneof(
  { weight: 3, arbitrary: plainEmail },
  fc.constantFrom('test2@example', 'test@example.com', 'no-at-sign', '@example.com', 'a@', 'a@@b'),
  fc.emailAddress(),
  anyText.filter((text) => !hasLoneSurrogate(text)),
);

const states = (documented: readonly string[], near: readonly string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...documented) },
    fc.constantFrom(...near),
    anyText,
  );

/** A string the count coercion leaves as it is: not made of digits, dots and minus signs only. */
const nonNumericText = anyText.filter((text) => !/^[-\d.]+$/.test(text));

const finiteDouble = fc.double({ noNaN: true, noDefaultInfinity: true });

/** `booked`/`available`: numbers, digit strings (which become numbers), `Unlimited`, other text. */
const counts = fc.oneof(
  { weight: 2, arbitrary: fc.nat({ max: 1000 }) },
  finiteDouble,
  { weight: 2, arbitrary: digits(1, 15) },
  fc.constant('Unlimited'),
  nonNumericText,
);

/** Documented counts: numbers or digit strings, and `Unlimited` for `available`. */
const documentedCounts = (unlimited: boolean) =>
  fc.oneof(fc.nat({ max: 1000 }), digits(1, 15), ...(unlimited ? [fc.constant('Unlimited')] : []));

const integers = fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.constantFrom(0, -1, 100));

const percentages = fc.double({ min: 0, max: 100, noNaN: true });

const progresses = fc.oneof(
  { weight: 3, arbitrary: percentages },
  fc.integer({ min: -10, max: 110 }),
  finiteDouble,
);

/** Drops the keys class-transformer never copies, at every depth. */
export function sanitize(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sanitize);
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  const copy: JsonObject = {};
  for (const [key, inner] of Object.entries(value)) {
    if (!FORBIDDEN_KEYS.has(key)) {
      copy[key] = sanitize(inner);
    }
  }
  return copy;
}

/** Small JSON values of any kind, their strings any code points, without prototype keys. */
export const plainJson: fc.Arbitrary<unknown> = fc
  .jsonValue({ maxDepth: 2, stringUnit: 'binary' })
  .map(sanitize);

/** A key no level of the catalog treats specially. */
export const safeKey: fc.Arbitrary<string> = fc
  .oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ maxLength: 6 }))
  .filter((key) => !FORBIDDEN_KEYS.has(key));

// ---------------------------------------------------------------------------------------------
// The catalog

const text = (values: fc.Arbitrary<unknown> = anyText): ScalarSpec => ({
  kind: 'text',
  required: true,
  values,
});
const optionalText = (values: fc.Arbitrary<unknown> = anyText): ScalarSpec => ({
  kind: 'text',
  required: false,
  values,
});
const documentedText = (
  required: boolean,
  documented: (value: unknown) => boolean,
  values: fc.Arbitrary<unknown>,
  documentedValues: fc.Arbitrary<unknown>,
): ScalarSpec => ({ kind: 'text', required, documented, values, documentedValues });

const LEARNER = {
  firstname: optionalText(),
  lastname: optionalText(),
  country: optionalText(),
  city: optionalText(),
};

const PATHWAY: NodeSpec = {
  dto: FalkorPathwayDto,
  scalars: { name: optionalText(), ID: text() },
  nested: {},
  lists: {},
};

const STATUS: NodeSpec = {
  dto: FalkorEnrolmentStatusDto,
  scalars: {
    level: { kind: 'integer', required: false, values: integers },
    state: documentedText(
      true,
      DOCUMENTED.enrolmentState,
      states(ENROLMENT_STATES, ['in progress', 'Completed', 'COMPLETE', 'In  Progress']),
      fc.constantFrom(...ENROLMENT_STATES),
    ),
    progress: {
      kind: 'number',
      required: false,
      documented: DOCUMENTED.percentage,
      values: progresses,
      documentedValues: percentages,
    },
    version: optionalText(),
    timestamp: documentedText(false, DOCUMENTED.timestamp, timestamps, rfc3339),
    joined: documentedText(false, DOCUMENTED.timestamp, timestamps, rfc3339),
  },
  nested: {},
  lists: {},
};

const ENROLMENT: NodeSpec = {
  dto: FalkorEnrolmentDto,
  scalars: {
    ...LEARNER,
    email: documentedText(true, DOCUMENTED.email, emails, plainEmail),
  },
  nested: { status: STATUS },
  lists: {},
};

const ATTENDEE: NodeSpec = {
  dto: FalkorAttendeeDto,
  scalars: {
    ...LEARNER,
    guid: text(fc.oneof(fc.uuid(), anyText)),
    state: documentedText(
      true,
      DOCUMENTED.attendeeState,
      states(ATTENDEE_STATES, ['Booked', 'ATTENDED', ' booked', 'cancelled']),
      fc.constantFrom(...ATTENDEE_STATES),
    ),
    email: documentedText(false, DOCUMENTED.email, emails, plainEmail),
  },
  nested: {},
  lists: {},
};

/** Venues: the docs' `place` and `location`, or any object. */
const venues = fc.oneof(
  fc.record({ place: anyText, location: anyText }),
  fc.dictionary(safeKey, plainJson, { maxKeys: 3, noNullPrototype: true }),
);

const EVENT: NodeSpec = {
  dto: FalkorEventDto,
  scalars: {
    ID: text(),
    type: optionalText(fc.oneof(fc.constantFrom('event', 'classroom'), anyText)),
    name: optionalText(),
    start: documentedText(false, DOCUMENTED.timestamp, timestamps, rfc3339),
    end: documentedText(false, DOCUMENTED.timestamp, timestamps, rfc3339),
    venue: { kind: 'object', required: false, values: venues },
    booked: {
      kind: 'count',
      required: false,
      documented: DOCUMENTED.booked,
      values: counts,
      documentedValues: documentedCounts(false),
    },
    available: {
      kind: 'count',
      required: false,
      documented: DOCUMENTED.available,
      values: counts,
      documentedValues: documentedCounts(true),
    },
  },
  nested: {},
  lists: { attendees: ATTENDEE },
};

const VOUCHER: NodeSpec = {
  dto: FalkorVoucherDto,
  scalars: {
    ...LEARNER,
    guid: text(fc.oneof(fc.uuid(), anyText)),
    state: documentedText(
      true,
      DOCUMENTED.voucherState,
      states(VOUCHER_STATES, ['Pending', 'REDEEMED', 'used', 'expired ']),
      fc.constantFrom(...VOUCHER_STATES),
    ),
    expires: optionalText(fc.oneof(fc.constant('never'), rfc3339, anyText)),
    email: documentedText(false, DOCUMENTED.email, emails, plainEmail),
  },
  nested: {},
  lists: {},
};

const REWARD: NodeSpec = {
  dto: FalkorRewardDto,
  scalars: { ID: text(), name: optionalText() },
  nested: {},
  lists: { vouchers: VOUCHER },
};

const envelope = (
  type: CatalogType,
  payload: NodeSpec['dto'],
  data: NodeSpec['dto'],
  record: NodeSpec,
): NodeSpec => ({
  dto: payload,
  scalars: { type: text(fc.constant(type)) },
  nested: {
    data: { dto: data, scalars: {}, nested: { pathway: PATHWAY }, lists: { [type]: record } },
  },
  lists: {},
});

/** The DTO tree of each webhook, from the envelope down. */
export const CATALOG: Readonly<Record<CatalogType, NodeSpec>> = {
  enrolments: envelope(
    'enrolments',
    FalkorEnrolmentsPayloadDto,
    FalkorEnrolmentsDataDto,
    ENROLMENT,
  ),
  events: envelope('events', FalkorEventsPayloadDto, FalkorEventsDataDto, EVENT),
  rewards: envelope('rewards', FalkorRewardsPayloadDto, FalkorRewardsDataDto, REWARD),
};

function fieldNames(node: NodeSpec): string[] {
  return [...Object.keys(node.scalars), ...Object.keys(node.nested), ...Object.keys(node.lists)];
}

// ---------------------------------------------------------------------------------------------
// Valid deliveries

/** How {@link validBody} builds a delivery. */
export interface BodyOptions {
  /** Keys of the unknown fields of each DTO-level object. */
  readonly extraKey: fc.Arbitrary<string>;
  /** Values of the unknown fields. */
  readonly extraValue: fc.Arbitrary<unknown>;
  /** The most records per list. */
  readonly maxRecords: number;
  /** Only values the docs list, in the fields that have documented values. */
  readonly documentedOnly: boolean;
}

/** Unknown keys and values that no level treats specially, up to 3 records per list. */
export const PLAIN_BODY: BodyOptions = {
  extraKey: safeKey,
  extraValue: plainJson,
  maxRecords: 3,
  documentedOnly: false,
};

const ABSENT = Symbol('absent');

function define(object: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(object, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function scalarValues(spec: ScalarSpec, options: BodyOptions): fc.Arbitrary<unknown> {
  const values =
    options.documentedOnly && spec.documentedValues ? spec.documentedValues : spec.values;
  return spec.required
    ? values
    : fc.oneof(
        { weight: 4, arbitrary: values },
        { weight: 1, arbitrary: fc.constant(ABSENT) },
        { weight: 1, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.constant('') },
      );
}

function nodeValue(node: NodeSpec, options: BodyOptions): fc.Arbitrary<JsonObject> {
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, spec] of Object.entries(node.scalars)) {
    fields[name] = scalarValues(spec, options);
  }
  for (const [name, child] of Object.entries(node.nested)) {
    fields[name] = nodeValue(child, options);
  }
  for (const [name, child] of Object.entries(node.lists)) {
    fields[name] = fc.array(nodeValue(child, options), { maxLength: options.maxRecords });
  }
  const names = fieldNames(node);
  const extras = fc.dictionary(
    options.extraKey.filter((key) => !names.includes(key)),
    options.extraValue,
    { maxKeys: 2, noNullPrototype: true },
  );
  return fc.tuple(fc.record(fields), extras, fc.boolean()).map(([known, extra, extraFirst]) => {
    const object: JsonObject = {};
    const entries = [
      ...Object.entries(known).filter(([, value]) => value !== ABSENT),
      ...Object.entries(extra),
    ];
    for (const [key, value] of extraFirst ? entries.reverse() : entries) {
      define(object, key, value);
    }
    return object;
  });
}

/** A JSON round trip, keeping own `__proto__` keys as `JSON.parse` does. */
export function jsonRoundTrip<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A valid delivery of a type, as `JSON.parse` gives it. */
export function validBody(
  type: CatalogType,
  options: BodyOptions = PLAIN_BODY,
): fc.Arbitrary<JsonObject> {
  return nodeValue(CATALOG[type], options).map(jsonRoundTrip);
}

// ---------------------------------------------------------------------------------------------
// The model of the validated instance

/** `booked`/`available`: a string of digits becomes its number. */
export function coerceCount(value: unknown): unknown {
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
}

const DTO_NAMES = new Map<object, string>();
function registerNames(node: NodeSpec): void {
  DTO_NAMES.set(node.dto.prototype as object, node.dto.name);
  [...Object.values(node.nested), ...Object.values(node.lists)].forEach(registerNames);
}
Object.values(CATALOG).forEach(registerNames);
const otherPrototypes = new WeakMap<object, string>();
let otherCount = 0;

function prototypeName(prototype: object | null): string {
  if (prototype === null) {
    return 'null';
  }
  if (prototype === Object.prototype) {
    return 'Object';
  }
  if (prototype === Array.prototype) {
    return 'Array';
  }
  const name = DTO_NAMES.get(prototype) ?? otherPrototypes.get(prototype);
  if (name !== undefined) {
    return name;
  }
  otherCount += 1;
  const other = `unexpected prototype #${otherCount}`;
  otherPrototypes.set(prototype, other);
  return other;
}

/**
 * A value as a tree that `toStrictEqual` compares entirely: every object's and array's prototype
 * (by identity), its own enumerable keys in a fixed order, and every primitive. Keys holding
 * `undefined` are left out, as `toEqual` does: JSON has no `undefined`, and a DTO instance has every
 * declared field as an own property (class fields of ES2022), `undefined` when absent.
 */
export type Tree =
  | { readonly prototype: string; readonly entries: readonly (readonly [string, Tree])[] }
  | { readonly prototype: string; readonly items: readonly Tree[] }
  | { readonly primitive: unknown };

/** The {@link Tree} of any value. */
export function tree(value: unknown): Tree {
  if (Array.isArray(value)) {
    return { prototype: prototypeName(Object.getPrototypeOf(value)), items: value.map(tree) };
  }
  if (typeof value === 'object' && value !== null) {
    return {
      prototype: prototypeName(Object.getPrototypeOf(value)),
      entries: Object.keys(value)
        .filter((key) => (value as JsonObject)[key] !== undefined)
        .sort()
        .map((key) => [key, tree((value as JsonObject)[key])] as const),
    };
  }
  return { primitive: value };
}

/** The {@link Tree} the validated instance of a valid object of `node` must have. */
export function expectedTree(node: NodeSpec, value: JsonObject): Tree {
  return {
    prototype: prototypeName(node.dto.prototype as object),
    entries: Object.keys(value)
      .sort()
      .map((key) => {
        const inner = value[key];
        const scalar = node.scalars[key];
        if (Object.hasOwn(node.nested, key)) {
          return [key, expectedTree(node.nested[key], inner as JsonObject)] as const;
        }
        if (Object.hasOwn(node.lists, key)) {
          const child = node.lists[key];
          const items = (inner as JsonObject[]).map((item) => expectedTree(child, item));
          return [key, { prototype: 'Array', items }] as const;
        }
        if (Object.hasOwn(node.scalars, key) && scalar.kind === 'count') {
          return [key, tree(coerceCount(inner))] as const;
        }
        return [key, tree(inner)] as const;
      }),
  };
}

/** The instance of a valid delivery of `type` must have. */
export function expectedPayloadTree(type: CatalogType, body: JsonObject): Tree {
  return expectedTree(CATALOG[type], body);
}

/** One value the docs do not list. */
export interface Undocumented {
  readonly property: string;
  readonly value: unknown;
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function collectUndocumented(
  node: NodeSpec,
  value: JsonObject,
  path: string,
  found: Undocumented[],
): void {
  const at = (key: string) => (path ? `${path}.${key}` : key);
  for (const [key, spec] of Object.entries(node.scalars)) {
    const inner = spec.kind === 'count' ? coerceCount(value[key]) : value[key];
    if (spec.documented && isPresent(inner) && !spec.documented(inner)) {
      found.push({ property: at(key), value: inner });
    }
  }
  for (const [key, child] of Object.entries(node.nested)) {
    collectUndocumented(child, value[key] as JsonObject, at(key), found);
  }
  for (const [key, child] of Object.entries(node.lists)) {
    (value[key] as JsonObject[]).forEach((item, index) =>
      collectUndocumented(child, item, at(`${key}.${index}`), found),
    );
  }
}

/** Every value of a valid delivery that the docs do not list, by property path. */
export function expectedUndocumented(type: CatalogType, body: JsonObject): Undocumented[] {
  const found: Undocumented[] = [];
  collectUndocumented(CATALOG[type], body, '', found);
  return found.sort(byProperty);
}

/** Orders values by property path. */
export function byProperty(a: { property: string }, b: { property: string }): number {
  return a.property < b.property ? -1 : a.property > b.property ? 1 : 0;
}

/** How many present values of fields with documented values a delivery holds. */
export function documentedFieldCount(type: CatalogType, body: JsonObject): number {
  let count = 0;
  const visit = (node: NodeSpec, value: JsonObject) => {
    for (const [key, spec] of Object.entries(node.scalars)) {
      count += spec.documented && isPresent(value[key]) ? 1 : 0;
    }
    Object.entries(node.nested).forEach(([key, child]) => visit(child, value[key] as JsonObject));
    Object.entries(node.lists).forEach(([key, child]) =>
      (value[key] as JsonObject[]).forEach((item) => visit(child, item)),
    );
  };
  visit(CATALOG[type], body);
  return count;
}

// ---------------------------------------------------------------------------------------------
// Structural mutations

/** A mutated delivery and the full dotted path of the property that was mutated. */
export interface Mutation {
  readonly body: JsonObject;
  readonly path: string;
  /** What was done, for failure reports. */
  readonly what: string;
}

const DELETE = Symbol('delete');

const smallObject = fc.dictionary(safeKey, plainJson, { maxKeys: 2, noNullPrototype: true });
const smallArray = fc.array(plainJson, { maxLength: 2 });
const nonInteger = finiteDouble.filter((n) => !Number.isInteger(n));

/** Values of the wrong JSON type for each kind of field (for a required one, `null` too). */
function wrongValues(
  kind: ScalarKind | 'nested' | 'list',
  required: boolean,
): fc.Arbitrary<unknown> {
  const nullable = required ? [fc.constant(null)] : [];
  switch (kind) {
    case 'text':
      return fc.oneof(finiteDouble, fc.boolean(), smallObject, smallArray, ...nullable);
    case 'integer':
      return fc.oneof(someText, nonInteger, fc.boolean(), smallObject, smallArray);
    case 'number':
      return fc.oneof(someText, fc.boolean(), smallObject, smallArray);
    case 'object':
      return fc.oneof(someText, finiteDouble, fc.boolean(), smallArray);
    case 'count':
      return fc.oneof(fc.boolean(), smallObject, smallArray);
    case 'nested':
      return fc.oneof(anyText, finiteDouble, fc.boolean(), fc.constant(null), smallArray);
    case 'list':
      return fc.oneof(anyText, finiteDouble, fc.boolean(), fc.constant(null));
  }
}

/** A record replaced by a scalar or `null` (an array in its place is left to its own test). */
const nonObjectRecord = fc.oneof(anyText, finiteDouble, fc.boolean(), fc.constant(null));

interface Target {
  readonly path: readonly (string | number)[];
  readonly what: string;
  readonly replacement: fc.Arbitrary<unknown>;
}

function collectTargets(
  node: NodeSpec,
  value: JsonObject,
  path: readonly (string | number)[],
  targets: Target[],
): void {
  const remove = (key: string) =>
    targets.push({ path: [...path, key], what: 'deleted', replacement: fc.constant(DELETE) });
  for (const [key, spec] of Object.entries(node.scalars)) {
    if (spec.required) {
      remove(key);
    }
    targets.push({
      path: [...path, key],
      what: `${spec.kind} field replaced by a wrong type`,
      replacement: wrongValues(spec.kind, spec.required),
    });
  }
  for (const [key, child] of Object.entries(node.nested)) {
    remove(key);
    targets.push({
      path: [...path, key],
      what: 'an object replaced by a non-object',
      replacement: wrongValues('nested', true),
    });
    collectTargets(child, value[key] as JsonObject, [...path, key], targets);
  }
  for (const [key, child] of Object.entries(node.lists)) {
    remove(key);
    targets.push({
      path: [...path, key],
      what: 'a list replaced by a non-list',
      replacement: wrongValues('list', true),
    });
    targets.push({
      path: [...path, key],
      what: 'a list replaced by an object',
      replacement: smallObject,
    });
    (value[key] as JsonObject[]).forEach((item, index) => {
      targets.push({
        path: [...path, key, index],
        what: 'a record replaced by a non-object',
        replacement: nonObjectRecord,
      });
      collectTargets(child, item, [...path, key, index], targets);
    });
  }
}

/** A copy of `body` with the value at `path` replaced (or deleted). */
export function withValueAt(
  body: JsonObject,
  path: readonly (string | number)[],
  value: unknown,
): JsonObject {
  const copy = jsonRoundTrip(body);
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    parent = parent[key] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1];
  if (value === DELETE) {
    delete parent[last];
  } else {
    define(parent as JsonObject, String(last), value);
  }
  return copy;
}

/**
 * A valid delivery with one structural fault: a required field deleted, a value of the wrong JSON
 * type, a record that is not an object, a list that is not a list.
 */
export function structuralMutation(
  type: CatalogType,
  options: BodyOptions = PLAIN_BODY,
): fc.Arbitrary<Mutation> {
  return validBody(type, options).chain((body) => {
    const targets: Target[] = [];
    collectTargets(CATALOG[type], body, [], targets);
    return fc.constantFrom(...targets).chain((target) =>
      target.replacement.map((replacement) => ({
        body: jsonRoundTrip(withValueAt(body, target.path, replacement)),
        path: target.path.join('.'),
        what: target.what,
      })),
    );
  });
}

function allPaths(value: unknown, path: (string | number)[], paths: (string | number)[][]): void {
  if (path.length > 0) {
    paths.push(path);
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => allPaths(item, [...path, index], paths));
  } else if (typeof value === 'object' && value !== null) {
    Object.keys(value).forEach((key) =>
      allPaths((value as JsonObject)[key], [...path, key], paths),
    );
  }
}

/** A valid delivery with any one value (at any depth, known field or not) replaced by `values`. */
export function anyReplacement(
  type: CatalogType,
  values: fc.Arbitrary<unknown>,
  options: BodyOptions = PLAIN_BODY,
): fc.Arbitrary<Mutation> {
  return validBody(type, options).chain((body) => {
    const paths: (string | number)[][] = [];
    allPaths(body, [], paths);
    return fc.tuple(fc.constantFrom(...paths), values).map(([path, value]) => ({
      body: jsonRoundTrip(withValueAt(body, path, value)),
      path: path.join('.'),
      what: 'any value replaced',
    }));
  });
}
