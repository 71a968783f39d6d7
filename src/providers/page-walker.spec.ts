import { Deadline } from '../http/deadline.js';
import { UpstreamError } from '../http/upstream-error.js';
import { walkPages, type WalkedPage } from './page-walker.js';

const items = (page: number, count: number): string[] => Array.from({ length: count }, (_, i) => `p${page}-${i}`);

function recorder(lastFullPage: number, pageSize = 3) {
  const requested: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetchPage = async (page: number): Promise<WalkedPage<string[]>> => {
    requested.push(page);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 2 + (page % 3)));
    inFlight--;
    const count = page <= lastFullPage ? pageSize : page === lastFullPage + 1 ? 1 : 0;
    return { content: items(page, count), ids: items(page, count), isLast: count < pageSize };
  };
  return { fetchPage, requested, get maxInFlight() { return maxInFlight; } };
}

const base = { provider: 'invent', label: 'Invent', idOf: (item: string) => item, maxPages: 100, deadline: Deadline.after(60_000) };

describe('walkPages', () => {
  it('walks ahead in a bounded window, stops at the first short page and returns pages in order', async () => {
    const upstream = recorder(7);
    const pages = await walkPages({ ...base, fetchPage: upstream.fetchPage, concurrency: 4 });
    expect(pages).toHaveLength(8);
    expect(pages.flat()).toEqual([...Array.from({ length: 7 }, (_, i) => items(i + 1, 3)).flat(), 'p8-0']);
    expect(upstream.maxInFlight).toBeLessThanOrEqual(4);
    expect(upstream.maxInFlight).toBeGreaterThan(1);
    // Pages are read at once here, so speculation stays within one window: never more than concurrency-1 pages past the last one.
    expect(Math.max(...upstream.requested)).toBeLessThanOrEqual(8 + 3);
  });

  it('returns as soon as every page up to the last has arrived, without waiting on speculative pages past it', async () => {
    const pending: Array<() => void> = [];
    const fetchPage = (page: number): Promise<WalkedPage<string[]>> => {
      const count = page <= 3 ? 3 : 0;
      const result = { content: items(page, count), ids: items(page, count), isLast: count < 3 };
      // Pages past the end hang until the test lets them go: the walk must not wait for them.
      if (page > 4) return new Promise((resolve) => pending.push(() => resolve(result)));
      return new Promise((resolve) => setTimeout(() => resolve(result), page));
    };
    const pages = await walkPages({ ...base, fetchPage, concurrency: 4 });
    expect(pages.flat()).toEqual([1, 2, 3].flatMap((page) => items(page, 3)));
    expect(pending.length).toBeGreaterThan(0);
    pending.forEach((release) => release());
  });

  it('ignores a speculative page that fails past a known end while earlier pages are still on their way', async () => {
    // Page 1 goes alone; then 2-5 fly together: 3 is short (the end), 4 and 5 fail, and 2 arrives last.
    const delays: Record<number, number> = { 1: 1, 2: 40, 3: 1, 4: 10, 5: 10 };
    const fetchPage = (page: number): Promise<WalkedPage<string[]>> =>
      new Promise((resolve, reject) =>
        setTimeout(() => {
          if (page > 3) return reject(new UpstreamError('invent', 'UPSTREAM_UNAVAILABLE', 'past the end'));
          const count = page < 3 ? 3 : 1;
          resolve({ content: items(page, count), ids: items(page, count), isLast: count < 3 });
        }, delays[page] ?? 1),
      );
    const pages = await walkPages({ ...base, fetchPage, concurrency: 4 });
    expect(pages.flat()).toEqual([...items(1, 3), ...items(2, 3), ...items(3, 1)]);
  });

  it('sends the next request when a page has arrived, while that page is still being read', async () => {
    const events: string[] = [];
    let onTheWire = 0;
    let maxOnTheWire = 0;
    const fetchPage = async (page: number, _deadline: Deadline, arrived: () => void): Promise<WalkedPage<string[]>> => {
      events.push(`request ${page}`);
      onTheWire++;
      maxOnTheWire = Math.max(maxOnTheWire, onTheWire);
      await new Promise((resolve) => setTimeout(resolve, 2));
      onTheWire--;
      arrived();
      // Reading takes longer than the wire: the walk must not wait for it to send the next request.
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push(`read ${page}`);
      return { content: items(page, 3), ids: items(page, 3), isLast: false };
    };
    const pages = await walkPages({ ...base, fetchPage, concurrency: 2, firstPage: 1, lastPage: 4 });
    expect(pages.flat()).toEqual([1, 2, 3, 4].flatMap((page) => items(page, 3)));
    expect(events.indexOf('request 3')).toBeLessThan(events.indexOf('read 1'));
    expect(maxOnTheWire).toBeLessThanOrEqual(2);
  });

  it('keeps speculating within a second window while pages are read slowly, never without bound', async () => {
    const requested: number[] = [];
    let onTheWire = 0;
    let maxOnTheWire = 0;
    const fetchPage = async (page: number, _deadline: Deadline, arrived: () => void): Promise<WalkedPage<string[]>> => {
      requested.push(page);
      onTheWire++;
      maxOnTheWire = Math.max(maxOnTheWire, onTheWire);
      await new Promise((resolve) => setTimeout(resolve, 1));
      onTheWire--;
      arrived();
      // A reader far slower than the wire: pages 2-4 are full, 5 is short.
      await new Promise((resolve) => setTimeout(resolve, page === 1 ? 1 : 40));
      const count = page <= 4 ? 3 : page === 5 ? 1 : 0;
      return { content: items(page, count), ids: items(page, count), isLast: count < 3 };
    };
    const pages = await walkPages({ ...base, fetchPage, concurrency: 3 });
    expect(pages.flat()).toHaveLength(4 * 3 + 1);
    expect(maxOnTheWire).toBeLessThanOrEqual(3);
    // On the wire or being read, never more than two windows of 3: at most 2 x 3 - 1 pages past the end (page 5).
    expect(Math.max(...requested)).toBeLessThanOrEqual(5 + 2 * 3 - 1);
  });

  it('still sends page 1 alone while it is being read when the end is unknown', async () => {
    const requested: number[] = [];
    const fetchPage = async (page: number, _deadline: Deadline, arrived: () => void): Promise<WalkedPage<string[]>> => {
      requested.push(page);
      await new Promise((resolve) => setTimeout(resolve, 1));
      arrived();
      await new Promise((resolve) => setTimeout(resolve, 10));
      return { content: items(page, 1), ids: items(page, 1), isLast: true };
    };
    await walkPages({ ...base, fetchPage, concurrency: 4 });
    expect(requested).toEqual([1]);
  });

  it('hands each page over in page order as soon as the pages before it are in, never one past the last', async () => {
    // Page 8 is the short (last) one and arrives after the empty pages 9 and 10 past it.
    const delays: Record<number, number> = { 1: 1, 2: 9, 3: 2, 4: 5, 5: 1, 6: 7, 7: 3, 8: 25, 9: 2, 10: 1 };
    const handed: number[] = [];
    const fetchPage = (page: number): Promise<WalkedPage<string[]>> =>
      new Promise((resolve) =>
        setTimeout(() => {
          const count = page <= 7 ? 3 : page === 8 ? 1 : 0;
          resolve({ content: items(page, count), ids: items(page, count), isLast: count < 3 });
        }, delays[page] ?? 1),
      );
    const pages = await walkPages({ ...base, fetchPage, concurrency: 4, onPage: (page, content) => handed.push(page) && expect(content).toEqual(items(page, page <= 7 ? 3 : 1)) });
    expect(handed).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(pages).toHaveLength(8);
  });

  it('sends page 1 alone when the end is unknown, so a one-page tenant costs one request', async () => {
    const upstream = recorder(0);
    const pages = await walkPages({ ...base, fetchPage: upstream.fetchPage, concurrency: 4 });
    expect(pages.flat()).toEqual(['p1-0']);
    expect(upstream.requested).toEqual([1]);
  });

  it('fetches exactly the known pages when the last page is known', async () => {
    const upstream = recorder(50);
    const pages = await walkPages({ ...base, fetchPage: upstream.fetchPage, concurrency: 3, firstPage: 2, lastPage: 6 });
    expect(pages).toHaveLength(5);
    expect([...upstream.requested].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6]);
    expect(upstream.maxInFlight).toBeLessThanOrEqual(3);
  });

  it('stops a runaway upstream at the page cap with a clear error', async () => {
    const upstream = recorder(Number.POSITIVE_INFINITY);
    await expect(walkPages({ ...base, fetchPage: upstream.fetchPage, concurrency: 2, maxPages: 10 })).rejects.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
      message: expect.stringContaining('cap of 10'),
    });
    expect(upstream.requested.length).toBeLessThanOrEqual(10);
  });

  it('stops when the upstream serves the same page again', async () => {
    const fetchPage = async (): Promise<WalkedPage<string[]>> => ({ content: items(1, 3), ids: items(1, 3), isLast: false });
    await expect(walkPages({ ...base, fetchPage, concurrency: 1 })).rejects.toMatchObject({ message: expect.stringContaining('identical to page 1') });
  });

  it('fails the walk on the first failed page and cancels the pages in flight', async () => {
    // Page 1 goes alone; then pages 2-4 fly together and page 2 fails first.
    const aborted: number[] = [];
    const fetchPage = (page: number, { signal }: Deadline): Promise<WalkedPage<string[]>> =>
      new Promise((resolve, reject) => {
        if (page === 2) return setTimeout(() => reject(new UpstreamError('invent', 'UPSTREAM_UNAVAILABLE', 'boom')), 5);
        const timer = setTimeout(() => resolve({ content: items(page, 3), ids: items(page, 3), isLast: false }), page === 1 ? 5 : 200);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          aborted.push(page);
          reject(new Error('aborted'));
        });
      });
    await expect(walkPages({ ...base, fetchPage, concurrency: 3 })).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(aborted.filter((page) => page !== 1).sort()).toEqual([3, 4]);
  });
});
