import { parseJsonBytes } from './json-bytes.js';

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
const plain = (bytes: Buffer): unknown => JSON.parse(bytes.toString('utf8'));

describe('parseJsonBytes', () => {
  it.each([
    ['ASCII only', '{"organizations":[{"id":"a1","name":"Acme"}],"pagination":{"total_items":1}}'],
    ['accents, CJK and emoji in values', '[{"id":"1","name":"Zürich Ärzte","city":"東京テレビ","mood":"🚀 fast","n":2.5}]'],
    ['non-ASCII in nested arrays and objects', '{"a":[["ß",{"b":"ñandú"}],"x"],"c":{"d":{"e":"Œuvre"}}}'],
    ['a non-ASCII key, keeping key order', '{"first":1,"größe":"groß","last":"ü"}'],
    ['a "__proto__" key beside a non-ASCII key', '{"__proto__":{"polluted":true},"ä":1}'],
    ['a top-level string', '"Zürich"'],
    ['scalars', '[true,false,null,0,-1.5e3,"ok"]'],
    ['\\u escapes beside raw UTF-8', '{"escaped":"Z\\u00fcrich","raw":"Zürich","quote":"a\\"b\\\\c"}'],
  ])('parses %s exactly as JSON.parse of the decoded text', (_case, text) => {
    const bytes = utf8(text);
    const { value } = parseJsonBytes(bytes);
    expect(value).toEqual(plain(bytes));
    expect(JSON.stringify(value)).toBe(JSON.stringify(plain(bytes)));
    expect(Object.getPrototypeOf(value)).toBe(Object.getPrototypeOf(plain(bytes)));
  });

  it('turns invalid UTF-8 inside strings into U+FFFD, as the plain decoder does', () => {
    const bytes = Buffer.concat([utf8('{"name":"bad '), Buffer.from([0xc3, 0x28, 0xff]), utf8(' end","x":"ü"}')]);
    expect(parseJsonBytes(bytes).value).toEqual(plain(bytes));
  });

  it('rejects what JSON.parse rejects', () => {
    expect(() => parseJsonBytes(utf8('{"a":'))).toThrow(SyntaxError);
    expect(() => parseJsonBytes(utf8('<html>ü</html>'))).toThrow(SyntaxError);
    expect(() => parseJsonBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('{}')]))).toThrow(SyntaxError);
  });

  it.each([
    ['raw UTF-8', '{"items":[{"id":"1","name":"Zürich 東京 🚀","secret":"s1"},{"id":"2","name":"plain","secret":"s2"}],"total":2}'],
    ['\\u escapes', '{"items":[{"id":"1","name":"Z\\u00fcrich","secret":"s1"}],"total":1}'],
  ])('serialises a selected, redacted part of a body with %s as UTF-8 JSON', (_case, text) => {
    const select = (body: unknown): unknown =>
      (body as { items: Array<Record<string, unknown>> }).items.map(({ secret: _secret, ...rest }) => rest);
    const bytes = utf8(text);
    const { value, selected } = parseJsonBytes(bytes, select);
    expect(value).toEqual(plain(bytes));
    expect(selected!.toString('utf8')).toBe(JSON.stringify(select(plain(bytes))));
    expect(selected!.toString('utf8')).not.toContain('secret');
  });
});
