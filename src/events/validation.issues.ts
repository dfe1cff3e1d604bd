import type { ValidationError } from 'class-validator';
import type { FalkorValidationIssue } from '../core/errors/falkor-webhook.errors.js';
import { isFalkorObject } from './field.rules.js';

function collect(
  errors: readonly ValidationError[],
  parent: string,
  issues: FalkorValidationIssue[],
): void {
  for (const error of errors) {
    const property = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      issues.push({ property, constraints: error.constraints });
    }
    if (error.children?.length) {
      collect(error.children, property, issues);
    }
  }
}

function notARecord(property: string): FalkorValidationIssue {
  return { property, constraints: { isObject: `${property} must be an object` } };
}

/**
 * The path of the first list element on the way to `segments` that is not an object, or
 * `undefined`. class-validator descends into an array found where a record should be, and names
 * its elements as if they were records (`data.enrolments.1.0`): the element is what fails.
 */
function notARecordOnTheWay(body: unknown, segments: readonly string[]): string | undefined {
  let node: unknown = body;
  for (let depth = 0; depth < segments.length; depth++) {
    const parent = node;
    node = (node as Record<string, unknown> | undefined)?.[segments[depth]];
    if (Array.isArray(parent) && !isFalkorObject(node)) {
      return segments.slice(0, depth + 1).join('.');
    }
  }
  return undefined;
}

function valueAt(body: unknown, segments: readonly string[]): unknown {
  return segments.reduce<unknown>(
    (node, segment) => (node as Record<string, unknown> | undefined)?.[segment],
    body,
  );
}

/**
 * Every failing property of a refused body by its full path, e.g. `data.enrolments.1.email`: the
 * errors of class-validator, with a record that is not an object (an array or a scalar in a list)
 * named by its own path.
 *
 * @param errors - what class-validator's `validate` gave
 * @param body - the body that was validated
 */
export function falkorValidationIssues(
  errors: readonly ValidationError[],
  body: Record<string, unknown>,
): FalkorValidationIssue[] {
  const collected: FalkorValidationIssue[] = [];
  collect(errors, '', collected);
  const issues = new Map<string, FalkorValidationIssue>();
  const add = (issue: FalkorValidationIssue) => {
    if (!issues.has(issue.property)) {
      issues.set(issue.property, issue);
    }
  };
  for (const issue of collected) {
    const segments = issue.property.split('.');
    const record = notARecordOnTheWay(body, segments);
    add(record !== undefined && record !== issue.property ? notARecord(record) : issue);
    const value = valueAt(body, segments);
    if (issue.constraints.isObject !== undefined && Array.isArray(value)) {
      value.forEach((item, index) => {
        if (!isFalkorObject(item)) {
          add(notARecord(`${issue.property}.${index}`));
        }
      });
    }
  }
  return [...issues.values()];
}
