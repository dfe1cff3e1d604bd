import { createHash } from 'node:crypto';

/** A field the docs let the platform send absent, `null` or `""`: the three are the same. */
function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/**
 * A value as JSON with sorted keys and blank fields left out, so that two deliveries that say
 * the same in another key order (or with `null` for a missing field) give the same text.
 */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(canonical);
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const field = (value as Record<string, unknown>)[key];
    if (!isBlank(field)) {
      sorted[key] = canonical(field);
    }
  }
  return sorted;
}

/**
 * The store key of a change: the prefix, the kind of change, and the SHA-256 of what identifies
 * it, so that no personal data (an e-mail address) is kept in clear.
 *
 * @param prefix - the `records.keyPrefix`
 * @param kind - the kind of change, e.g. `attendee`
 * @param parts - the record's identity and its new state
 */
export function falkorChangeKey(prefix: string, kind: string, parts: readonly unknown[]): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(parts.map(canonical)))
    .digest('hex');
  return `${prefix}${kind}:${digest}`;
}
