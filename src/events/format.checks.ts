import { isEmail, isISO8601 } from 'class-validator';

/**
 * The usual shape of a timestamp, `2026-11-28T10:15:00Z` or with a fraction and an offset
 * (RFC 3339), from year 1000. Every string it matches whose day exists in its month is a strict
 * ISO 8601 date-time.
 */
const RFC_3339 =
  /^([1-9]\d{3})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/** An ASCII address: dot-separated atoms, a host of letter-digit-hyphen labels, an alphabetic TLD. */
const PLAIN_EMAIL =
  /^[A-Za-z0-9_+-]{1,64}(?:\.[A-Za-z0-9_+-]{1,64})*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
const LOCAL_PART_MAX = 64;
const EMAIL_MAX = 254;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

/**
 * Whether a string is an RFC 3339 timestamp from year 1000 whose day exists in its month: each such
 * string is a strict ISO 8601 date-time.
 *
 * @param value - the string to check
 */
export function isPlainTimestamp(value: string): boolean {
  const match = RFC_3339.exec(value);
  return match !== null && Number(match[3]) <= daysIn(Number(match[1]), Number(match[2]));
}

/**
 * Whether a string is a plain ASCII e-mail address within the length limits: each such string is
 * an address for class-validator's `isEmail`.
 *
 * @param value - the string to check
 */
export function isPlainEmail(value: string): boolean {
  return (
    value.length <= EMAIL_MAX && value.indexOf('@') <= LOCAL_PART_MAX && PLAIN_EMAIL.test(value)
  );
}

/**
 * Whether a value is a strict ISO 8601 date string, as class-validator's
 * `isISO8601(value, { strict: true })` decides: the usual RFC 3339 shape is recognised at once,
 * any other string is left to class-validator.
 *
 * @param value - the value to check
 */
export function isFalkorTimestamp(value: unknown): boolean {
  return (
    typeof value === 'string' && (isPlainTimestamp(value) || isISO8601(value, { strict: true }))
  );
}

/** The docs' own example has `test2@example`: a host without a top-level domain is documented. */
const EMAIL_OPTIONS = { require_tld: false };

/**
 * Whether a value is an e-mail address, as class-validator's `isEmail(value, { require_tld: false })`
 * decides: a plain ASCII address is recognised at once, any other string is left to class-validator.
 *
 * @param value - the value to check
 */
export function isFalkorEmail(value: unknown): boolean {
  return typeof value === 'string' && (isPlainEmail(value) || isEmailSafely(value));
}

/** class-validator's `isEmail` throws a URIError on a lone surrogate: that is not an address. */
function isEmailSafely(value: string): boolean {
  try {
    return isEmail(value, EMAIL_OPTIONS);
  } catch {
    return false;
  }
}
