import fc from 'fast-check';
import { parseUtf8Json } from './utf8-json.js';

/** What parseUtf8Json must equal. */
function reference(bytes: Buffer): unknown {
  return JSON.parse(bytes.toString('utf8'));
}

/** Same values, same member order, same member names (`__proto__` included). */
function expectSameAsReference(bytes: Buffer): void {
  const actual = parseUtf8Json(bytes);
  const expected = reference(bytes);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
  expect(actual).toEqual(expected);
}

const anyText = fc.string({ unit: 'binary', maxLength: 12 });
const hostileName = fc.oneof(anyText, fc.constantFrom('__proto__', 'constructor', 'naïve', 'naÃ¯ve', '東京', '😀', 'a"b'));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, anyText, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.array(fc.tuple(hostileName, tie('value')), { maxLength: 5 }).map((entries) => {
    const record: Record<string, unknown> = {};
    for (const [name, member] of entries) Object.defineProperty(record, name, { value: member, enumerable: true, writable: true, configurable: true });
    return record;
  }),
}));

/** Bytes that may sit between a string's quotes unescaped: anything but `"`, `\` and control characters, so also broken UTF-8. */
const rawStringBytes = fc.array(fc.integer({ min: 0x20, max: 0xff }).filter((byte) => byte !== 0x22 && byte !== 0x5c), { maxLength: 16 }).map((bytes) => Buffer.from(bytes));

describe('parseUtf8Json', () => {
  it('equals JSON.parse of the UTF-8 text for any JSON value, written with and without escapes', () => {
    fc.assert(
      fc.property(value, fc.constantFrom<number | undefined>(undefined, 2), fc.boolean(), (generated, indent, escapeLatin1) => {
        const text = JSON.stringify(generated, null, indent);
        // Escaped U+0080..U+00FF next to raw multi-byte text: the characters Latin-1 reading cannot tell from raw bytes.
        const written = escapeLatin1 ? text.replace(/[\u0080-\u00ff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
        expectSameAsReference(Buffer.from(written, 'utf8'));
      }),
      { numRuns: 500 },
    );
  });

  it('decodes broken UTF-8 inside strings and member names as the decoder does (replacement characters)', () => {
    fc.assert(
      fc.property(rawStringBytes, rawStringBytes, rawStringBytes, (name, text, other) => {
        const q = Buffer.from('"');
        expectSameAsReference(Buffer.concat([Buffer.from('[{'), q, name, q, Buffer.from(':'), q, text, q, Buffer.from(',"x":['), q, other, q, Buffer.from(']}]')]));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps member order, duplicate names and __proto__ members as JSON.parse does when names need decoding', () => {
    expectSameAsReference(Buffer.from('{"a":1,"naïve":"ü","__proto__":{"é":2},"b":[3,"ø"],"naïve":"last"}', 'utf8'));
    // Two different broken names both decode to U+FFFD: one member, first place, last value.
    expectSameAsReference(Buffer.concat([Buffer.from('{"'), Buffer.from([0xff]), Buffer.from('":1,"k":2,"'), Buffer.from([0xfe]), Buffer.from('":3}')]));
    expect(Object.getPrototypeOf(parseUtf8Json(Buffer.from('{"é":1,"__proto__":{"polluted":true}}', 'utf8')))).toBe(Object.prototype);
  });

  it('reads text nested to any depth', () => {
    const depth = 10_000;
    let inner = parseUtf8Json(Buffer.from(`${'['.repeat(depth)}"Ø"${']'.repeat(depth)}`, 'utf8'));
    for (let level = 0; level < depth; level++) inner = (inner as unknown[])[0];
    expect(inner).toBe('Ø');
  });

  it('rejects what JSON.parse rejects', () => {
    for (const text of ['{"a":', '\uFEFF{}', '["é"', '{"é":1,}']) expect(() => parseUtf8Json(Buffer.from(text, 'utf8'))).toThrow(SyntaxError);
    expect(() => parseUtf8Json(Buffer.from([0x5b, 0xc3, 0x5d]))).toThrow(SyntaxError);
    // A backslash may only escape ASCII: its \u escape must not turn `\é` into an escaped backslash.
    expect(() => parseUtf8Json(Buffer.from('["\\é"]', 'utf8'))).toThrow(SyntaxError);
    expect(() => parseUtf8Json(Buffer.from('["\\\\\\é"]', 'utf8'))).toThrow(SyntaxError);
  });

  it('reads non-ASCII text after escaped backslashes and beside escapes', () => {
    for (const text of ['["\\\\é"]', '{"\\\\ü\\n":"\\u00e9é\\"東"}', '["é\\\\", "\\\\\\\\😀"]']) expectSameAsReference(Buffer.from(text, 'utf8'));
  });
});
