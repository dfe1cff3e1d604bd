import {
  type FalkorDtoClass,
  type FalkorFieldRule,
  falkorFieldRules,
  hasFalkorKind,
  isFalkorObject,
  isPresentFalkorValue,
  ownFalkorFieldRules,
} from './field.rules.js';

/** What a plan answers for a payload it does not accept: the stock path then decides. */
export const FALKOR_PLAN_DECLINED: unique symbol = Symbol('declined by the payload plan');

/**
 * Builds the DTO instance of a valid payload in one pass, as `plainToInstance` followed by a
 * successful `validate` would; answers {@link FALKOR_PLAN_DECLINED} for anything else.
 */
export type FalkorPayloadPlan = (plain: unknown) => object | typeof FALKOR_PLAN_DECLINED;

const DECLINED: typeof FALKOR_PLAN_DECLINED = FALKOR_PLAN_DECLINED;
const plans = new WeakMap<object, FalkorPayloadPlan | null>();

/**
 * class-transformer leaves a key unset when the new object already answers it with a function or
 * its class's prototype defines it without a setter (`constructor`, `toString`, ...), and never
 * copies `__proto__` (an own key `JSON.parse` makes): so do we.
 */
function isSkipped(target: object, prototype: object, key: string): boolean {
  const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
  return (
    key === '__proto__' ||
    (descriptor !== undefined && descriptor.set === undefined) ||
    (target as Record<string, unknown>)[key] instanceof Function
  );
}

/** A copy of a value no rule describes, made as class-transformer copies untyped values. */
function copyPlain(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(copyPlain);
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (!isSkipped(copy, Object.prototype, key)) {
      copy[key] = copyPlain((value as Record<string, unknown>)[key]);
    }
  }
  return copy;
}

/**
 * The compiled plan of a catalog class, or `undefined` when the class, or a class it nests, was
 * not declared with the catalog's decorators (a user's DTO, which takes the stock path).
 *
 * @param dto - the DTO class
 */
export function falkorPayloadPlan(dto: FalkorDtoClass): FalkorPayloadPlan | undefined {
  let plan = plans.get(dto);
  if (plan === undefined) {
    plans.set(dto, null);
    plan = compile(dto);
    plans.set(dto, plan);
  }
  return plan ?? undefined;
}

function compile(dto: FalkorDtoClass): FalkorPayloadPlan | null {
  const rules = falkorFieldRules(dto);
  if (!ownFalkorFieldRules(dto) || !rules) {
    return null;
  }
  const byProperty = new Map<string, { rule: FalkorFieldRule; child?: FalkorPayloadPlan }>();
  for (const rule of rules) {
    // A property with two rules, or a class that nests itself, is left to the stock path.
    const child = rule.dto ? falkorPayloadPlan(rule.dto()) : undefined;
    if (byProperty.has(rule.property) || (rule.dto && !child)) {
      return null;
    }
    byProperty.set(rule.property, { rule, child });
  }
  const required = rules.filter((rule) => rule.required).map((rule) => rule.property);
  const prototype = dto.prototype as object;
  return (plain): object | typeof DECLINED => {
    if (!isFalkorObject(plain)) {
      return DECLINED;
    }
    for (const property of required) {
      if (!Object.hasOwn(plain, property)) {
        return DECLINED;
      }
    }
    const instance = new dto() as Record<string, unknown>;
    for (const key of Object.keys(plain)) {
      if (isSkipped(instance, prototype, key)) {
        continue;
      }
      const field = byProperty.get(key);
      const value = field ? checkField(field.rule, field.child, plain[key]) : copyPlain(plain[key]);
      if (value === DECLINED) {
        return DECLINED;
      }
      instance[key] = value;
    }
    return instance;
  };
}

function checkField(
  rule: FalkorFieldRule,
  child: FalkorPayloadPlan | undefined,
  value: unknown,
): unknown {
  // Every branch answers DECLINED or the field's value, as class-transformer would build it.
  const coerced = rule.coerce ? rule.coerce(value) : value;
  if (!rule.required && !isPresentFalkorValue(coerced)) {
    return coerced;
  }
  if (!hasFalkorKind(rule.kind, coerced)) {
    return DECLINED;
  }
  if (child === undefined) {
    return copyPlain(coerced);
  }
  return rule.kind === 'list' ? buildList(child, coerced as unknown[]) : child(coerced);
}

function buildList(plan: FalkorPayloadPlan, items: readonly unknown[]): unknown {
  const built: object[] = [];
  for (const item of items) {
    const instance = plan(item);
    if (typeof instance === 'symbol') {
      return DECLINED;
    }
    built.push(instance);
  }
  return built;
}
