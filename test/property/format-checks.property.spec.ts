import { describe, expect, it } from '@jest/globals';
import { isEmail, isISO8601 } from 'class-validator';
import fc from 'fast-check';
import {
  isFalkorEmail,
  isFalkorTimestamp,
  isPlainEmail,
  isPlainTimestamp,
} from '../../src/events/format.checks.js';
import { CORE_RUNS } from './arbitraries.js';
import { rfc3339 } from './catalog.arbitraries.js';

const RUNS = CORE_RUNS * 5;

const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const padded = (max: number, width: number) =>
  fc.oneof(
    fc.integer({ min: 0, max }).map((n) => String(n).padStart(width, '0')),
    digits(0, width + 1),
  );
const pick = <T>(...values: T[]) => fc.constantFrom(...values);

/** Mostly `usual`, sometimes one of `others`. */
const mostly = <T>(usual: T, ...others: T[]) =>
  fc.oneof({ weight: 5, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: pick(...others) });

/** Date-times near the RFC 3339 shape: every field in and just out of range, every separator. */
const timestamp = fc
  .tuple(
    fc.oneof(padded(9999, 4), padded(999, 4), pick('+2026', '-0001', '20260')),
    mostly('-', '', '--', '/'),
    padded(13, 2),
    mostly('-', ''),
    padded(32, 2),
    mostly('T', 't', ' ', '', 'TT'),
    padded(25, 2),
    mostly(':', '', '::'),
    padded(61, 2),
    mostly(':', '', '.'),
    padded(61, 2),
    fc.oneof(
      fc.constant(''),
      digits(0, 11).map((d) => `.${d}`),
      digits(1, 3).map((d) => `,${d}`),
    ),
    fc.oneof(
      mostly('Z', 'z', '', ' Z', 'UTC'),
      fc
        .tuple(mostly('+', '-', '−'), padded(25, 2), mostly(':', ''), padded(61, 2))
        .map((parts) => parts.join('')),
    ),
  )
  .map((parts) => parts.join(''));

const text = (units: string, minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...units), minLength, maxLength });

/** Mostly a plain value, sometimes one just over a limit or with one character out of place. */
const component = (
  plain: fc.Arbitrary<string>,
  long: fc.Arbitrary<string>,
  odd: string,
): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: plain },
    { weight: 1, arbitrary: long },
    {
      weight: 1,
      arbitrary: fc.tuple(plain, fc.constantFrom(...odd), fc.nat()).map(([value, char, at]) => {
        const index = at % (value.length + 1);
        return value.slice(0, index) + char + value.slice(index);
      }),
    },
  );

const label = component(text('abXY09-', 1, 8), text('ab09-', 61, 65), '-_.é\uff21%@ ');
const topLabel = component(
  text('abXY', 2, 6),
  fc.oneof(text('ab', 62, 65), text('0123456789', 1, 3), fc.constant('xn--p1ai')),
  '09-_.é ',
);
const host = fc
  .tuple(fc.array(label, { maxLength: 4 }), topLabel)
  .map(([labels, last]) => [...labels, last].join('.'));

/** Addresses near the plain ASCII shape: atoms, dots, hosts, TLDs, and lengths around the limits. */
const email = fc
  .tuple(
    fc.array(
      component(text('abXY09_+-', 1, 10), text('ab', 30, 66), '."@!#$%&\'*/=?^`{|}~ é\u00a0<>\\'),
      { minLength: 1, maxLength: 3 },
    ),
    mostly('@', '@@', '', '@.'),
    host,
    mostly('', `.${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}`, '.'),
  )
  .map(([atoms, at, domain, tail]) => `${atoms.join('.')}${at}${domain}${tail}`);

/**
 * Checks that the shape recognised at once is within what class-validator accepts, on values near
 * and far from it, and that the whole check decides as class-validator does.
 */
function decidesAs(
  values: fc.Arbitrary<string>,
  plain: (value: string) => boolean,
  check: (value: unknown) => boolean,
  reference: (value: string) => boolean,
): void {
  let recognised = 0;
  const near = fc.oneof(
    { weight: 4, arbitrary: values },
    fc.string(),
    fc.string({ unit: 'binary' }),
  );
  fc.assert(
    fc.property(near, (value) => {
      const expected = reference(value);
      if (plain(value)) {
        recognised++;
        expect(expected).toBe(true);
      }
      expect(check(value)).toBe(expected);
    }),
    { numRuns: RUNS },
  );
  expect(recognised).toBeGreaterThan(RUNS / 25);
}

describe('the catalog format checks (property-based)', () => {
  it('decide every date-time as isISO8601(strict) does', () => {
    decidesAs(fc.oneof(timestamp, rfc3339), isPlainTimestamp, isFalkorTimestamp, (v) =>
      isISO8601(v, { strict: true }),
    );
  });

  it('recognise every RFC 3339 timestamp of a real date from year 1000 at once', () => {
    fc.assert(
      fc.property(rfc3339, (value) => {
        expect(isPlainTimestamp(value)).toBe(true);
      }),
      { numRuns: CORE_RUNS },
    );
  });

  it('decide every address as isEmail({ require_tld: false }) does', () => {
    decidesAs(
      fc.oneof({ weight: 3, arbitrary: email }, fc.emailAddress()),
      isPlainEmail,
      isFalkorEmail,
      (v) => isEmail(v, { require_tld: false }),
    );
  });

  it("accept the docs' own address and others whose host is one label (no TLD)", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9]{1,16}@[a-z]([a-z0-9-]{0,14}[a-z0-9])?$/),
        (value) => {
          expect(isFalkorEmail(value)).toBe(true);
        },
      ),
      { numRuns: CORE_RUNS },
    );
    expect(isFalkorEmail('test2@example')).toBe(true);
  });

  // class-validator's isEmail throws a URIError on a lone surrogate (its length check runs
  // encodeURI): isFalkorEmail must answer false instead.
  it('answer every string, lone surrogates included, without throwing', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
        }),
        (value) => {
          expect(typeof isFalkorEmail(value)).toBe('boolean');
        },
      ),
      { numRuns: CORE_RUNS },
    );
  });

  it('refuse every value that is not a string', () => {
    fc.assert(
      fc.property(
        fc.anything().filter((value) => typeof value !== 'string'),
        (value) => {
          expect([isFalkorTimestamp(value), isFalkorEmail(value)]).toEqual([false, false]);
        },
      ),
      { numRuns: CORE_RUNS },
    );
  });
});
