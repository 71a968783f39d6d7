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
  /**
   * Fetches and reads one page. `arrived` is called once its body is in,
   * before it is read: from then on it no longer takes a place in the window.
   */
  readonly fetchPage: (page: number, deadline: Deadline, arrived: () => void) => Promise<WalkedPage<T>>;
  readonly concurrency: number;
  readonly maxPages: number;
  readonly deadline: Deadline;
  readonly firstPage?: number;
  /** Known up front (bv's total_items). Unknown: pages are fetched ahead in a window until one is last. */
  readonly lastPage?: number;
  /**
   * Called with each page of the walk in page order, as soon as it and every
   * page before it are in, so the caller can gather records during the walk;
   * never with a page past the last.
   */
  readonly onPage?: (page: number, content: T) => void;
}

function fingerprint(ids: readonly unknown[]): string | undefined {
  if (ids.length === 0) return undefined;
  return `${ids.length}:${String(ids[0])}:${String(ids[ids.length - 1])}`;
}

/**
 * Fetches pages with at most `concurrency` requests on the wire (a page being
 * read no longer takes a place there, within a second window) and returns
 * them in page order. Without a known last page it speculates ahead, at most
 * 2 x concurrency - 1 pages past the end: those are discarded, and the walk
 * does not wait for them (they finish on their own and are ignored; aborting
 * them would close kept-alive connections the next walk wants). One failed
 * page cancels the rest and fails the walk.
 */
export async function walkPages<T>(walk: PageWalk<T>): Promise<T[]> {
  const firstPage = walk.firstPage ?? 1;
  const cancel = new AbortController();
  const deadline = walk.deadline.linkedWith(cancel.signal);
  const pages = new Map<number, T>();
  const seen = new Map<string, number>();
  let lastPage = walk.lastPage ?? Number.POSITIVE_INFINITY;
  let nextPage = firstPage;
  /** Every page from firstPage up to this one has arrived. */
  let receivedThrough = firstPage - 1;

  await new Promise<void>((resolve, reject) => {
    /** Requests on the wire. */
    let inFlight = 0;
    /** Pages whose body is in and being read. */
    let reading = 0;
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      cancel.abort();
      reject(error);
    };
    const mayLaunch = (): boolean => {
      // Without a known end, page 1 goes alone (until it is read): most tenants fit on it, and a failing upstream sees one request, not a window.
      if (walk.lastPage === undefined && pages.size === 0) return inFlight + reading === 0;
      // Pages being read count up to a second window, so a slow reader can neither let speculation run away nor pile up bodies.
      return inFlight < walk.concurrency && inFlight + reading < 2 * walk.concurrency;
    };
    const launch = (): void => {
      while (!settled && mayLaunch() && nextPage <= lastPage) {
        if (nextPage - firstPage >= walk.maxPages) {
          fail(new UpstreamError(walk.provider, 'UPSTREAM_BAD_RESPONSE', `${walk.label} kept sending pages past the cap of ${walk.maxPages}; the walk was stopped`));
          return;
        }
        const page = nextPage++;
        inFlight++;
        let onTheWire = true;
        const arrived = (): void => {
          if (!onTheWire) return;
          onTheWire = false;
          inFlight--;
          reading++;
          launch();
        };
        const finished = (): void => {
          if (onTheWire) inFlight--;
          else reading--;
        };
        walk.fetchPage(page, deadline, arrived).then((result) => {
          finished();
          if (settled || page > lastPage) return launch();
          const print = fingerprint(result.ids);
          const earlier = print === undefined ? undefined : seen.get(print);
          if (earlier !== undefined) {
            return fail(new UpstreamError(walk.provider, 'UPSTREAM_BAD_RESPONSE', `${walk.label} sent page ${page} identical to page ${earlier}; the walk was stopped`));
          }
          if (print !== undefined) seen.set(print, page);
          pages.set(page, result.content);
          if (result.isLast && page < lastPage) lastPage = page;
          // Every page up to the watermark is in, so a last page among them has already lowered lastPage.
          while (receivedThrough < lastPage && pages.has(receivedThrough + 1)) {
            receivedThrough++;
            walk.onPage?.(receivedThrough, pages.get(receivedThrough)!);
          }
          launch();
        }, (error: unknown) => {
          finished();
          // A page past a known end cannot matter, even when it fails.
          if (page > lastPage) return launch();
          fail(error);
        });
      }
      if (!settled && nextPage > lastPage && receivedThrough >= lastPage) {
        settled = true;
        resolve();
      }
    };
    launch();
  });

  const ordered: T[] = [];
  // The walk resolves only when every page up to the last one has arrived.
  for (let page = firstPage; page <= lastPage; page++) ordered.push(pages.get(page)!);
  return ordered;
}
