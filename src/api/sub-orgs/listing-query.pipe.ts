import { Injectable, type PipeTransform } from '@nestjs/common';
import { type FieldError, GatewayException } from '../../domain/gateway-error.js';
import { InvalidCursorError, decodeCursor } from '../../listing/cursor.js';
import type { ListingFilter, ListingQuery, SortKey } from '../../listing/listing-query.js';
import { ListingService } from '../../listing/listing.service.js';
import { querySignature } from '../../listing/merged-listing.js';
import { foldForSearch } from '../../listing/name-folding.js';
import { validateQuery } from '../validation/strict-query.js';
import { ListingRequest } from './list-sub-orgs.query.js';

const setOf = <T>(values: readonly T[] | undefined): ReadonlySet<T> | undefined => (values === undefined ? undefined : new Set(values));

/**
 * The listing's query: unknown names, each field's rules, and what single
 * fields cannot say (providers known but not configured, a cursor combined
 * with `page` or made for another query, a reversed date range), all checked
 * before answering, so one 400 names every bad field.
 */
@Injectable()
export class ListingQueryPipe implements PipeTransform<unknown, ListingRequest> {
  constructor(private readonly listing: ListingService) {}

  transform(raw: unknown): ListingRequest {
    const { value: request, errors } = validateQuery(ListingRequest, raw);
    const invalid = new Set(errors.map((error) => error.field));
    // A field that failed its own rules takes no part in what follows; the answer is a 400 anyway.
    const valid = <K extends keyof ListingRequest>(field: K): ListingRequest[K] | undefined => (invalid.has(field) ? undefined : request[field]);
    const configured = this.listing.providerKeys;
    const providers = valid('provider');
    const unknown = (providers ?? []).filter((key) => !configured.includes(key));
    if (unknown.length > 0) errors.push({ field: 'provider', message: `not configured on this gateway: ${unknown.join(', ')} (configured: ${configured.join(', ')})` });
    const from = valid('createdFrom');
    const to = valid('createdTo');
    const createdFrom = from === undefined ? undefined : Date.parse(from);
    const createdTo = to === undefined ? undefined : Date.parse(to);
    if (createdFrom !== undefined && createdTo !== undefined && createdFrom > createdTo) errors.push({ field: 'createdTo', message: 'must not be before createdFrom' });
    const q = valid('q');
    const filter: ListingFilter = {
      providers: providers === undefined ? configured : [...new Set(providers)],
      q: q === undefined ? undefined : foldForSearch(q),
      statuses: setOf(valid('status')),
      types: setOf(valid('type')),
      plans: setOf(valid('plan')?.map((plan) => plan.toLowerCase())),
      createdFrom,
      createdTo,
    };
    const sort = valid('sort') ?? 'name';
    const signature = querySignature(filter, sort);
    const cursor = valid('cursor');
    const after = cursor === undefined ? undefined : this.cursorKey(cursor, sort, signature, errors);
    if (request.cursor !== undefined && request.page !== undefined) errors.push({ field: 'cursor', message: 'cannot be combined with page; a cursor already says where to continue' });
    if (errors.length > 0) throw GatewayException.invalid(errors);
    request.query = { filter, sort, page: request.page ?? 1, pageSize: request.pageSize, after, signature, includeRaw: request.includeRaw };
    return request;
  }

  private cursorKey(cursor: string, sort: ListingQuery['sort'], signature: string, errors: FieldError[]): SortKey | undefined {
    try {
      const position = decodeCursor(cursor);
      if (position.sort === sort && position.querySignature === signature) return position.key;
      errors.push({ field: 'cursor', message: 'belongs to a different filter or sort; repeat the query that produced it' });
    } catch (error: unknown) {
      if (!(error instanceof InvalidCursorError)) throw error;
      errors.push({ field: 'cursor', message: error.message });
    }
    return undefined;
  }
}
