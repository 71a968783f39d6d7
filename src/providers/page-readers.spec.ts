import { readFileSync } from 'node:fs';
import { readBvPage } from './bv/bv.page-reader.js';
import { readInventPage } from './invent/invent.page-reader.js';
import { type PageReading, isMisshapen } from './page-reading.js';

const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../../test/fixtures/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
const bytes = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');

function reading(outcome: ReturnType<typeof readBvPage>): PageReading {
  if (isMisshapen(outcome)) throw new Error(`unexpected problem: ${outcome.problem}`);
  return outcome;
}

describe('readBvPage', () => {
  const organization = fixture('bv-organization');

  it('maps every record, tells the total and keeps the originals without the license key', () => {
    const page = reading(readBvPage(bytes({ organizations: [organization, { ...organization, id: 'second' }], pagination: { total_items: 42 } })));
    expect(page.totalItems).toBe(42);
    expect(page.ids).toEqual([organization.id, 'second']);
    expect(page.mapped.map((result) => result.ok && result.subOrg.name)).toEqual(['São Paulo Estúdios', 'São Paulo Estúdios']);
    const originals = JSON.parse(page.original.toString('utf8')) as Array<Record<string, unknown>>;
    expect(originals).toHaveLength(2);
    expect(originals[0]).toEqual(Object.fromEntries(Object.entries(organization).filter(([key]) => key !== 'license_key')));
    expect(page.original.includes('lk_super_secret_value')).toBe(false);
  });

  it('leaves the total out when pagination does not give a usable one', () => {
    expect(reading(readBvPage(bytes({ organizations: [], pagination: { total_items: -1 } }))).totalItems).toBeUndefined();
    expect(reading(readBvPage(bytes({ organizations: [] }))).totalItems).toBeUndefined();
  });

  it('names a body without an organizations array, and throws a SyntaxError on a body that is not JSON', () => {
    expect(readBvPage(bytes({ items: [] }))).toEqual({ problem: 'has no organizations array' });
    expect(() => readBvPage(Buffer.from('{"organizations": ['))).toThrow(SyntaxError);
  });
});

describe('readInventPage', () => {
  const org = fixture('invent-org');

  it('maps every record under the configured parent and keeps the body as received', () => {
    const body = bytes([org]);
    const page = reading(readInventPage(body, { parentOrgId: 'parent-7' }));
    expect(page.ids).toEqual([org.id]);
    expect(page.mapped[0]).toMatchObject({ ok: true, subOrg: { parentId: 'parent-7' } });
    expect(page.original).toBe(body);
  });

  it('names a body that is not an array', () => {
    expect(readInventPage(bytes({ data: [] }), {})).toEqual({ problem: 'is not a JSON array' });
  });
});
