/** The longest text a log line quotes from a delivery or a request header. */
export const FALKOR_PRINTABLE_MAX = 80;

// C0 and C1 controls, DEL and the Unicode line separators can forge or break log lines; the
// bidirectional controls can make a line read other than it is; a lone surrogate (a pair cut in
// two) breaks JSON log encoders.
const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\p{Cs}/gu;

function escaped(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Text a stranger may control (a header, part of a body, a parser's message quoting it), made safe
 * to put in a log line as it is: cut to `max` characters (an ellipsis tells it was longer) and
 * every control character escaped as `\uXXXX`. Unlike {@link printableFalkorValue}, it adds no
 * quotes.
 *
 * @param text - the text
 * @param max - the most characters kept from it
 */
export function printableFalkorText(text: string, max = FALKOR_PRINTABLE_MAX): string {
  return cut(text, max).replace(UNPRINTABLE, escaped);
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
  if (typeof value !== 'string') {
    return printableFalkorText(String(JSON.stringify(value)), max);
  }
  return `"${cut(value, max).replace(/["\\]/g, '\\$&').replace(UNPRINTABLE, escaped)}"`;
}
