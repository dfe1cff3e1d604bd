import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { FalkorPayloadError, parseFalkorBody } from '../../src/index.js';
import { bodyBytes, CORE_RUNS } from './arbitraries.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The value with the keys the parser drops removed: `__proto__`, and `constructor.prototype`. */
function withoutPrototypeKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(withoutPrototypeKeys);
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  const entries = Object.entries(value).filter(
    ([key, inner]) =>
      key !== '__proto__' &&
      !(
        key === 'constructor' &&
        typeof inner === 'object' &&
        inner !== null &&
        Object.prototype.hasOwnProperty.call(inner, 'prototype')
      ),
  );
  const result: Record<string, unknown> = {};
  for (const [key, inner] of entries) {
    Object.defineProperty(result, key, {
      value: withoutPrototypeKeys(inner),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}

describe('the body parser (property-based)', () => {
  it('answers any bytes with an object or a FalkorPayloadError, nothing else', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          bodyBytes,
          fc.string({ unit: 'binary' }).map((s) => Buffer.from(s)),
        ),
        (raw) => {
          try {
            const value = parseFalkorBody(raw);
            expect(typeof value).toBe('object');
            expect(Array.isArray(value)).toBe(false);
          } catch (error) {
            expect(error).toBeInstanceOf(FalkorPayloadError);
          }
        },
      ),
      { numRuns: CORE_RUNS },
    );
  });

  it('parses any JSON object back to itself, with or without one BOM, whatever its whitespace', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue()),
        fc.boolean(),
        fc.constantFrom(undefined, 1, '\t'),
        (object, withBom, indent) => {
          const text = Buffer.from(JSON.stringify(object, null, indent), 'utf8');
          const raw = withBom ? Buffer.concat([BOM, text]) : text;
          expect(parseFalkorBody(raw)).toEqual(withoutPrototypeKeys(JSON.parse(text.toString())));
        },
      ),
      { numRuns: CORE_RUNS },
    );
  });

  it('never lets a "__proto__" key reach a prototype', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (value, key) => {
        const raw = Buffer.from(
          `{"__proto__":{${JSON.stringify(key)}:${JSON.stringify(value)}},"a":{"__proto__":{"polluted":1}}}`,
        );
        const parsed = parseFalkorBody(raw);
        expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
        expect(Object.prototype.hasOwnProperty.call(parsed, '__proto__')).toBe(false);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: CORE_RUNS },
    );
  });
});
