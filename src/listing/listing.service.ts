import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { GatewayErrorCode, GatewayException, type SourceReport } from '../domain/gateway-error.js';
import type { Snapshot } from '../domain/snapshot.js';
import type { SubOrg, SubOrgField } from '../domain/sub-org.js';
import { type SourceRead, SnapshotService } from '../snapshots/snapshot.service.js';
import { OriginalsReader } from '../upstreams/originals.js';
import { UPSTREAMS, type Upstream } from '../upstreams/upstream-definition.js';
import { encodeCursor } from './cursor.js';
import { type Facets, mergeFacets } from './facets.js';
import type { ListingFilter, ListingQuery, SortOption } from './listing-query.js';
import { MergedListing, type PageEntry } from './merged-listing.js';
import { type SparseSubOrg, pickFields } from './record-fields.js';
import { SnapshotIndex } from './snapshot-index.js';

/** A canonical record as it leaves the gateway (only some fields with `fields`), optionally with its upstream original. */
export type SubOrgView = SparseSubOrg & { readonly raw?: unknown };

export interface PageInfo {
  readonly page: number;
  readonly pageSize: number;
  readonly totalItems: number;
  readonly totalPages: number;
  readonly nextCursor: string | null;
}

export interface SubOrgListing {
  readonly data: SubOrgView[];
  readonly page: PageInfo;
  readonly sources: SourceReport[];
  readonly partial: boolean;
  /** Only when the query asked for facets. */
  readonly facets?: Facets;
}

/** Every record of a listing in order, for an export: read lazily, so the caller's pace is the export's. */
export interface SubOrgExport {
  readonly sources: SourceReport[];
  readonly partial: boolean;
  readonly records: Iterable<SubOrg>;
}

/** A source as read for a listing: its snapshot's index and what the query selects from it, or none (the read says why). */
interface IndexedSource {
  readonly read: SourceRead;
  readonly index: SnapshotIndex | undefined;
  readonly selection: Uint32Array;
}

/** Sources are waited for until this long before LISTING_DEADLINE_MS: the rest is for cutting, serialising and sending the answer. */
const ANSWER_MARGIN_MS = 50;

const GATEWAY_FAULT = { code: 'GATEWAY_FAULT', message: 'The gateway failed while processing this source; its log has the details' } as const;

const iso = (time: number | null | undefined): string | null => (time === null || time === undefined ? null : new Date(time).toISOString());

export function sourceReport(read: SourceRead): SourceReport {
  const { snapshot, progress } = read;
  return {
    provider: read.provider,
    status: read.state,
    itemCount: snapshot?.records.length ?? 0,
    skipped: snapshot?.skipped ?? 0,
    fetchedAt: iso(snapshot?.fetchedAt),
    latencyMs: snapshot?.walkMs ?? null,
    progress:
      progress === undefined
        ? null
        : { pagesFetched: progress.pagesFetched, recordsFetched: progress.recordsFetched, totalPages: progress.totalPages, startedAt: iso(progress.startedAt)!, estimatedReadyAt: iso(progress.estimatedReadyAt) },
    ...(read.error === undefined ? {} : { error: { code: read.error.code, message: read.error.message } }),
  };
}

/** Records as they leave the gateway; originals are read (decompressed) only when asked for. */
function viewer(includeRaw: boolean, fields: readonly SubOrgField[] | undefined): (snapshot: Snapshot, position: number) => SubOrgView {
  if (!includeRaw) return (snapshot, position) => pickFields(snapshot.records[position], fields);
  const readers = new Map<Snapshot, OriginalsReader>();
  return (snapshot, position) => {
    let reader = readers.get(snapshot);
    if (reader === undefined) {
      reader = new OriginalsReader(snapshot.originals);
      readers.set(snapshot, reader);
    }
    return { ...pickFields(snapshot.records[position], fields), raw: reader.at(position) };
  };
}

/** The listing: snapshots of the requested providers, merged, filtered, sorted and cut into a page. */
@Injectable()
export class ListingService {
  private readonly logger = new Logger(ListingService.name);
  private readonly byKey: ReadonlyMap<string, Upstream>;

  constructor(
    @Inject(UPSTREAMS) private readonly upstreams: readonly Upstream[],
    private readonly snapshots: SnapshotService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.byKey = new Map(upstreams.map((upstream) => [upstream.key, upstream]));
  }

  get providerKeys(): readonly string[] {
    return this.upstreams.map((upstream) => upstream.key);
  }

  async list(query: ListingQuery): Promise<SubOrgListing> {
    const { filter, facets } = query;
    // The provider facet counts every configured provider, requested or not (disjunctive faceting).
    const keys = facets.includes('provider') ? this.providerKeys : filter.providers;
    const read = await this.readSources(keys, (index) => (filter.providers.includes(index.provider) ? index.select(filter, query.sort, query.signature) : Promise.resolve(new Uint32Array(0))));
    const sources = read.filter((source) => filter.providers.includes(source.read.provider));
    this.requireData(sources);
    const merged = this.merge(sources, query.sort);
    const window = await merged.cut(query.after === undefined ? { offset: (query.page - 1) * query.pageSize } : { after: query.after }, query.pageSize);
    const view = viewer(query.includeRaw, query.fields);
    const nextCursor = window.nextKey === undefined ? null : encodeCursor({ sort: query.sort, key: window.nextKey, querySignature: query.signature });
    return {
      data: window.entries.map((entry: PageEntry) => view(entry.index.snapshot, entry.position)),
      page: {
        // With a cursor the page number is where the cursor landed; it is informational.
        page: query.after === undefined ? query.page : Math.floor(window.startIndex / query.pageSize) + 1,
        pageSize: query.pageSize,
        totalItems: window.totalItems,
        totalPages: Math.ceil(window.totalItems / query.pageSize),
        nextCursor,
      },
      sources: sources.map((source) => sourceReport(source.read)),
      partial: sources.some((source) => source.index === undefined),
      ...(facets.length === 0 ? {} : { facets: await this.facets(read, filter, query) }),
    };
  }

  /** Every record the filter keeps, in `sort` order, read as the caller consumes them. */
  async export(filter: ListingFilter, sort: SortOption, signature: string): Promise<SubOrgExport> {
    const sources = await this.readSources(filter.providers, (index) => index.select(filter, sort, signature));
    this.requireData(sources);
    const merged = this.merge(sources, sort);
    return {
      sources: sources.map((source) => sourceReport(source.read)),
      partial: sources.some((source) => source.index === undefined),
      records: {
        *[Symbol.iterator]() {
          for (const { index, position } of merged.entries(merged.indexes.map(() => 0))) yield index.records[position];
        },
      },
    };
  }

  private merge(sources: readonly IndexedSource[], sort: SortOption): MergedListing {
    const usable = sources.filter((source) => source.index !== undefined);
    return new MergedListing(
      usable.map((source) => source.index!),
      usable.map((source) => source.selection),
      sort,
    );
  }

  private async facets(sources: readonly IndexedSource[], filter: ListingFilter, query: ListingQuery): Promise<Facets> {
    const counted = await Promise.all(sources.flatMap(({ index }) => (index === undefined ? [] : [index.facets(filter, query.facets, filter.providers.includes(index.provider))])));
    return mergeFacets(query.facets, counted, this.providerKeys);
  }

  async get(id: string, includeRaw: boolean): Promise<SubOrgView> {
    const separator = id.indexOf(':');
    const upstream = separator > 0 ? this.byKey.get(id.slice(0, separator)) : undefined;
    if (upstream === undefined) throw GatewayException.notFound(`No sub-organization with id "${id}"`);
    let position: number | undefined;
    const [source] = await this.readSources([upstream.key], async (index) => {
      position = await index.positionOf(id);
      return new Uint32Array(0);
    });
    this.requireData([source]);
    if (position === undefined) throw GatewayException.notFound(`No sub-organization with id "${id}"`);
    return viewer(includeRaw, undefined)(source.index!.snapshot, position);
  }

  /**
   * Reads every requested source in parallel within one listing deadline, and
   * works on each snapshot's index (`use`) as soon as it arrives, overlapping
   * slower sources' walks. A source whose snapshot cannot be worked on fails
   * alone.
   */
  private async readSources(keys: readonly string[], use: (index: SnapshotIndex) => Promise<Uint32Array>): Promise<IndexedSource[]> {
    const deadlineMs = this.config.upstream.listingDeadlineMs;
    const wait = AbortSignal.timeout(Math.max(deadlineMs / 2, deadlineMs - ANSWER_MARGIN_MS));
    const none = new Uint32Array(0);
    const sources = await Promise.all(
      keys.map(async (key): Promise<IndexedSource> => {
        const read = await this.snapshots.read(this.byKey.get(key)!, wait);
        if (read.snapshot === undefined) return { read, index: undefined, selection: none };
        const index = SnapshotIndex.of(read.snapshot);
        try {
          return { read, index, selection: await use(index) };
        } catch (error: unknown) {
          this.logger.error(`${key}: the snapshot could not be indexed`, error instanceof Error ? error.stack : String(error));
          return { read: { ...read, state: 'error', snapshot: undefined, error: GATEWAY_FAULT }, index: undefined, selection: none };
        }
      }),
    );
    // The query shapes that follow find their columns ready. Not before every source is in: the
    // background columns would take CPU from the walks this listing is still waiting for.
    for (const { index, read } of sources) {
      index?.warm().catch((error: unknown) => this.logger.error(`${read.provider}: indexing the snapshot failed`, error instanceof Error ? error.stack : String(error)));
    }
    return sources;
  }

  /** Throws when no source has data: 503 while one is still warming, else 502. */
  private requireData(sources: readonly IndexedSource[]): void {
    if (sources.every((source) => source.index === undefined)) this.throwNoData(sources.map((source) => source.read));
  }

  private throwNoData(reads: readonly SourceRead[]): never {
    const sources = reads.map(sourceReport);
    const warming = reads.filter((read) => read.state === 'warming');
    if (warming.length > 0) {
      const estimates = warming.map((read) => read.progress?.estimatedReadyAt ?? null).filter((time): time is number => time !== null);
      const untilMs = estimates.length > 0 ? Math.min(...estimates) - Date.now() : this.config.upstream.listingDeadlineMs;
      const retryAfterSeconds = Math.max(1, Math.ceil(untilMs / 1000));
      throw new GatewayException(GatewayErrorCode.SourcesWarming, `No requested source has data yet; ${warming.map((read) => read.provider).join(', ')} still warming`, {
        sources,
        retryAfterSeconds,
      });
    }
    const codes = sources.map((source) => `${source.provider}: ${source.error?.code ?? 'UNKNOWN'}`).join(', ');
    throw new GatewayException(GatewayErrorCode.AllSourcesFailed, `No requested source could answer (${codes})`, { sources });
  }
}
