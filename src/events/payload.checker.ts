import {
  getMetadataStorage,
  type MetadataStorage,
  type ValidationArguments,
  type ValidatorConstraintInterface,
  type ValidatorOptions,
  ValidationTypes,
} from 'class-validator';

type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];

/** One rule of a property: a class-validator constraint with what its declaration says. */
interface Rule {
  readonly constraint: ValidatorConstraintInterface;
  readonly property: string;
  readonly constraints: unknown[];
  readonly each: boolean;
  readonly validateIf: ((object: object, value: unknown) => boolean) | undefined;
}

/** The rules of one property, in the order class-validator applies them (`@IsDefined` first). */
interface PropertyPlan {
  readonly name: string;
  readonly conditions: readonly ((object: object, value: unknown) => unknown)[];
  readonly rules: readonly Rule[];
  readonly nested: boolean;
}

/** The rules of a class, looked up once; `undefined` properties: no rule at all. */
type ClassPlan = { readonly properties: readonly PropertyPlan[] | undefined } | undefined;

const INACTIVE_WHEN_FALSY: ReadonlySet<string> = new Set([
  'skipUndefinedProperties',
  'skipNullProperties',
  'skipMissingProperties',
  'whitelist',
  'forbidNonWhitelisted',
  'always',
  'strictGroups',
]);
const NEUTRAL: ReadonlySet<string> = new Set([
  'enableDebugMessages',
  'dismissDefaultMessages',
  'validationError',
  'forbidUnknownValues',
  'stopAtFirstError',
]);

const plans = new WeakMap<object, ClassPlan>();

/**
 * Whether class-validator options leave acceptance to the rules alone (they change at most the
 * error messages or how many are collected), so that the checker decides as class-validator does.
 */
export function isCheckableWith(options: ValidatorOptions): boolean {
  return Object.entries(options).every(
    ([key, value]) =>
      NEUTRAL.has(key) ||
      (INACTIVE_WHEN_FALSY.has(key) && !value) ||
      (key === 'groups' && (value === undefined || (Array.isArray(value) && value.length === 0))),
  );
}

function rulesOf(metadatas: readonly ValidationMetadata[]): Rule[] | undefined {
  const storage = getMetadataStorage();
  const rules: Rule[] = [];
  for (const metadata of metadatas) {
    for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
      if (constraint.async) {
        return undefined;
      }
      rules.push({
        constraint: constraint.instance,
        property: metadata.propertyName,
        constraints: metadata.constraints,
        each: !!metadata.each,
        validateIf: metadata.validateIf,
      });
    }
  }
  return rules;
}

function makePlan(target: new () => unknown): ClassPlan {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(target, '', false, false, undefined);
  if (metadatas.length === 0) {
    return { properties: undefined };
  }
  const properties: PropertyPlan[] = [];
  for (const [name, all] of Object.entries(storage.groupByPropertyName(metadatas))) {
    const others = all.filter(
      (m) => m.type !== ValidationTypes.IS_DEFINED && m.type !== ValidationTypes.WHITELIST,
    );
    if (others.some((m) => m.type === ValidationTypes.PROMISE_VALIDATION)) {
      return undefined;
    }
    const rules = rulesOf([
      ...all.filter((m) => m.type === ValidationTypes.IS_DEFINED),
      ...others.filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION),
    ]);
    if (!rules) {
      return undefined;
    }
    properties.push({
      name,
      conditions: others
        .filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION)
        .map((m) => m.constraints[0] as (object: object, value: unknown) => unknown),
      rules,
      nested: others.some((m) => m.type === ValidationTypes.NESTED_VALIDATION),
    });
  }
  return { properties };
}

function planOf(target: unknown): ClassPlan {
  if (typeof target !== 'function') {
    return undefined;
  }
  let plan = plans.get(target);
  if (!plans.has(target)) {
    try {
      plan = makePlan(target as new () => unknown);
    } catch {
      plan = undefined;
    }
    plans.set(target, plan);
  }
  return plan;
}

function isThenable(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function isValid(result: unknown): boolean {
  return !!result && !isThenable(result);
}

/** The items a constraint with `each` validates one by one, or `undefined` for the value itself. */
function itemsOf(value: unknown): readonly unknown[] | undefined {
  if (Array.isArray(value)) {
    return value;
  }
  if (value instanceof Set) {
    return [...value];
  }
  return value instanceof Map ? [...value.values()] : undefined;
}

function passes(object: object, targetName: string, value: unknown, rules: readonly Rule[]) {
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index];
    if (rule.validateIf && !rule.validateIf(object, value)) {
      continue;
    }
    const args: ValidationArguments = {
      targetName,
      property: rule.property,
      object,
      value,
      constraints: rule.constraints,
    };
    const items = rule.each ? itemsOf(value) : undefined;
    if (items === undefined) {
      if (!isValid(rule.constraint.validate(value, args))) {
        return false;
      }
    } else if (!items.every((item) => isValid(rule.constraint.validate(item, args)))) {
      return false;
    }
  }
  return true;
}

function conditionsHold(
  object: object,
  value: unknown,
  conditions: PropertyPlan['conditions'],
): boolean {
  for (const condition of conditions) {
    if (!condition(object, value)) {
      return false;
    }
  }
  return true;
}

function nestedPasses(value: unknown, forbidUnknownValues: boolean): boolean {
  if (Array.isArray(value) || value instanceof Set || value instanceof Map) {
    for (const item of value instanceof Map ? value.values() : value) {
      if (item !== undefined && !nestedPasses(item, forbidUnknownValues)) {
        return false;
      }
    }
    return true;
  }
  return value instanceof Object && objectPasses(value, forbidUnknownValues);
}

function objectPasses(object: object, forbidUnknownValues: boolean): boolean {
  const plan = planOf(object.constructor);
  if (!plan) {
    return false;
  }
  if (!plan.properties) {
    return !forbidUnknownValues;
  }
  const targetName = (object.constructor ? object.constructor.name : undefined) as string;
  for (const property of plan.properties) {
    const value: unknown = (object as Record<string, unknown>)[property.name];
    if (!conditionsHold(object, value, property.conditions)) {
      continue;
    }
    if (
      !passes(object, targetName, value, property.rules) ||
      (property.nested && value !== undefined && !nestedPasses(value, forbidUnknownValues))
    ) {
      return false;
    }
  }
  return true;
}

/**
 * Decides whether class-validator's `validate(instance, options)` would find no error, running the
 * same constraints with each class's rules looked up once (per class, on first use) instead of on
 * every delivery.
 *
 * Only a `true` answer is definite: `false` means "invalid, or not decidable here" (asynchronous
 * constraints, `@ValidatePromise`, a constraint that threw), and class-validator must then run to
 * produce the verdict and its errors. Use it only with options for which
 * {@link isCheckableWith} holds. Constraint instances are resolved from class-validator's container
 * once, when a class is first checked (class-validator resolves them on every call): a container
 * given to `useContainer` must return the same instance each time, as Nest's does for providers.
 *
 * @param instance - the transformed DTO instance
 * @param options - the class-validator options the instance would be validated with
 */
export function passesFalkorRules(instance: object, options: ValidatorOptions): boolean {
  try {
    return objectPasses(instance, options.forbidUnknownValues !== false);
  } catch {
    return false;
  }
}
