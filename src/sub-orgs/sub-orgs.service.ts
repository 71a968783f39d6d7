import { Inject, Injectable } from '@nestjs/common';
import type { ProviderSnapshot } from '../cache/provider-snapshot.js';
import { RawRecordReader } from '../cache/raw-records.js';
import { type SourceRead, SnapshotService } from '../cache/snapshot.service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { GatewayErrorCode, GatewayException } from '../errors/gateway.exception.js';
import { SUB_ORG_PROVIDERS, type SubOrgProvider } from '../providers/provider.js';
import { InvalidCursorError, decodeCursor, encodeCursor } from './cursor.js';
import type { ListSubOrgsQueryDto } from './dto/list-sub-orgs.query.js';
import type { SourceReportDto, SubOrgListingDto } from './dto/listing-response.dto.js';
import type { SubOrgDto } from './dto/sub-org.dto.js';
import { type PageEntry, cutPage, mergedListing, querySignature } from './listing-engine.js';
import type { ListingQuery, SortOption } from './listing-query.js';
import { parseListingQuery } from './listing-query.parser.js';
import { SnapshotIndex } from './snapshot-index.js';
import type { SortKey } from './sort-order.js';

function sourceReport(read: SourceRead): SourceReportDto {
  const snapshot = read.snapshot;
  return {
    provider: read.provider,
    status: read.state,
    itemCount: snapshot?.items.length ?? 0,
    skipped: snapshot?.skipped ?? 0,
    fetchedAt: snapshot ? new Date(snapshot.fetchedAt).toISOString() : null,
    latencyMs: snapshot?.latencyMs ?? null,
    ...(read.error ? { error: { code: read.error.code, message: read.error.message } } : {}),
  };
}

/** Records as they leave the gateway; originals are read (inflated) only when asked for. */
function viewer(includeRaw: boolean): (snapshot: ProviderSnapshot, position: number) => SubOrgDto {
  if (!includeRaw) return (snapshot, position) => snapshot.items[position];
  const readers = new Map<ProviderSnapshot, RawRecordReader>();
  return (snapshot, position) => {
    let reader = readers.get(snapshot);
    if (reader === undefined) {
      reader = new RawRecordReader(snapshot.raw);
      readers.set(snapshot, reader);
    }
    return { ...snapshot.items[position], raw: reader.at(position) };
  };
}

/** The listing: snapshots of the requested providers, merged, filtered, sorted and cut into a page. */
@Injectable()
export class SubOrgsService {
  private readonly byKey: ReadonlyMap<string, SubOrgProvider>;

  constructor(
    @Inject(SUB_ORG_PROVIDERS) private readonly providers: readonly SubOrgProvider[],
    private readonly snapshots: SnapshotService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.byKey = new Map(providers.map((provider) => [provider.key, provider]));
  }

  async list(dto: ListSubOrgsQueryDto, requestId?: string): Promise<SubOrgListingDto> {
    const query = parseListingQuery(
      dto,
      this.providers.map((provider) => provider.key),
    );
    // Hashed once: the merge memo, the cursor check and the next cursor all use it.
    const signature = querySignature(query.filter, query.sort);
    const start = this.startOf(query, signature);
    const reads = await this.readSources(query.filter.providers, requestId, query.sort);
    const indexes = await Promise.all(reads.flatMap((read) => (read.snapshot ? [SnapshotIndex.of(read.snapshot)] : [])));
    const window = await cutPage(await mergedListing(indexes, query.filter, query.sort, signature), query.sort, start, query.pageSize);
    const view = viewer(query.includeRaw);
    const nextCursor =
      window.nextKey === undefined
        ? null
        : encodeCursor({ sort: query.sort, key: window.nextKey, querySignature: signature });
    return {
      data: window.entries.map((entry: PageEntry) => view(entry.index.snapshot, entry.position)),
      page: {
        // With a cursor the page number is where the cursor landed; it is informational.
        page: query.cursor === undefined ? query.page : Math.floor(window.startIndex / query.pageSize) + 1,
        pageSize: query.pageSize,
        totalItems: window.totalItems,
        totalPages: Math.ceil(window.totalItems / query.pageSize),
        nextCursor,
      },
      sources: reads.map(sourceReport),
      partial: reads.some((read) => read.state === 'error'),
    };
  }

  async get(id: string, includeRaw: boolean, requestId?: string): Promise<SubOrgDto> {
    if (id.length > 300) throw GatewayException.invalid([{ field: 'id', message: 'must be at most 300 characters' }]);
    const separator = id.indexOf(':');
    const provider = separator > 0 ? this.byKey.get(id.slice(0, separator)) : undefined;
    if (provider === undefined) throw new GatewayException(GatewayErrorCode.NotFound, `No sub-organization with id "${id}"`);
    const [read] = await this.readSources([provider.key], requestId);
    const snapshot = read.snapshot!;
    const position = (await SnapshotIndex.of(snapshot)).positionOf(id);
    if (position === undefined) throw new GatewayException(GatewayErrorCode.NotFound, `No sub-organization with id "${id}"`);
    return viewer(includeRaw)(snapshot, position);
  }

  private startOf(query: ListingQuery, signature: string): { readonly offset: number } | { readonly after: SortKey } {
    if (query.cursor === undefined) return { offset: (query.page - 1) * query.pageSize };
    let position;
    try {
      position = decodeCursor(query.cursor);
    } catch (error: unknown) {
      if (error instanceof InvalidCursorError) throw GatewayException.invalid([{ field: 'cursor', message: error.message }]);
      throw error;
    }
    if (position.sort !== query.sort || position.querySignature !== signature) {
      throw GatewayException.invalid([{ field: 'cursor', message: 'belongs to a different filter or sort; repeat the query that produced it' }]);
    }
    return { after: position.key };
  }

  /**
   * Reads every requested source in parallel within one listing deadline; fails only when none has data.
   * Each snapshot's index (and the order `sort` needs) starts building as soon as it arrives, overlapping
   * the slower sources' walks.
   */
  private async readSources(keys: readonly string[], requestId: string | undefined, sort?: SortOption): Promise<SourceRead[]> {
    const deadline = AbortSignal.timeout(this.config.upstream.listingDeadlineMs);
    const reads = await Promise.all(
      keys.map(async (key) => {
        const read = await this.snapshots.read(this.byKey.get(key)!, deadline, requestId);
        if (read.snapshot !== undefined) {
          void SnapshotIndex.of(read.snapshot).then((index) => (sort === undefined ? undefined : index.prepare(sort)));
        }
        return read;
      }),
    );
    if (reads.every((read) => read.snapshot === undefined)) {
      const sources = reads.map(sourceReport);
      const codes = sources.map((source) => `${source.provider}: ${source.error?.code ?? 'UNKNOWN'}`).join(', ');
      throw new GatewayException(GatewayErrorCode.AllSourcesFailed, `No requested source could answer (${codes})`, { sources });
    }
    return reads;
  }
}
