import { readFileSync } from 'node:fs';
import { builtPageDecoderWorker } from '../../test/support/built-worker.js';
import { createdTime, nameSortKey, searchableName } from '../sub-orgs/sort-order.js';
import { readBvPage } from './bv/bv.page-reader.js';
import { generateBvOrganizations } from '../simulators/seed-data.js';
import { PageDecoder, PageDecoderError } from './page-decoder.js';
import { decoderHeapMb } from './page-decoding.module.js';
import { type PageReading, isMisshapen } from './page-reading.js';

const organization = JSON.parse(readFileSync(new URL('../../test/fixtures/bv-organization.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const page = Buffer.from(
  JSON.stringify({
    organizations: [organization, { ...organization, id: 'b-2', name: 'Ωmega Straße', created_at: undefined }, { id: 'no-name' }],
    pagination: { total_items: 3 },
  }),
  'utf8',
);

function reading(outcome: Awaited<ReturnType<PageDecoder['decode']>>): PageReading {
  if (isMisshapen(outcome)) throw new Error(`unexpected problem: ${outcome.problem}`);
  return outcome;
}

describe('PageDecoder (a real worker thread from the build)', () => {
  const decoders: PageDecoder[] = [];
  const decoder = (script = builtPageDecoderWorker(), heapMb?: number): PageDecoder => {
    const created = new PageDecoder(script, heapMb);
    decoders.push(created);
    return created;
  };
  afterAll(() => Promise.all(decoders.map((created) => created.onApplicationShutdown())));

  it('reads a page on the worker exactly as the reader does on the main thread, with the index keys of each record', async () => {
    const onWorker = reading(await decoder().decode('bv', Buffer.from(page)));
    const inThread = reading(readBvPage(Buffer.from(page)));
    expect(onWorker.mapped).toEqual(inThread.mapped);
    expect(onWorker.ids).toEqual(inThread.ids);
    expect(onWorker.totalItems).toBe(3);
    expect(onWorker.original.equals(inThread.original)).toBe(true);
    const names = inThread.mapped.map((result) => (result.ok ? result.subOrg.name : ''));
    expect(onWorker.searchKeys?.searchableNames).toEqual(names.map((name, i) => (inThread.mapped[i].ok ? searchableName(name) : '')));
    expect(onWorker.searchKeys?.nameKeys).toEqual(names.map((name, i) => (inThread.mapped[i].ok ? nameSortKey(name) : '')));
    expect(Array.from(onWorker.searchKeys?.createdTimes ?? [])).toEqual(inThread.mapped.map((result) => (result.ok ? createdTime(result.subOrg.createdAt) : Number.NaN)));
    // A record that cannot be mapped stays in its place, as a skip with its reason.
    expect(onWorker.mapped[2]).toMatchObject({ ok: false });
  });

  it('tells a misshapen page from one that is not JSON', async () => {
    const decoding = decoder();
    expect(await decoding.decode('invent', Buffer.from('{"not":"an array"}'), {})).toEqual({ problem: 'is not a JSON array' });
    await expect(decoding.decode('invent', Buffer.from('[{"id":'), {})).rejects.toBeInstanceOf(SyntaxError);
    await expect(decoding.decode('nobody', Buffer.from('[]'), {})).rejects.toThrow('no page reader for provider "nobody"');
  });

  it('fails the pages a dead worker held, then reads the next page on a new worker', async () => {
    const decoding = decoder(new URL('../../test/support/crashing-page-decoder.worker.mjs', import.meta.url));
    const held = [decoding.decode('crash', Buffer.from('[]')), decoding.decode('invent', Buffer.from('[]'), {})];
    for (const outcome of await Promise.allSettled(held)) {
      expect(outcome).toMatchObject({ status: 'rejected', reason: expect.any(PageDecoderError) });
    }
    await expect(decoding.decode('invent', Buffer.from('[]'), {})).resolves.toMatchObject({ mapped: [], ids: [] });
  });

  it('survives a page too large for its heap: that page fails, the next one is read', async () => {
    const huge = Buffer.from(JSON.stringify({ organizations: generateBvOrganizations(12_000), pagination: { total_items: 12_000 } }));
    const decoding = decoder(builtPageDecoderWorker(), 16);
    await expect(decoding.decode('bv', huge)).rejects.toBeInstanceOf(PageDecoderError);
    expect(reading(await decoding.decode('bv', Buffer.from(page))).mapped).toHaveLength(3);
  });

  it('sizes the worker heap for the largest page the gateway accepts', () => {
    expect(decoderHeapMb(10 * 1024 * 1024)).toBe(128);
    expect(decoderHeapMb(256 * 1024 * 1024)).toBe(2048);
  });

  it('refuses pages once the app has shut it down', async () => {
    const decoding = decoder();
    decoding.onModuleInit();
    await decoding.onApplicationShutdown();
    await expect(decoding.decode('bv', Buffer.from(page))).rejects.toBeInstanceOf(PageDecoderError);
  });
});
