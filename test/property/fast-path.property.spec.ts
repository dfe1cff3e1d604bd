import { describe, expect, it } from '@jest/globals';
import { Transform, Type } from 'class-transformer';
import {
  IsDate,
  IsInt,
  IsOptional,
  IsString,
  Min,
  ValidateIf,
  ValidateNested,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
  type ValidatorOptions,
  Validate,
} from 'class-validator';
import fc from 'fast-check';
import {
  fastFalkorPayload,
  validateFalkorPayload,
  validateFalkorPayloadStraight,
} from '../../src/events/event-validator.js';
import {
  FALKOR_EVENT_CATALOG,
  FALKOR_EVENT_TYPES,
  type FalkorEventType,
  parseFalkorBody,
} from '../../src/index.js';
import { FALKOR_SAMPLE_PAYLOADS } from '../../src/testing/index.js';

const RUNS = 400;

/** JSON as text is built, so that keys such as `__proto__` and duplicate keys can be sent. */
type Json = null | boolean | number | string | Json[] | { readonly entries: [string, Json][] };

function toJson(value: unknown): Json {
  if (Array.isArray(value)) {
    return value.map(toJson);
  }
  if (typeof value === 'object' && value !== null) {
    return { entries: Object.entries(value).map(([key, inner]) => [key, toJson(inner)]) };
  }
  return value as Json;
}

function serialise(value: Json): string {
  if (Array.isArray(value)) {
    return `[${value.map(serialise).join(',')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${serialise(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Keys that class-transformer, JSON parsers or prototypes treat specially. */
const trickyKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
  'then',
  'length',
  '0',
);

const trickyString = fc.constantFrom(
  '',
  ' ',
  'zoe@example.com',
  'not an e-mail',
  'https://learn.example.com/p/1',
  'http://localhost:3000/x',
  'not a url',
  '2026-11-28T10:15:00+00:00',
  '2026-11-28T10:15:00Z',
  '2026-02-30T10:15:00Z',
  '2026-11-28',
  '28/11/2026',
  'enrolment.completed',
  'completed',
);

const jsonLeaf: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(0, -1, 1, 50, 100, 101, 1.5, -0.5, 1e21),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  trickyString,
  fc.string({ maxLength: 12 }),
);

const { json } = fc.letrec<{ json: Json; object: Json; array: Json }>((tie) => ({
  json: fc.oneof({ depthSize: 'small' }, jsonLeaf, tie('object'), tie('array')),
  object: fc
    .array(fc.tuple(fc.oneof(trickyKey, fc.string({ maxLength: 8 })), tie('json')), {
      maxLength: 4,
    })
    .map((entries) => ({ entries })),
  array: fc.array(tie('json'), { maxLength: 3 }),
}));

/** A change to a payload: at a field of the sample, or at a path of entry indexes. */
type Mutation =
  | { readonly kind: 'field'; readonly field: number; readonly value: Json | undefined }
  | { readonly kind: 'delete'; readonly path: readonly number[] }
  | { readonly kind: 'replace'; readonly path: readonly number[]; readonly value: Json }
  | {
      readonly kind: 'add';
      readonly path: readonly number[];
      readonly key: string;
      readonly value: Json;
    };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('field' as const),
      field: fc.nat(),
      value: fc.option(fc.oneof(trickyString, jsonLeaf, json), { nil: undefined }),
    }),
    weight: 6,
  },
  fc.record({
    kind: fc.constant('delete' as const),
    path: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    kind: fc.constant('replace' as const),
    path: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
    value: json,
  }),
  fc.record({
    kind: fc.constant('add' as const),
    path: fc.array(fc.nat(), { maxLength: 2 }),
    key: fc.oneof(trickyKey, fc.string({ maxLength: 8 })),
    value: json,
  }),
);

/** Follows a path of entry indexes (modulo the entry count) through nested objects. */
function entriesAt(root: Json, path: readonly number[]): [string, Json][] | undefined {
  let node = root;
  for (const step of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      return undefined;
    }
    const entries = node.entries;
    if (entries.length === 0) {
      return undefined;
    }
    node = entries[step % entries.length][1];
  }
  return typeof node === 'object' && node !== null && !Array.isArray(node)
    ? node.entries
    : undefined;
}

/** The paths of every leaf of a sample payload, e.g. `['user', 'email']`. */
function leafPaths(value: unknown, prefix: readonly string[] = []): string[][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [[...prefix]];
  }
  return Object.entries(value).flatMap(([key, inner]) => leafPaths(inner, [...prefix, key]));
}

function setField(root: Json, path: readonly string[], value: Json | undefined): void {
  let entries = (root as { entries: [string, Json][] }).entries;
  for (const key of path.slice(0, -1)) {
    const inner = entries.find(([k]) => k === key)?.[1];
    if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) {
      return;
    }
    entries = inner.entries;
  }
  const index = entries.findIndex(([k]) => k === path[path.length - 1]);
  if (index === -1) {
    return;
  }
  if (value === undefined) {
    entries.splice(index, 1);
  } else {
    entries[index] = [entries[index][0], value];
  }
}

function apply(root: Json, change: Mutation, fields: readonly string[][]): void {
  if (change.kind === 'field') {
    setField(root, fields[change.field % fields.length], change.value);
    return;
  }
  const parent = entriesAt(root, change.kind === 'add' ? change.path : change.path.slice(0, -1));
  if (!parent) {
    return;
  }
  if (change.kind === 'add') {
    parent.push([change.key, change.value]);
    return;
  }
  if (parent.length === 0) {
    return;
  }
  const index = change.path[change.path.length - 1] % parent.length;
  if (change.kind === 'delete') {
    parent.splice(index, 1);
  } else {
    parent[index] = [parent[index][0], change.value];
  }
}

/** A delivery body of a catalog type: its sample payload, changed in a few places (or not). */
const delivery = fc
  .tuple(
    fc.constantFrom(...FALKOR_EVENT_TYPES),
    fc.array(mutation, { maxLength: 3 }),
    fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 4 },
      fc.constantFrom(...FALKOR_EVENT_TYPES),
    ),
  )
  .map(([type, changes, declared]) => {
    const sample = FALKOR_SAMPLE_PAYLOADS[type as FalkorEventType];
    const root = toJson(sample);
    const fields = leafPaths(sample);
    changes.forEach((change) => apply(root, change, fields));
    return { type: declared ?? type, text: serialise(root) };
  });

type Outcome =
  | { readonly accepted: true; readonly value: unknown }
  | { readonly accepted: false; readonly error: unknown };

async function outcomeOf(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { accepted: true, value: await run() };
  } catch (error) {
    return { accepted: false, error };
  }
}

/**
 * Asserts that two values are the same instance tree: same prototypes, same own properties in
 * the same order, same primitive values.
 */
function expectSameTree(actual: unknown, expected: unknown, path = '$'): void {
  if (typeof expected !== 'object' || expected === null) {
    expect({ path, value: actual }).toEqual({ path, value: expected });
    return;
  }
  expect(typeof actual).toBe('object');
  const object = actual as object;
  expect({
    path,
    prototype: Object.getPrototypeOf(object) === Object.getPrototypeOf(expected),
  }).toEqual({
    path,
    prototype: true,
  });
  if (expected instanceof Date) {
    expect((object as Date).getTime()).toBe(expected.getTime());
    return;
  }
  expect({ path, keys: Reflect.ownKeys(object) }).toEqual({
    path,
    keys: Reflect.ownKeys(expected),
  });
  for (const key of Object.getOwnPropertyNames(expected)) {
    expectSameTree(
      (object as Record<string, unknown>)[key],
      (expected as Record<string, unknown>)[key],
      `${path}.${key}`,
    );
  }
}

function expectSameOutcome(actual: Outcome, expected: Outcome): void {
  expect(actual.accepted).toBe(expected.accepted);
  if (actual.accepted && expected.accepted) {
    expectSameTree(actual.value, expected.value);
  } else if (!actual.accepted && !expected.accepted) {
    expect((actual.error as Error).constructor).toBe((expected.error as Error).constructor);
    expect(actual.error).toEqual(expected.error);
  }
}

/** Parses a body as the module does, or as JSON.parse does (own `__proto__` keys kept). */
const parsers = {
  module: (text: string) => parseFalkorBody(Buffer.from(text)),
  'JSON.parse': (text: string) => JSON.parse(text) as Record<string, unknown>,
};

describe.each(Object.entries(parsers))('the fast path on bodies parsed by %s', (_, parse) => {
  it('accepts exactly the catalog deliveries the straightforward path accepts, with the same instance', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(delivery, async ({ type, text }) => {
        let body: Record<string, unknown>;
        try {
          body = parse(text);
        } catch {
          return;
        }
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          return;
        }
        const dto = FALKOR_EVENT_CATALOG[type];
        const straight = await outcomeOf(() => validateFalkorPayloadStraight(dto, type, body));
        const fast = fastFalkorPayload(dto, body);
        if (straight.accepted) {
          accepted++;
          expect(fast).toBeDefined();
          expectSameTree(fast, straight.value);
        } else {
          expect(fast).toBeUndefined();
        }
        expectSameOutcome(await outcomeOf(() => validateFalkorPayload(dto, type, body)), straight);
      }),
      { numRuns: RUNS },
    );
    expect(accepted).toBeGreaterThan(RUNS / 10);
  });
});

@ValidatorConstraint({ name: 'isEvenLater', async: true })
class IsEvenLater implements ValidatorConstraintInterface {
  async validate(value: unknown): Promise<boolean> {
    await Promise.resolve();
    return typeof value === 'number' && value % 2 === 0;
  }
}

class Item {
  @IsString()
  sku: string;

  @IsInt()
  @Min(1)
  quantity: number;
}

/** A user DTO with what the fast path leaves to class-transformer and class-validator. */
class CustomDto {
  @IsString()
  event: string;

  @ValidateNested({ each: true })
  @Type(() => Item)
  items: Item[];

  @IsOptional()
  @IsString({ each: true })
  tags?: string[];

  @ValidateIf((dto: CustomDto) => dto.event === 'order.paid')
  @IsInt()
  amount?: number;

  @IsOptional()
  @Type(() => Date)
  @IsDate()
  paidAt?: Date;

  @IsOptional()
  @ValidateNested()
  meta?: Record<string, unknown>;
}

class TransformedDto extends CustomDto {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  note: string;
}

class AsyncDto extends CustomDto {
  @IsOptional()
  @Validate(IsEvenLater)
  parity?: number;
}

/** Any JSON value, as JSON.parse gives it. */
const anyJson = json.map((value) => JSON.parse(serialise(value)) as unknown);

/** A body every rule of {@link CustomDto} accepts (optional fields present or not). */
const validCustomBody = fc.record(
  {
    event: fc.constantFrom('order.paid', 'order.created'),
    items: fc.array(
      fc.record({ sku: fc.string({ maxLength: 4 }), quantity: fc.integer({ min: 1, max: 9 }) }),
      { maxLength: 3 },
    ),
    tags: fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
    amount: fc.integer({ min: -5, max: 5 }),
    paidAt: fc.constantFrom('2026-11-28T10:15:00Z', '2026-11-28'),
    note: fc.string({ maxLength: 4 }),
  },
  { requiredKeys: ['event', 'items', 'amount', 'note'] },
);

/** A body with any field anything, or missing. */
const anyCustomBody = fc.record(
  {
    event: fc.oneof(fc.constantFrom('order.paid', 'order.created'), jsonLeaf),
    items: fc.oneof(
      fc.array(
        fc.record(
          {
            sku: fc.oneof(fc.string({ maxLength: 4 }), jsonLeaf),
            quantity: fc.oneof(fc.integer({ min: -1, max: 3 }), jsonLeaf),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
      jsonLeaf,
      anyJson,
    ),
    tags: fc.oneof(
      fc.array(fc.oneof(fc.string({ maxLength: 4 }), jsonLeaf), { maxLength: 3 }),
      jsonLeaf,
    ),
    amount: fc.oneof(fc.integer({ min: -5, max: 5 }), jsonLeaf),
    paidAt: fc.oneof(trickyString, jsonLeaf),
    note: fc.oneof(fc.constantFrom(' x ', 'y'), jsonLeaf),
    parity: fc.oneof(fc.integer({ min: 0, max: 5 }), jsonLeaf),
    meta: fc.oneof(fc.constant({}), anyJson),
  },
  { requiredKeys: [] },
);

const customBody = fc.oneof(validCustomBody, anyCustomBody);

/** Option sets, and whether the fast path may decide under them. */
const optionSets: Record<string, [ValidatorOptions | undefined, boolean]> = {
  defaults: [undefined, true],
  'stopAtFirstError and no default messages': [
    { stopAtFirstError: true, dismissDefaultMessages: true },
    true,
  ],
  'unknown values allowed': [{ forbidUnknownValues: false }, true],
  whitelist: [{ whitelist: true }, false],
  skipMissingProperties: [{ skipMissingProperties: true }, false],
};

describe.each(Object.entries(optionSets))('user DTOs validated with %s options', (_, settings) => {
  const [options, decidable] = settings;
  it.each([
    ['plain @Type, @ValidateIf, each and Date', CustomDto, decidable],
    ['@Transform', TransformedDto, false],
    ['an asynchronous constraint', AsyncDto, false],
  ] as const)('accept and reject as the straightforward path for %s', async (_, dto, taken) => {
    let fastAccepted = 0;
    await fc.assert(
      fc.asyncProperty(customBody, async (plain) => {
        const body = JSON.parse(JSON.stringify(plain)) as Record<string, unknown>;
        const straight = await outcomeOf(() =>
          validateFalkorPayloadStraight(dto, 'order.paid', body, options),
        );
        const fast = fastFalkorPayload(dto, body, options);
        if (fast !== undefined) {
          fastAccepted++;
          expect(straight.accepted).toBe(true);
          expectSameTree(fast, (straight as { value: unknown }).value);
        }
        expectSameOutcome(
          await outcomeOf(() => validateFalkorPayload(dto, 'order.paid', body, options)),
          straight,
        );
      }),
      { numRuns: RUNS / 4 },
    );
    expect(fastAccepted > 0).toBe(taken);
  });
});

describe('the fast path', () => {
  it('is taken for valid payloads of plain DTOs and left for what it does not handle', () => {
    const body = { event: 'order.paid', items: [{ sku: 'a', quantity: 1 }], amount: 2, note: 'x' };
    expect(fastFalkorPayload(CustomDto, body)).toBeInstanceOf(CustomDto);
    expect(fastFalkorPayload(TransformedDto, body)).toBeUndefined();
    expect(fastFalkorPayload(AsyncDto, body)).toBeUndefined();
    expect(fastFalkorPayload(CustomDto, body, { whitelist: true })).toBeUndefined();
  });
});
