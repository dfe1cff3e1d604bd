import { describe, expect, it } from '@jest/globals';
import {
  FALKOR_PRINTABLE_MAX,
  printableFalkorText,
  printableFalkorValue,
} from '../../../src/core/logging/printable.text.js';

describe('printableFalkorValue', () => {
  it('quotes a string and escapes quotes, backslashes and every control character', () => {
    expect(printableFalkorValue('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(printableFalkorValue('x\n\r\u0000\u007f\u0085\u009b\u2028y')).toBe(
      '"x\\u000a\\u000d\\u0000\\u007f\\u0085\\u009b\\u2028y"',
    );
  });

  it('cuts a long string and says so', () => {
    const printed = printableFalkorValue('x'.repeat(10_000));
    expect(printed).toBe(`"${'x'.repeat(FALKOR_PRINTABLE_MAX)}…"`);
  });

  it('prints other values as JSON, cut and escaped the same way', () => {
    expect(printableFalkorValue(140)).toBe('140');
    expect(printableFalkorValue(undefined)).toBe('undefined');
    expect(printableFalkorValue({ a: '\u0085' })).toBe('{"a":"\\u0085"}');
    expect(printableFalkorValue(Array(100).fill(1)).length).toBe(FALKOR_PRINTABLE_MAX + 1);
  });
});

describe('printableFalkorText', () => {
  it('escapes controls without adding quotes or escaping them', () => {
    expect(printableFalkorText('a "b"\n\u0085')).toBe('a "b"\\u000a\\u0085');
  });

  it('escapes the bidirectional controls that make a line read other than it is', () => {
    expect(printableFalkorText('x\u202ey\u2066z\u200f\u061c')).toBe(
      'x\\u202ey\\u2066z\\u200f\\u061c',
    );
  });

  it('escapes a surrogate pair cut in two by the limit, and keeps a whole one', () => {
    const printed = printableFalkorText(`${'x'.repeat(FALKOR_PRINTABLE_MAX - 1)}🎓🎓`);
    expect(printed).toBe(`${'x'.repeat(FALKOR_PRINTABLE_MAX - 1)}\\ud83c…`);
    expect(printableFalkorText('🎓')).toBe('🎓');
  });

  it('keeps at most max characters of a 15 kB header, however many controls it holds', () => {
    const printed = printableFalkorText('\u009b'.repeat(15 * 1024), 80);
    expect(printed).toBe(`${'\\u009b'.repeat(80)}…`);
  });
});
