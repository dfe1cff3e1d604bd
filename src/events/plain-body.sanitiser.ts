/**
 * Keys class-transformer cannot build an object with: an own `constructor` (it takes the value
 * for the object's class and throws) and an own `__proto__` (`JSON.parse` makes one; it would set
 * the prototype). It drops both from what it builds anyway, so removing them changes nothing else.
 */
const UNBUILDABLE = ['constructor', '__proto__'];

function hasUnbuildable(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.some(hasUnbuildable);
  }
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  return (
    UNBUILDABLE.some((key) => Object.hasOwn(value, key)) ||
    Object.values(value).some(hasUnbuildable)
  );
}

function without(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(without);
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (!UNBUILDABLE.includes(key)) {
      copy[key] = without((value as Record<string, unknown>)[key]);
    }
  }
  return copy;
}

/**
 * A body class-transformer can build: the body itself, or, when it holds an own `constructor` or
 * `__proto__` key at any depth, a copy without them (the caller's body is left as it is).
 *
 * @param body - a parsed JSON object
 */
export function buildableFalkorBody(body: Record<string, unknown>): Record<string, unknown> {
  return hasUnbuildable(body) ? (without(body) as Record<string, unknown>) : body;
}
