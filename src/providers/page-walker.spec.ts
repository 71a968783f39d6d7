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
    // Speculation is bounded by the window: never more than concurrency-1 pages past the last one.
    expect(Math.max(...upstream.requested)).toBeLessThanOrEqual(8 + 3);
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
