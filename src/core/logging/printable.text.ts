/** The longest text a log line quotes from a delivery or a request header. */
export const FALKOR_PRINTABLE_MAX = 80;

// C0 and C1 controls, DEL and the Unicode line separators can forge or break log lines.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

function escaped(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * A value a stranger controls, made safe to quote in a log line: a string is cut to `max`
 * characters (an ellipsis tells it was longer), quoted, and every control character escaped;
 * anything else is its JSON text, cut the same way.
 *
 * @param value - the value to quote
 * @param max - the most characters kept from it
 */
export function printableFalkorValue(value: unknown, max = FALKOR_PRINTABLE_MAX): string {
  const text = typeof value === 'string' ? value : String(JSON.stringify(value));
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  if (typeof value !== 'string') {
    return cut.replace(UNPRINTABLE, escaped);
  }
  return `"${cut.replace(/["\\]/g, '\\$&').replace(UNPRINTABLE, escaped)}"`;
}
