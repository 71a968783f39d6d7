import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { TooDeeplyNestedError, removeCredentials } from '../domain/credential-names.js';
import { type Deadline, remainingMs, sleep } from '../domain/deadline.js';
import type { Originals, OriginalsPage } from '../domain/snapshot.js';
import type { SubOrg } from '../domain/sub-org.js';
import { UpstreamError } from '../domain/upstream-error.js';
import { credentialFreeRecordsJson } from './credential-free-json.js';
import { type UpstreamResponse, UpstreamHttpClient } from './http/upstream-http.client.js';
import { MAX_RECORD_NESTING } from './mapping.js';
import { OriginalsBuilder, OriginalsEncoder } from './originals.js';
import type { Upstream } from './upstream-definition.js';
import { parseUtf8Json } from './utf8-json.js';

/** One upstream page, read, mapped and with its (credential-free) originals encoded. */
export interface WalkedPage {
  readonly number: number;
  /** The records that mapped, in page order... */
  readonly records: readonly SubOrg[];
  /** ...and each one's index in the page's records array (its original's place). */
  readonly indexes: readonly number[];
  readonly skipReasons: readonly string[];
  /** Records the page held, mapped or not. */
  readonly received: number;
  readonly originals: OriginalsPage;
  /** Identifies the page by its record ids, so an upstream repeating a page is caught. */
  readonly fingerprint: string | undefined;
  readonly totalItems: number | undefined;
}

/** Pages a walk had when a transient failure stopped it; the next walk starts from these. */
export interface WalkCheckpoint {
  readonly provider: string;
  readonly pages: ReadonlyMap<number, WalkedPage>;
  readonly startedAt: number;
}

export interface WalkResult {
  readonly records: readonly SubOrg[];
  readonly originals: Originals;
  readonly skipped: number;
  readonly pages: number;
}

export interface WalkCounts {
  readonly pagesFetched: number;
  readonly recordsFetched: number;
  /** Known for total-items upstreams after page 1, or from a hint; null when unknown. */
  readonly totalPages: number | null;
}

export interface WalkOptions {
  /** The walk's own bound (WALK_TIMEOUT_SECONDS) and shutdown. */
  readonly deadline: Deadline;
  /** Resume from the pages of an earlier walk that a transient failure stopped. */
  readonly resumeFrom?: WalkCheckpoint;
  /** After each page is in. */
  readonly onPage?: (counts: WalkCounts) => void;
}

/** The longest a walk sleeps for one 429 without a Retry-After, doubling from one second. */
const MAX_RATE_LIMIT_WAIT_MS = 60_000;

const idOf = (record: unknown): string => (typeof record === 'object' && record !== null && 'id' in record ? String((record as { id: unknown }).id) : '');

/** A page's size and first and last ids: two pages of distinct ids cannot share it unless one repeats the other. */
function fingerprintOf(records: readonly unknown[]): string | undefined {
  if (records.length === 0) return undefined;
  const [first, last] = [idOf(records[0]), idOf(records[records.length - 1])];
  return first === '' && last === '' ? undefined : JSON.stringify([records.length, first, last]);
}

/** A walk's records in page order, added as pages come in: the first record of each id kept, the rest counted as skipped. */
class PageOrderAssembly {
  readonly records: SubOrg[] = [];
  readonly originals = new OriginalsBuilder();
  readonly reasons = new Map<string, number>();
  received = 0;
  /** Pages 1 to `through` are in. */
  through = 0;
  /**
   * Source ids seen: one walk is one provider, so they are as unique as the
   * record ids, and hashing them leaves each `provider:id` unflattened (a
   * concatenation sharing the parsed id's characters instead of a copy).
   */
  private readonly sourceIds = new Set<string>();

  get skipped(): number {
    return this.received - this.records.length;
  }

  add(page: WalkedPage): void {
    this.through = page.number;
    this.received += page.received;
    const pageNumber = this.originals.addPage(page.originals);
    for (const reason of page.skipReasons) this.skip(reason);
    page.records.forEach((record, i) => {
      if (this.sourceIds.has(record.sourceId)) return this.skip('duplicate id');
      this.sourceIds.add(record.sourceId);
      this.records.push(record);
      this.originals.add(pageNumber, page.indexes[i]);
    });
  }

  private skip(reason: string): void {
    // Reasons may name a record id; keep the key generic so one log line summarises a bad batch.
    const key = reason.replace(/^record \S+: /, '');
    this.reasons.set(key, (this.reasons.get(key) ?? 0) + 1);
  }
}

/**
 * One walk of one upstream: page 1 first, then up to UPSTREAM_CONCURRENCY
 * pages at a time until the paging rule says the last page is in. Every
 * request waits for the provider's budget (in the HTTP client); a 429 pauses
 * the budget for its Retry-After and the page is asked for again, so rate
 * limits slow a walk but never fail it. Any other failure stops the walk; a
 * transient one leaves a checkpoint that the next walk resumes from.
 */
export class Walk {
  readonly startedAt: number;
  readonly done: Promise<WalkResult>;
  private readonly pages: Map<number, WalkedPage>;
  /** Each page's fingerprint and number, so a repeated page is caught in one lookup. */
  private readonly fingerprints = new Map<string, number>();
  private readonly logger: Logger;
  private readonly encoder = new OriginalsEncoder();
  /** The last page, once known: set through endAt, which keeps `fetched` in step. */
  private lastPage = Number.POSITIVE_INFINITY;
  /** Pages in hand up to the last page, and the records they held: kept as pages come, a walk of 1,000 pages reports its counts 1,000 times. */
  private readonly fetched = { pages: 0, records: 0 };
  private totalPagesHint: number | null = null;
  private readonly assembly = new PageOrderAssembly();
  private nextPage = 1;
  private failure: unknown;

  constructor(
    readonly upstream: Upstream,
    private readonly http: UpstreamHttpClient,
    private readonly settings: { readonly concurrency: number; readonly maxPages: number },
    private readonly options: WalkOptions,
  ) {
    this.logger = new Logger(`Walk:${upstream.key}`);
    const resumed = options.resumeFrom?.provider === upstream.key ? options.resumeFrom : undefined;
    this.pages = new Map(resumed?.pages ?? []);
    this.startedAt = resumed?.startedAt ?? Date.now();
    for (const page of this.pages.values()) {
      this.count(page);
      this.learnFrom(page);
      if (page.fingerprint !== undefined) this.fingerprints.set(page.fingerprint, page.number);
    }
    this.assembleReady();
    this.done = this.run();
    // Observed here; callers await `done` and see any failure.
    this.done.catch(() => undefined);
  }

  /** Pages up to the last one that are in, and the records they held. */
  get counts(): WalkCounts {
    const { pages, records } = this.fetched;
    return { pagesFetched: pages, recordsFetched: records, totalPages: Number.isFinite(this.lastPage) ? this.lastPage : this.totalPagesHint };
  }

  private count(page: WalkedPage, sign = 1): void {
    if (page.number > this.lastPage) return;
    this.fetched.pages += sign;
    this.fetched.records += sign * page.received;
  }

  /** Pages past a newly known end stop counting. */
  private endAt(last: number): void {
    if (last >= this.lastPage) return;
    for (const page of this.pages.values()) if (page.number > last) this.count(page, -1);
    this.lastPage = last;
  }

  /** What the next walk may resume from, when a transient failure stopped this one. */
  checkpoint(): WalkCheckpoint | undefined {
    if (!(this.failure instanceof UpstreamError) || !this.failure.transient || this.pages.size === 0) return undefined;
    return { provider: this.upstream.key, pages: new Map(this.pages), startedAt: this.startedAt };
  }

  private async run(): Promise<WalkResult> {
    try {
      // A total-items upstream says on page 1 how many pages follow, so page 1 goes alone. A
      // short-page one never says: its workers start at once, a round trip sooner on every walk, for
      // at most UPSTREAM_CONCURRENCY requests past the end (what finding the end costs anyway).
      if (this.upstream.paging === 'total-items' && !this.pages.has(1)) {
        const response = await this.download(1);
        this.store(this.read(1, response.body, response.headers));
      }
      const workers = Array.from({ length: this.settings.concurrency }, () => this.work());
      await Promise.all(workers);
      if (this.failure !== undefined) throw this.failure;
      // Every page up to the cap was full: the upstream never said where its list ends.
      if (!Number.isFinite(this.lastPage)) throw this.runaway(`kept sending full pages past UPSTREAM_MAX_PAGES (${this.settings.maxPages})`);
      return this.finish();
    } catch (error: unknown) {
      this.failure ??= error;
      throw this.failure;
    }
  }

  /**
   * One of UPSTREAM_CONCURRENCY workers. When a page's body is in, the worker
   * asks for its next page before reading this one, so reading (CPU) overlaps
   * the next request's round trip instead of delaying it; each worker still
   * has at most one request on the wire.
   */
  private async work(): Promise<void> {
    const download = (number: number | undefined) => (number === undefined ? undefined : this.download(number).then((response) => ({ number, response })));
    let pending = download(this.claim());
    while (pending !== undefined) {
      try {
        const { number, response } = await pending;
        pending = download(this.claim());
        // Observed here; the next iteration awaits it and sees any failure.
        pending?.catch(() => undefined);
        this.store(this.read(number, response.body, response.headers));
      } catch (error: unknown) {
        this.failure ??= error;
        await pending?.catch(() => undefined);
        return;
      }
    }
  }

  /** The next page to fetch, or undefined when none is left (or the walk failed). */
  private claim(): number | undefined {
    while (this.failure === undefined) {
      const page = this.nextPage;
      if (page > this.lastPage || page > this.settings.maxPages) return undefined;
      this.nextPage++;
      if (!this.pages.has(page)) return page;
    }
    return undefined;
  }

  private store(page: WalkedPage): void {
    // Speculative pages past a known end (short-page upstreams) are dropped.
    if (page.number > this.lastPage || this.failure !== undefined) return;
    if (page.fingerprint !== undefined) {
      const earlier = this.fingerprints.get(page.fingerprint);
      if (earlier !== undefined) {
        this.failure = this.runaway(`sent page ${page.number} identical to page ${earlier}`);
        return;
      }
      this.fingerprints.set(page.fingerprint, page.number);
    }
    this.pages.set(page.number, page);
    this.count(page);
    this.learnFrom(page);
    this.assembleReady();
    this.options.onPage?.(this.counts);
  }

  /** Adds the pages that are in, in page order, up to the first one still missing (work done while later pages travel). */
  private assembleReady(): void {
    for (let next = this.assembly.through + 1; next <= this.lastPage && this.pages.has(next); next++) this.assembly.add(this.pages.get(next)!);
  }

  private learnFrom(page: WalkedPage): void {
    const { pageSize, paging } = this.upstream;
    if (paging === 'total-items' && page.number === 1) {
      // No total means "this page is all there is".
      const pages = page.totalItems === undefined ? 1 : Math.max(1, Math.ceil(page.totalItems / pageSize));
      if (pages > this.settings.maxPages) {
        this.failure = this.runaway(`promises ${page.totalItems} records (${pages} pages), more than UPSTREAM_MAX_PAGES (${this.settings.maxPages})`);
        return;
      }
      this.endAt(pages);
    }
    if (paging === 'short-page-ends') {
      if (page.received < pageSize) this.endAt(page.number);
      if (page.totalItems !== undefined) this.totalPagesHint = Math.max(1, Math.ceil(page.totalItems / pageSize));
    }
  }

  private runaway(what: string): UpstreamError {
    return new UpstreamError(this.upstream.key, 'UPSTREAM_BAD_RESPONSE', `${this.upstream.label} ${what}; the walk was stopped`);
  }

  /** Downloads one page, waiting out 429s; throws any other failure. */
  private async download(number: number): Promise<UpstreamResponse> {
    const { upstream } = this;
    const { deadline } = this.options;
    for (let rateLimited = 0; ; rateLimited++) {
      try {
        return await this.http.get(upstream, upstream.pageRequest(number), deadline);
      } catch (error: unknown) {
        if (!(error instanceof UpstreamError) || error.httpStatus !== 429) throw error;
        const waitMs = error.retryAfterMs ?? Math.min(MAX_RATE_LIMIT_WAIT_MS, 1000 * 2 ** rateLimited);
        if (waitMs >= remainingMs(deadline)) throw error;
        this.logger.warn(`${upstream.label} answered 429 for page ${number}; every request to it waits ${waitMs} ms`);
        await this.http.budgetOf(upstream).pause(waitMs);
        await sleep(waitMs, deadline.signal).catch(() => {
          throw error;
        });
      }
    }
  }

  private read(number: number, body: Buffer, headers: Readonly<Record<string, string | undefined>>): WalkedPage {
    const { upstream } = this;
    let parsed: unknown;
    try {
      parsed = parseUtf8Json(body);
    } catch {
      throw new UpstreamError(upstream.key, 'UPSTREAM_BAD_RESPONSE', `${upstream.label} sent page ${number} that is not valid JSON`);
    }
    const reading = upstream.readPage(parsed, headers);
    if ('problem' in reading) throw new UpstreamError(upstream.key, 'UPSTREAM_BAD_RESPONSE', `${upstream.label} page ${number} ${reading.problem}`);
    const records: SubOrg[] = [];
    const indexes: number[] = [];
    const skipReasons: string[] = [];
    const originals = reading.records as unknown[];
    const fingerprint = fingerprintOf(originals);
    // Originals never carry a credential, at any depth: not in memory, not in Redis, not in `raw`.
    const credentialNames = new Set<string>();
    let credentials = 0;
    let nulled = 0;
    originals.forEach((original, index) => {
      try {
        credentials += removeCredentials(original, MAX_RECORD_NESTING, credentialNames);
      } catch (error: unknown) {
        if (!(error instanceof TooDeeplyNestedError)) throw error;
        skipReasons.push(`nested more than ${MAX_RECORD_NESTING} levels deep`);
        // Kept as null: serialising never walks into it, and the page's bytes (which hold it) are not kept.
        originals[index] = null;
        nulled++;
        return;
      }
      const mapped = upstream.mapRecord(original);
      if (mapped.ok) {
        records.push(mapped.record);
        indexes.push(index);
      } else {
        skipReasons.push(mapped.reason);
      }
    });
    const originalsJson = nulled > 0 ? Buffer.from(JSON.stringify(originals), 'utf8') : credentialFreeRecordsJson(body, parsed, originals, credentialNames, credentials);
    return {
      number,
      records,
      indexes,
      skipReasons,
      received: originals.length,
      originals: this.encoder.encode(originalsJson),
      fingerprint,
      totalItems: reading.totalItems,
    };
  }

  private finish(): WalkResult {
    this.assembleReady();
    const last = this.lastPage;
    if (this.assembly.through !== last) throw new Error(`walk of ${this.upstream.key} finished without page ${this.assembly.through + 1}`);
    const { records, originals, skipped, reasons, received } = this.assembly;
    if (skipped > 0) this.logger.warn(`${this.upstream.key}: skipped ${skipped} upstream record(s): ${[...reasons].map(([reason, count]) => `${reason} (x${count})`).join('; ')}`);
    if (this.upstream.paging === 'total-items') this.reportTotals(last, received);
    return { records, originals: originals.build(), skipped, pages: last };
  }

  /** The snapshot is the pages as fetched; a total that moved, or pages that held less, is worth an operator's look. */
  private reportTotals(last: number, received: number): void {
    const totals: number[] = [];
    for (let number = 1; number <= last; number++) {
      const total = this.pages.get(number)?.totalItems;
      if (total !== undefined && total !== totals.at(-1)) totals.push(total);
    }
    if (totals.length > 1) this.logger.warn(`${this.upstream.key}: total_items changed during the walk (${totals.join(' -> ')})`);
    else if (totals.length === 1 && totals[0] !== received) this.logger.warn(`${this.upstream.key}: total_items promised ${totals[0]} records, the pages held ${received}`);
  }
}

/** Starts walks; one instance serves every provider. */
@Injectable()
export class PageWalker {
  constructor(
    private readonly http: UpstreamHttpClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  start(upstream: Upstream, options: WalkOptions): Walk {
    const { concurrency, maxPages } = this.config.upstream;
    return new Walk(upstream, this.http, { concurrency, maxPages }, options);
  }
}
