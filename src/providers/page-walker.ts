import type { Deadline } from '../http/deadline.js';
import { UpstreamError } from '../http/upstream-error.js';

export interface WalkedPage<T> {
  readonly content: T;
  /** Ids of the page's records, to spot an upstream that serves the same page again. */
  readonly ids: readonly unknown[];
  /** The upstream said (or showed, by a short page) that nothing comes after this page. */
  readonly isLast: boolean;
}

export interface PageWalk<T> {
  readonly provider: string;
  readonly label: string;
  readonly fetchPage: (page: number, deadline: Deadline) => Promise<WalkedPage<T>>;
  readonly concurrency: number;
  readonly maxPages: number;
  readonly deadline: Deadline;
  readonly firstPage?: number;
  /** Known up front (bv's total_items). Unknown: pages are fetched ahead in a window until one is last. */
  readonly lastPage?: number;
}

function fingerprint(ids: readonly unknown[]): string | undefined {
  if (ids.length === 0) return undefined;
  return `${ids.length}:${String(ids[0])}:${String(ids[ids.length - 1])}`;
}

/**
 * Fetches pages with at most `concurrency` in flight and returns them in page
 * order. Without a known last page it speculates ahead: pages past the first
 * last page are discarded. One failed page cancels the rest and fails the walk.
 */
export async function walkPages<T>(walk: PageWalk<T>): Promise<T[]> {
  const firstPage = walk.firstPage ?? 1;
  const cancel = new AbortController();
  const deadline = walk.deadline.linkedWith(cancel.signal);
  const pages = new Map<number, T>();
  const seen = new Map<string, number>();
  let lastPage = walk.lastPage ?? Number.POSITIVE_INFINITY;
  let nextPage = firstPage;

  await new Promise<void>((resolve, reject) => {
    let inFlight = 0;
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      cancel.abort();
      reject(error);
    };
    const launch = (): void => {
      // Without a known end, page 1 goes alone: most tenants fit on it, and a failing upstream sees one request, not a window.
      const window = walk.lastPage === undefined && pages.size === 0 ? 1 : walk.concurrency;
      while (!settled && inFlight < window && nextPage <= lastPage) {
        if (nextPage - firstPage >= walk.maxPages) {
          fail(new UpstreamError(walk.provider, 'UPSTREAM_BAD_RESPONSE', `${walk.label} kept sending pages past the cap of ${walk.maxPages}; the walk was stopped`));
          return;
        }
        const page = nextPage++;
        inFlight++;
        walk.fetchPage(page, deadline).then((result) => {
          inFlight--;
          if (settled || page > lastPage) return launch();
          const print = fingerprint(result.ids);
          const earlier = print === undefined ? undefined : seen.get(print);
          if (earlier !== undefined) {
            return fail(new UpstreamError(walk.provider, 'UPSTREAM_BAD_RESPONSE', `${walk.label} sent page ${page} identical to page ${earlier}; the walk was stopped`));
          }
          if (print !== undefined) seen.set(print, page);
          pages.set(page, result.content);
          if (result.isLast && page < lastPage) lastPage = page;
          launch();
        }, fail);
      }
      if (!settled && inFlight === 0 && nextPage > lastPage) {
        settled = true;
        resolve();
      }
    };
    launch();
  });

  const ordered: T[] = [];
  // Every page up to the last one was fetched: the walk resolves only when none is in flight.
  for (let page = firstPage; page <= lastPage; page++) ordered.push(pages.get(page)!);
  return ordered;
}
