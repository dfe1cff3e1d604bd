import { Transform, Type } from 'class-transformer';
import {
  buildMessage,
  IsArray,
  IsInt,
  IsNumber,
  IsObject,
  IsString,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

/** A catalog DTO class. */
export type FalkorDtoClass = new () => object;

/**
 * The JSON type a catalog field must have: `text` a string, `integer` a whole number, `number` a
 * finite number, `object` a JSON object, `count` a number or a string (the docs show both),
 * `nested` an object of a DTO, `list` an array of objects of a DTO.
 */
export type FalkorFieldKind =
  'text' | 'integer' | 'number' | 'object' | 'count' | 'nested' | 'list';

/**
 * The values the platform's docs list for a field. A value outside them is still accepted (and
 * logged once), unless `strictValues` is on.
 */
export interface FalkorDocumentedValues {
  /** Whether a present value is one the docs list. */
  readonly includes: (value: unknown) => boolean;
  /** What the docs list, for messages: `"In Progress" or "Complete"`. */
  readonly description: string;
}

/**
 * One field of a catalog DTO, as its decorator recorded it: the single description both the
 * compiled plan and the drift check are made from.
 */
export interface FalkorFieldRule {
  /** The property name, exactly as on the wire. */
  readonly property: string;
  /** The JSON type the field must have. */
  readonly kind: FalkorFieldKind;
  /** Whether the field must be present; an optional one may also be `null` or `""`. */
  readonly required: boolean;
  /** The DTO of a `nested` or `list` field. */
  readonly dto?: () => FalkorDtoClass;
  /** Rewrites a value before it is checked, as class-transformer's `@Transform` does. */
  readonly coerce?: (value: unknown) => unknown;
  /** The values the docs list, when they list some. */
  readonly documented?: FalkorDocumentedValues;
}

/** Metadata key under which each catalog class records its own {@link FalkorFieldRule}s. */
const FIELD_RULES = Symbol('falkor-webhook:field-rules');

/**
 * The field rules a class declared itself (not its ancestors'), or `undefined` for a class whose
 * fields were not declared with the catalog's decorators (a user's DTO).
 *
 * @param dto - the class
 */
export function ownFalkorFieldRules(dto: object): readonly FalkorFieldRule[] | undefined {
  return Reflect.getOwnMetadata(FIELD_RULES, dto) as readonly FalkorFieldRule[] | undefined;
}

const allRules = new WeakMap<object, readonly FalkorFieldRule[] | null>();

/**
 * The field rules of a class and its ancestors, ancestors first, or `undefined` when neither the
 * class nor any ancestor declared fields with the catalog's decorators. Looked up once per class:
 * call it only once the classes are declared.
 *
 * @param dto - the class
 */
export function falkorFieldRules(dto: object): readonly FalkorFieldRule[] | undefined {
  let rules = allRules.get(dto);
  if (rules === undefined) {
    const parent = Object.getPrototypeOf(dto) as object | null;
    const inherited =
      parent && parent !== Function.prototype ? falkorFieldRules(parent) : undefined;
    const own = ownFalkorFieldRules(dto);
    rules = own || inherited ? [...(inherited ?? []), ...(own ?? [])] : null;
    allRules.set(dto, rules);
  }
  return rules ?? undefined;
}

/**
 * Whether an optional field holds a value to check: absent, `null` and `""` are all accepted (the
 * platform withholds a location in a form its docs do not show).
 *
 * @param value - the field's value
 */
export function isPresentFalkorValue(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/**
 * Whether a value is a JSON object: not `null`, not an array (class-validator's `isObject`).
 *
 * @param value - the value
 */
export function isFalkorObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a value is a number or a string: `booked` and `available` arrive as either. */
function isCount(value: unknown): boolean {
  return (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'string';
}

const KIND_CHECKS: Readonly<Record<FalkorFieldKind, (value: unknown) => boolean>> = {
  text: (value) => typeof value === 'string',
  integer: (value) => typeof value === 'number' && Number.isInteger(value),
  number: (value) => typeof value === 'number' && Number.isFinite(value),
  object: isFalkorObject,
  count: isCount,
  nested: isFalkorObject,
  list: Array.isArray,
};

/**
 * Whether a value has the JSON type of a field kind.
 *
 * @param kind - the field kind
 * @param value - the value (after coercion)
 */
export function hasFalkorKind(kind: FalkorFieldKind, value: unknown): boolean {
  return KIND_CHECKS[kind](value);
}

const IsNumberOrString = (): PropertyDecorator =>
  ValidateBy({
    name: 'isNumberOrString',
    validator: {
      validate: isCount,
      defaultMessage: buildMessage((each) => `${each}$property must be a number or a string`),
    },
  });

/** The class-validator and class-transformer decorators that state a rule for the stock path. */
function stockDecorators(rule: FalkorFieldRule): PropertyDecorator[] {
  const decorators: PropertyDecorator[] = [];
  if (rule.coerce) {
    const coerce = rule.coerce;
    decorators.push(Transform(({ value }) => coerce(value)));
  }
  if (!rule.required) {
    decorators.push(ValidateIf((_object, value) => isPresentFalkorValue(value)));
  }
  switch (rule.kind) {
    case 'text':
      decorators.push(IsString());
      break;
    case 'integer':
      decorators.push(IsInt());
      break;
    case 'number':
      decorators.push(IsNumber({ allowNaN: false, allowInfinity: false }));
      break;
    case 'object':
      decorators.push(IsObject());
      break;
    case 'count':
      decorators.push(IsNumberOrString());
      break;
    case 'nested':
      decorators.push(IsObject(), ValidateNested(), Type(rule.dto!));
      break;
    case 'list':
      decorators.push(IsArray(), IsObject({ each: true }), ValidateNested(), Type(rule.dto!));
      break;
  }
  return decorators;
}

/**
 * Declares a catalog field: records its rule for the compiled plan and the drift check, and
 * applies the class-validator and class-transformer decorators that state the same rule, so that
 * `plainToInstance` + `validateSync` decide exactly as the plan.
 */
function field(rule: Omit<FalkorFieldRule, 'property'>): PropertyDecorator {
  return (target, key) => {
    const property = String(key);
    const dto = target.constructor;
    const rules = ownFalkorFieldRules(dto) ?? [];
    Reflect.defineMetadata(FIELD_RULES, [...rules, { ...rule, property }], dto);
    for (const decorate of stockDecorators({ ...rule, property })) {
      decorate(target, key);
    }
  };
}

/** Options of the catalog's scalar field decorators. */
interface ScalarOptions {
  /** The values the docs list. */
  readonly documented?: FalkorDocumentedValues;
  /** Rewrites the value before it is checked. */
  readonly coerce?: (value: unknown) => unknown;
}

/** A required string. */
export const FalkorText = (options: ScalarOptions = {}): PropertyDecorator =>
  field({ kind: 'text', required: true, ...options });

/** A string when present (`null`, `""` or absent otherwise). */
export const FalkorOptionalText = (options: ScalarOptions = {}): PropertyDecorator =>
  field({ kind: 'text', required: false, ...options });

/** A whole number when present. */
export const FalkorOptionalInteger = (): PropertyDecorator =>
  field({ kind: 'integer', required: false });

/** A finite number when present. */
export const FalkorOptionalNumber = (options: ScalarOptions = {}): PropertyDecorator =>
  field({ kind: 'number', required: false, ...options });

/** A JSON object when present, its keys left as they came. */
export const FalkorOptionalObject = (): PropertyDecorator =>
  field({ kind: 'object', required: false });

/** A number or a string when present, a numeric string turned into its number. */
export const FalkorOptionalCount = (options: ScalarOptions = {}): PropertyDecorator =>
  field({ kind: 'count', required: false, ...options });

/** A required object, transformed into `dto` and checked with its rules. */
export const FalkorNested = (dto: () => FalkorDtoClass): PropertyDecorator =>
  field({ kind: 'nested', required: true, dto });

/** A required array (possibly empty) of objects, each transformed into `dto` and checked. */
export const FalkorList = (dto: () => FalkorDtoClass): PropertyDecorator =>
  field({ kind: 'list', required: true, dto });

/**
 * The type of an optional field: its value, or what the platform sends instead when it withholds
 * it (`null` or `""`); absent fields are `undefined`.
 */
export type FalkorOptional<T> = T | null | '';
