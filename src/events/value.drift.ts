import { type FalkorFieldRule, falkorFieldRules, isPresentFalkorValue } from './field.rules.js';

/**
 * A value of a validated payload that the platform's docs do not list for its field: a state
 * outside the documented ones, a progress outside 0–100, a timestamp that is not ISO 8601, ...
 */
export interface FalkorUndocumentedValue {
  /** The full property path, e.g. `data.enrolments.3.status.state`. */
  readonly property: string;
  /** The path with list indices as `*`, e.g. `data.enrolments.*.status.state`. */
  readonly field: string;
  /** The value as it came. */
  readonly value: unknown;
  /** What the docs list for the field. */
  readonly documented: string;
}

/** The rules of a class that can find something: documented fields, and objects holding some. */
interface DriftRules {
  readonly documented: readonly FalkorFieldRule[];
  readonly nested: readonly { readonly rule: FalkorFieldRule; readonly rules: DriftRules }[];
}

const NONE: DriftRules = { documented: [], nested: [] };
const compiled = new WeakMap<object, DriftRules>();

function driftRulesOf(dto: object): DriftRules {
  let rules = compiled.get(dto);
  if (rules === undefined) {
    compiled.set(dto, NONE);
    const fields = falkorFieldRules(dto) ?? [];
    const nested = fields
      .filter((rule) => rule.dto !== undefined)
      .map((rule) => ({ rule, rules: driftRulesOf(rule.dto!()) }))
      .filter((child) => child.rules !== NONE);
    const documented = fields.filter((rule) => rule.documented !== undefined);
    rules = documented.length > 0 || nested.length > 0 ? { documented, nested } : NONE;
    compiled.set(dto, rules);
  }
  return rules;
}

/** Walks a payload with a path kept as a stack of segments, joined only for a finding. */
function walk(
  instance: Record<string, unknown>,
  rules: DriftRules,
  path: (string | number)[],
  found: FalkorUndocumentedValue[],
): void {
  for (const rule of rules.documented) {
    const value = instance[rule.property];
    if (isPresentFalkorValue(value) && !rule.documented!.includes(value)) {
      const segments = [...path, rule.property];
      found.push({
        property: segments.join('.'),
        field: segments.map((segment) => (typeof segment === 'number' ? '*' : segment)).join('.'),
        value,
        documented: rule.documented!.description,
      });
    }
  }
  for (const { rule, rules: child } of rules.nested) {
    const value = instance[rule.property];
    path.push(rule.property);
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        path.push(index);
        walk(value[index] as Record<string, unknown>, child, path, found);
        path.pop();
      }
    } else if (typeof value === 'object' && value !== null) {
      walk(value as Record<string, unknown>, child, path, found);
    }
    path.pop();
  }
}

/**
 * Lists the values of a validated payload that its fields' documented values do not include. A
 * payload of a class declared without the catalog's decorators has none.
 *
 * @param payload - a validated DTO instance
 */
export function findUndocumentedFalkorValues(payload: object): FalkorUndocumentedValue[] {
  const found: FalkorUndocumentedValue[] = [];
  walk(payload as Record<string, unknown>, driftRulesOf(payload.constructor), [], found);
  return found;
}
