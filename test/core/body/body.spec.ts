import { describe, expect, it } from '@jest/globals';
import { FalkorPayloadError, parseFalkorBody } from '../../../src/index.js';
import { FALKOR_MAX_JSON_DEPTH } from '../../../src/core/body/body.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function bytes(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

describe('parseFalkorBody', () => {
  it('parses a JSON object in UTF-8, multi-byte characters included', () => {
    expect(parseFalkorBody(bytes('{"event":"x","name":"Zoë Müller 🎓"}'))).toEqual({
      event: 'x',
      name: 'Zoë Müller 🎓',
    });
  });

  it('removes one leading BOM before parsing', () => {
    expect(parseFalkorBody(Buffer.concat([BOM, bytes('{"event":"x"}')]))).toEqual({ event: 'x' });
  });

  it('refuses a second BOM, which is not JSON whitespace', () => {
    expect(() => parseFalkorBody(Buffer.concat([BOM, BOM, bytes('{}')]))).toThrow(
      FalkorPayloadError,
    );
  });

  it('keeps PHP escapes as JSON defines them', () => {
    expect(parseFalkorBody(bytes('{"url":"https:\\/\\/x.example\\/p","n":"Zo\\u00eb"}'))).toEqual({
      url: 'https://x.example/p',
      n: 'Zoë',
    });
  });

  it.each([
    ['an empty body', Buffer.alloc(0), 'empty'],
    ['a BOM alone', BOM, 'not valid JSON'],
    ['whitespace alone', bytes(' \n'), 'not valid JSON'],
    ['a truncated multi-byte sequence', Buffer.from([0x7b, 0x22, 0xc3, 0x22, 0x7d]), 'UTF-8'],
    ['an invalid continuation byte', Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), 'UTF-8'],
    ['an overlong encoding', Buffer.from([0x7b, 0xc0, 0xaf, 0x7d]), 'UTF-8'],
    ['an encoded surrogate', Buffer.from([0x7b, 0xed, 0xa0, 0x80, 0x7d]), 'UTF-8'],
    ['a 0xFF byte', Buffer.from([0x7b, 0xff, 0x7d]), 'UTF-8'],
    ['UTF-16 with its BOM', Buffer.from('\ufeff{"a":1}', 'utf16le'), 'UTF-8'],
    ['text that is not JSON', bytes('event=x'), 'not valid JSON'],
    ['a JSON array', bytes('[{"event":"x"}]'), 'object'],
    ['a JSON string', bytes('"x"'), 'object'],
    ['JSON null', bytes('null'), 'object'],
    ['a number', bytes('42'), 'object'],
  ])('refuses %s with a payload error (400)', (_, raw, message) => {
    const parse = () => parseFalkorBody(raw);
    expect(parse).toThrow(FalkorPayloadError);
    expect(parse).toThrow(message);
    try {
      parse();
    } catch (error) {
      expect((error as FalkorPayloadError).status).toBe(400);
      expect((error as FalkorPayloadError).code).toBe('payload_invalid');
    }
  });

  it('drops __proto__ keys at every depth, so no prototype is polluted', () => {
    const body = parseFalkorBody(
      bytes(
        '{"event":"x","__proto__":{"polluted":"top"},' +
          '"user":{"id":"u","__proto__":{"polluted":"nested"}},' +
          '"items":[{"__proto__":{"polluted":"in an array"}}]}',
      ),
    );
    expect(body).toEqual({ event: 'x', user: { id: 'u' }, items: [{}] });
    expect(Object.prototype.hasOwnProperty.call(body, '__proto__')).toBe(false);
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((body as Record<string, unknown>).polluted).toBeUndefined();
    expect((body.user as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('drops constructor.prototype keys', () => {
    const body = parseFalkorBody(bytes('{"event":"x","constructor":{"prototype":{"polluted":1}}}'));
    expect(body).toEqual({ event: 'x' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps a constructor key that holds no prototype', () => {
    expect(parseFalkorBody(bytes('{"constructor":"Ada"}'))).toEqual({ constructor: 'Ada' });
  });

  it("quotes the JSON parser's message with its control characters escaped", () => {
    // V8 quotes the text around the error: here a NEL and a CSI a log would otherwise carry raw.
    const parse = () => parseFalkorBody(bytes('{"a":\u0085\u009b}'));
    expect(parse).toThrow('\\u0085\\u009b');
    expect(parse).not.toThrow(/[\u0085\u009b]/);
  });
});

describe('parseFalkorBody: nesting', () => {
  type Kind = 'object' | 'array' | 'mixed';

  /** A body whose `deep` field makes it `levels` levels deep in all (the body is level 1). */
  function nestedBody(levels: number, kind: Kind): Buffer {
    const inner = levels - 1;
    const arrayAt = (i: number) => kind === 'array' || (kind === 'mixed' && i % 2 === 1);
    const open = Array.from({ length: inner }, (_, i) => (arrayAt(i) ? '[' : '{"a":'));
    const close = Array.from({ length: inner }, (_, i) => (arrayAt(inner - 1 - i) ? ']' : '}'));
    return bytes(`{"type":"x","deep":${open.join('')}1${close.join('')}}`);
  }

  it('documents a depth of 64 levels', () => {
    expect(FALKOR_MAX_JSON_DEPTH).toBe(64);
  });

  it.each(['object', 'array', 'mixed'] as const)(
    'accepts %s nesting exactly FALKOR_MAX_JSON_DEPTH levels deep',
    (kind) => {
      expect(parseFalkorBody(nestedBody(FALKOR_MAX_JSON_DEPTH, kind))).toHaveProperty('deep');
    },
  );

  it.each(['object', 'array', 'mixed'] as const)(
    'refuses %s nesting one level deeper with a payload error naming the limit',
    (kind) => {
      const parse = () => parseFalkorBody(nestedBody(FALKOR_MAX_JSON_DEPTH + 1, kind));
      expect(parse).toThrow(FalkorPayloadError);
      expect(parse).toThrow(`more than ${FALKOR_MAX_JSON_DEPTH} levels deep`);
    },
  );

  it.each([10_000, 200_000])('refuses %i levels without overflowing the stack', (levels) => {
    const parse = () => parseFalkorBody(nestedBody(levels, 'array'));
    expect(parse).toThrow(FalkorPayloadError);
    expect(parse).toThrow('levels deep');
  });

  it('refuses one deep branch among many shallow ones, first or last', () => {
    const shallow = Array.from({ length: 1_000 }, (_, i) => `"k${i}":{"a":[1,2,{"b":3}]}`);
    const deep = `"deep":${'['.repeat(FALKOR_MAX_JSON_DEPTH)}${']'.repeat(FALKOR_MAX_JSON_DEPTH)}`;
    for (const fields of [
      [deep, ...shallow],
      [...shallow, deep],
    ]) {
      expect(() => parseFalkorBody(bytes(`{${fields.join(',')}}`))).toThrow('levels deep');
    }
    expect(parseFalkorBody(bytes(`{${shallow.join(',')}}`))).toHaveProperty('k999');
  });
});
