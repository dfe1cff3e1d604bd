import { Type } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';

type Class = abstract new (...args: never[]) => unknown;

interface TypeMetadataView {
  readonly typeFunction?: (options: {
    newObject: unknown;
    object: Record<string, unknown>;
    property: string;
  }) => unknown;
  readonly reflectedType?: unknown;
  readonly options?: { readonly discriminator?: unknown };
}

/** The parts of class-transformer's metadata storage the plans are made from. */
interface TransformerStorageView {
  readonly _typeMetadatas: Map<unknown, Map<string, TypeMetadataView>>;
  readonly _transformMetadatas: Map<unknown, Map<string, unknown[]>>;
  getAncestors(target: unknown): unknown[];
  getStrategy(target: unknown): string;
  getExposedMetadatas(target: unknown): unknown[];
  getExcludedMetadatas(target: unknown): unknown[];
}

/** What plainToInstance needs to know about a class, looked up once. */
interface ClassPlan {
  /** The `@Type` metadata of each property, the class's own before its ancestors'. */
  readonly types: ReadonlyMap<string, TypeMetadataView>;
}

/** Thrown inside the transformer when a value needs class-transformer itself. */
const UNSUPPORTED = Symbol('unsupported by the payload transformer');

const hasOwn = Object.prototype.hasOwnProperty;
const plans = new WeakMap<object, ClassPlan | typeof UNSUPPORTED>();

function storageView(): TransformerStorageView | undefined {
  const storage = defaultMetadataStorage as Partial<TransformerStorageView> | undefined;
  if (
    !(storage?._typeMetadatas instanceof Map) ||
    !(storage._transformMetadatas instanceof Map) ||
    typeof storage.getAncestors !== 'function'
  ) {
    return undefined;
  }
  class ProbeChild {}
  class ProbeParent {}
  Type(() => ProbeChild)(ProbeParent.prototype, 'child');
  return storage._typeMetadatas.get(ProbeParent)?.get('child')
    ? (storage as TransformerStorageView)
    : undefined;
}

/**
 * class-transformer's storage, or `undefined` when it cannot be read (another version, or another
 * copy of the module than the decorators use): the transformer then always defers to
 * class-transformer.
 */
const storage = storageView();

function planOf(target: unknown): ClassPlan | typeof UNSUPPORTED {
  if (typeof target !== 'function') {
    return UNSUPPORTED;
  }
  let plan = plans.get(target);
  if (plan === undefined) {
    plan = makePlan(target as Class);
    plans.set(target, plan);
  }
  return plan;
}

function makePlan(target: Class): ClassPlan | typeof UNSUPPORTED {
  if (
    !storage ||
    !target.prototype ||
    storage.getStrategy(target) !== 'none' ||
    storage.getExposedMetadatas(target).length > 0 ||
    storage.getExcludedMetadatas(target).length > 0
  ) {
    return UNSUPPORTED;
  }
  const lineage = [target, ...storage.getAncestors(target)];
  const types = new Map<string, TypeMetadataView>();
  for (const type of lineage) {
    if ((storage._transformMetadatas.get(type)?.size ?? 0) > 0) {
      return UNSUPPORTED;
    }
    for (const [property, metadata] of storage._typeMetadatas.get(type) ?? []) {
      if (!types.has(property)) {
        types.set(property, metadata);
      }
    }
  }
  for (const metadata of types.values()) {
    if (metadata.options?.discriminator || metadata.reflectedType === Map) {
      return UNSUPPORTED;
    }
  }
  return { types };
}

/**
 * Whether class-transformer leaves a key out of the instance: the key names a read-only member of
 * the instance's prototype, or a function anywhere on the instance.
 */
function isSkipped(
  target: Record<string, unknown>,
  prototype: object | undefined,
  key: string,
): boolean {
  if (!prototype) {
    return false;
  }
  if (hasOwn.call(prototype, key)) {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
    if (descriptor && !descriptor.set) {
      return true;
    }
  }
  return target[key] instanceof Function;
}

function transformObject(value: Record<string, unknown>, type: unknown): Record<string, unknown> {
  let types: ReadonlyMap<string, TypeMetadataView> | undefined;
  let result: Record<string, unknown>;
  if (type) {
    const plan = planOf(type);
    if (plan === UNSUPPORTED) {
      throw UNSUPPORTED;
    }
    types = plan.types.size > 0 ? plan.types : undefined;
    result = new (type as new () => Record<string, unknown>)();
  } else {
    result = {};
  }
  const prototype = (result.constructor as { prototype?: object }).prototype;
  // A new plain object inherits from Object.prototype alone: a key it does not own can be skipped
  // only if Object.prototype has it, which spares most keys the full check.
  const plain = !type && prototype === Object.prototype;
  const keys = Object.keys(value);
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index];
    if (key === '__proto__' || key === 'constructor') {
      continue;
    }
    const subValue = value[key];
    const metadata = types === undefined ? undefined : types.get(key);
    let subType: unknown;
    let arrayType: unknown;
    if (metadata !== undefined) {
      subType = metadata.typeFunction
        ? metadata.typeFunction({ newObject: result, object: value, property: key })
        : metadata.reflectedType;
      arrayType = Array.isArray(subValue) ? metadata.reflectedType : undefined;
    }
    if ((plain && !hasOwn.call(Object.prototype, key)) || !isSkipped(result, prototype, key)) {
      result[key] = transformValue(subValue, subType, arrayType);
    }
  }
  return result;
}

function transformArray(value: readonly unknown[], type: unknown, arrayType: unknown): unknown[] {
  if (arrayType !== undefined && arrayType !== Array) {
    throw UNSUPPORTED;
  }
  const result: unknown[] = [];
  for (let index = 0; index < value.length; index++) {
    result.push(transformValue(value[index], type, undefined));
  }
  return result;
}

/** Whether an object needs class-transformer itself: not the plain data JSON.parse makes. */
function isExotic(value: object, type: unknown): boolean {
  if (
    Object.getPrototypeOf(value) !== Object.prototype &&
    (value instanceof Date ||
      value instanceof Set ||
      value instanceof Map ||
      Buffer.isBuffer(value))
  ) {
    return true;
  }
  if (typeof (value as { then?: unknown }).then === 'function') {
    return true;
  }
  // Without a type, class-transformer takes the object's `constructor` as its type: a JSON key
  // named `constructor` with a falsy value leaves the object plain, any other value is its own case.
  const constructor: unknown = value.constructor;
  return !type && constructor !== Object && !!constructor;
}

function transformValue(value: unknown, type: unknown, arrayType: unknown): unknown {
  if (type === undefined && (typeof value !== 'object' || value === null)) {
    return value;
  }
  if (Array.isArray(value)) {
    return transformArray(value, type, arrayType);
  }
  if (type === String || type === Number || type === Boolean) {
    return value === null || value === undefined ? value : (type as (v: unknown) => unknown)(value);
  }
  if (type === Date) {
    return value === null || value === undefined ? value : new Date(value as string);
  }
  if (type === Buffer) {
    throw UNSUPPORTED;
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  if (isExotic(value, type)) {
    throw UNSUPPORTED;
  }
  return transformObject(value as Record<string, unknown>, type);
}

/**
 * Does what class-transformer's `plainToInstance(type, plain)` does with its default options, for
 * parsed JSON and classes decorated with `@Type` only, with each class's metadata looked up once
 * instead of on every property of every delivery.
 *
 * @returns the instance, or `undefined` when the value or a class needs class-transformer itself
 * (`@Transform`, `@Expose`, `@Exclude`, discriminators, maps, non-JSON values); any error thrown
 * while transforming also gives `undefined`, so that class-transformer runs and decides
 */
export function transformFalkorPayload<T>(type: new () => T, plain: object): T | undefined {
  try {
    return transformValue(plain, type, undefined) as T;
  } catch {
    return undefined;
  }
}
