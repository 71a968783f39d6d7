import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Observable, map, of } from 'rxjs';
import { SnapshotService } from '../cache/snapshot.service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { SubOrgListingDto } from './dto/listing-response.dto.js';
import { ListingResponseCache } from './listing-response-cache.js';

/** Serves repeated listing URLs from serialised bytes while their sources are fresh. */
@Injectable()
export class ListingCacheInterceptor implements NestInterceptor {
  private readonly cache = new ListingResponseCache();

  constructor(
    private readonly snapshots: SnapshotService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler<SubOrgListingDto>): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const url = request.url;
    const generation = this.snapshots.generation;
    const hit = this.cache.get(url, generation);
    if (hit !== undefined) {
      void reply.header('content-type', 'application/json; charset=utf-8');
      return of(hit.body);
    }
    return next.handle().pipe(
      map((listing) => {
        if (listing.partial || listing.sources.some((source) => source.status !== 'ok' || source.fetchedAt === null)) return listing;
        const oldest = Math.min(...listing.sources.map((source) => Date.parse(source.fetchedAt!)));
        const body = Buffer.from(JSON.stringify(listing), 'utf8');
        this.cache.set(url, body, oldest + this.config.cache.ttlSeconds * 1000, generation);
        void reply.header('content-type', 'application/json; charset=utf-8');
        return body;
      }),
    );
  }
}
