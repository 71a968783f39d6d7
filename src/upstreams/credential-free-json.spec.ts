import fc from 'fast-check';
import { removeCredentials } from '../domain/credential-names.js';

/** Deeper than anything generated here. */
const ANY_DEPTH = 1_000;
import { credentialFreeJson, credentialFreeRecordsJson } from './credential-free-json.js';

/** What the walker keeps, the slow way: parse, clear credentials, re-serialise. */
function reference(records: unknown): unknown {
  const copy: unknown = structuredClone(records);
  removeCredentials(copy, ANY_DEPTH);
  return JSON.parse(JSON.stringify(copy)) as unknown;
}

/** What the walker keeps, the way it does it. */
function viaBytes(text: string, member?: string): { json: unknown; fromBytes: boolean } {
  const body = Buffer.from(text, 'utf8');
  const parsed = JSON.parse(text) as unknown;
  const records = (member === undefined ? parsed : (parsed as Record<string, unknown>)[member]) as unknown[];
  const names = new Set<string>();
  const credentials = removeCredentials(records, ANY_DEPTH, names);
  const fromBytes = credentialFreeJson(body, member, names, credentials) !== undefined;
  return { json: JSON.parse(credentialFreeRecordsJson(body, parsed, records, names, credentials).toString('utf8')) as unknown, fromBytes };
}

// Member names and string values that make a byte reader's life hard: credential names, look-alikes, quotes, escapes, structure characters, multi-byte text.
const NAMES = ['name', 'license_key', 'token', 'token_count', 'owner', 'Password', 'x-api-key', 'sig', 'signature_count', 'nested', 'ünïcode', '東京', 'a"b', 'back\\slash', 'auth'];
const TEXT_UNITS = ['a', 'Z', ' ', '"', '\\', '{', '}', '[', ']', ',', ':', 'ü', '東', '😀', '\n', '\t', '\u0000', 'token', '"license_key":'];
const text = fc.array(fc.constantFrom(...TEXT_UNITS), { maxLength: 6 }).map((units) => units.join(''));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.array(fc.tuple(fc.constantFrom(...NAMES), tie('value')), { maxLength: 6 }).map((entries) => Object.fromEntries(entries) as Record<string, unknown>),
}));
const records = fc.array(
  fc.array(fc.tuple(fc.constantFrom(...NAMES), value), { maxLength: 8 }).map((entries) => Object.fromEntries(entries) as Record<string, unknown>),
  { maxLength: 5 },
);
const layout = fc.constantFrom<number | string | undefined>(undefined, 1, 2, '\t', ' \r\n');

describe('credential-free originals cut from the page bytes', () => {
  it('equal parsing, clearing credentials and re-serialising, for any records and layout', () => {
    fc.assert(
      fc.property(records, layout, (generated, indent) => {
        const { json, fromBytes } = viaBytes(JSON.stringify(generated, null, indent));
        expect(json).toEqual(reference(generated));
        expect(fromBytes).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('read the records out of an envelope member, whatever surrounds it', () => {
    fc.assert(
      fc.property(records, value, layout, (generated, around, indent) => {
        const page = { before: around, organizations: generated, pagination: { total_items: generated.length, note: around } };
        const { json, fromBytes } = viaBytes(JSON.stringify(page, null, indent), 'organizations');
        expect(json).toEqual(reference(generated));
        expect(fromBytes).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('cut a bv page without re-serialising it', () => {
    const page = `{"organizations":[{"id":"a","license_key":"lk_1","name":"Zürich Ärzte","owner":{"email":"o@x","token":"t"}},{"id":"b","name":"東京","license_key":"lk_2"}],"pagination":{"total_items":2}}`;
    const body = Buffer.from(page, 'utf8');
    const parsed = JSON.parse(page) as { organizations: unknown[] };
    const names = new Set<string>();
    const credentials = removeCredentials(parsed.organizations, ANY_DEPTH, names);
    const cut = credentialFreeJson(body, 'organizations', names, credentials);
    expect(credentials).toBe(3);
    expect(cut?.toString('utf8')).toBe('[{"id":"a","name":"Zürich Ärzte","owner":{"email":"o@x"}},{"id":"b","name":"東京"}]');
  });

  it('find a credential name written with escapes', () => {
    const { json, fromBytes } = viaBytes('[{"license\\u005fkey":"lk","id":1,"to\\u006ben":{"a":1}}]');
    expect(json).toEqual([{ id: 1 }]);
    expect(fromBytes).toBe(true);
  });

  it('decline text nested too deeply to follow, without overflowing the stack', () => {
    const depth = 100_000;
    const page = `[{"id":1,"token":"t","a":${'['.repeat(depth)}${']'.repeat(depth)}}]`;
    expect(credentialFreeJson(Buffer.from(page), undefined, new Set(['token']), 1)).toBeUndefined();
  });

  it('decline duplicate names, which JSON.parse collapses, and the fallback still clears them', () => {
    const page = '[{"token":"a","id":1,"token":"b"}]';
    const parsed = JSON.parse(page) as unknown[];
    const names = new Set<string>();
    const credentials = removeCredentials(parsed, ANY_DEPTH, names);
    expect(credentialFreeJson(Buffer.from(page), undefined, names, credentials)).toBeUndefined();
    expect(JSON.parse(credentialFreeRecordsJson(Buffer.from(page), parsed, parsed, names, credentials).toString('utf8'))).toEqual([{ id: 1 }]);
  });
});
