import { type CallHandler, type ExecutionContext, HttpStatus, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Observable, map, of } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import type { SubOrgListing } from '../../listing/listing.service.js';
import { SnapshotService } from '../../snapshots/snapshot.service.js';
import { type CachedResponse, ListingResponseCache } from './listing-response-cache.js';
import { paginationHeaders } from './pagination-headers.js';


const opaqueTag = (tag: string): string => (tag.startsWith('W/') ? tag.slice(2) : tag);

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2). */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const ours = opaqueTag(etag);
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || opaqueTag(tag) === ours;
  });
}

/**
 * Serves repeated listing URLs from serialised bytes while their sources are
 * fresh, with an ETag (If-None-Match answers 304) and a Cache-Control that
 * lets the browser keep the answer exactly as long as the gateway would.
 * Partial or stale answers are never cached, by us or by the browser.
 */
@Injectable()
export class ListingCacheInterceptor implements NestInterceptor {
  private readonly cache = new ListingResponseCache();

  constructor(
    private readonly snapshots: SnapshotService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler<SubOrgListing>): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const url = request.url;
    const generation = this.snapshots.generation;
    const hit = this.cache.get(url, generation);
    if (hit !== undefined) return of(this.send(request, reply, hit));
    return next.handle().pipe(
      map((listing) => {
        const pagination = paginationHeaders(url, listing.page);
        if (listing.partial || listing.sources.some((source) => source.status !== 'ok' || source.fetchedAt === null)) {
          void reply.headers(pagination).header('cache-control', 'no-store');
          return listing;
        }
        const now = Date.now();
        const ttlMs = this.config.cache.ttlSeconds * 1000;
        // Never negative and never past the TTL, whatever a (skewed) fetchedAt says.
        const freshForMs = Math.min(...listing.sources.map((source) => Math.min(ttlMs, Math.max(0, ttlMs - Math.max(0, now - Date.parse(source.fetchedAt!))))));
        const entry = this.cache.set(url, Buffer.from(JSON.stringify(listing), 'utf8'), now + freshForMs, generation, pagination);
        return this.send(request, reply, entry);
      }),
    );
  }

  private send(request: FastifyRequest, reply: FastifyReply, entry: CachedResponse): Buffer | undefined {
    const maxAge = Math.max(0, Math.floor((entry.validUntil - Date.now()) / 1000));
    void reply.headers(entry.headers).header('etag', entry.etag).header('cache-control', `private, max-age=${maxAge}`);
    if (etagMatches(request.headers['if-none-match'], entry.etag)) {
      void reply.status(HttpStatus.NOT_MODIFIED);
      return undefined;
    }
    void reply.header('content-type', 'application/json; charset=utf-8');
    return entry.body;
  }
}
