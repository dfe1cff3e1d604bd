import fc from 'fast-check';

/** Runs of every property over the pure core. */
export const CORE_RUNS = 1000;

/** A hex digit, either case. */
export const hexDigit = fc.constantFrom(...'0123456789abcdefABCDEF');

/** A non-empty secret: any Unicode text, including whitespace and astral characters. */
export const secret = fc.string({ unit: 'binary', minLength: 1, maxLength: 64 });

/** Any body bytes, not necessarily UTF-8 nor JSON. */
export const bodyBytes = fc.uint8Array({ maxLength: 2048 });

/**
 * A signature header value: anything from near misses of the grammar to arbitrary Unicode, lists,
 * and non-strings.
 */
export const headerValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 100 }),
  fc.string({ unit: hexDigit, minLength: 60, maxLength: 68 }).map((hex) => `sha256=${hex}`),
  fc
    .tuple(
      fc.string({ unit: hexDigit, minLength: 64, maxLength: 64 }),
      fc.nat({ max: 63 }),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    )
    .map(([hex, at, character]) => `sha256=${hex.slice(0, at)}${character}${hex.slice(at + 1)}`),
  fc.string({ unit: 'binary', maxLength: 9000 }),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.anything(),
);
