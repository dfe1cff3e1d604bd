import { falkorFieldRules, isPresentFalkorValue } from './field.rules.js';

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

function walk(
  instance: object,
  path: string,
  field: string,
  found: FalkorUndocumentedValue[],
): void {
  const rules = falkorFieldRules(instance.constructor) ?? [];
  for (const rule of rules) {
    const value = (instance as Record<string, unknown>)[rule.property];
    const property = path ? `${path}.${rule.property}` : rule.property;
    const generic = field ? `${field}.${rule.property}` : rule.property;
    if (rule.kind === 'list' && Array.isArray(value)) {
      value.forEach((item: object, index) => walk(item, `${property}.${index}`, `${generic}.*`, found));
    } else if (rule.kind === 'nested' && typeof value === 'object' && value !== null) {
      walk(value, property, generic, found);
    } else if (rule.documented && isPresentFalkorValue(value) && !rule.documented.includes(value)) {
      found.push({ property, field: generic, value, documented: rule.documented.description });
    }
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
  walk(payload, '', '', found);
  return found;
}
