import { describe, expect, it } from '@jest/globals';
import { FalkorPayloadError, parseFalkorBody } from '../../../src/index.js';

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
});
