import { Injectable, type PipeTransform } from '@nestjs/common';
import { type FieldError, GatewayException } from '../../domain/gateway-error.js';
import { SUB_ORG_FIELDS } from '../../domain/sub-org.js';
import { InvalidCursorError, decodeCursor } from '../../listing/cursor.js';
import type { ListingFilter, ListingQuery, SortKey, TimeField, TimeRange } from '../../listing/listing-query.js';
import { ListingService } from '../../listing/listing.service.js';
import { querySignature } from '../../listing/merged-listing.js';
import { foldForSearch } from '../../listing/name-folding.js';
import { validateQuery } from '../validation/strict-query.js';
import { ExportRequest, ListingRequest, type SubOrgFilterDto } from './list-sub-orgs.query.js';

const setOf = <T>(values: readonly T[] | undefined): ReadonlySet<T> | undefined => (values === undefined ? undefined : new Set(values));

/** The date-range parameters of each timestamp field. */
const RANGE_PARAMETERS: ReadonlyArray<readonly [TimeField, 'createdFrom' | 'updatedFrom' | 'contractEndsFrom', 'createdTo' | 'updatedTo' | 'contractEndsTo']> = [
  ['createdAt', 'createdFrom', 'createdTo'],
  ['updatedAt', 'updatedFrom', 'updatedTo'],
  ['contractEndsAt', 'contractEndsFrom', 'contractEndsTo'],
];

/**
 * The filter a request's validated parameters mean, and what single fields
 * cannot say (providers known but not configured, a reversed date range),
 * added to `errors`. A field that failed its own rules takes no part.
 */
function filterOf<T extends SubOrgFilterDto>(request: T, invalid: ReadonlySet<string>, configured: readonly string[], errors: FieldError[]): ListingFilter {
  const valid = <K extends keyof SubOrgFilterDto>(field: K): SubOrgFilterDto[K] | undefined => (invalid.has(field) ? undefined : request[field]);
  const providers = valid('provider');
  const unknown = (providers ?? []).filter((key) => !configured.includes(key));
  if (unknown.length > 0) errors.push({ field: 'provider', message: `not configured on this gateway: ${unknown.join(', ')} (configured: ${configured.join(', ')})` });
  const ranges: Partial<Record<TimeField, TimeRange>> = {};
  for (const [field, fromName, toName] of RANGE_PARAMETERS) {
    const [from, to] = [valid(fromName), valid(toName)].map((value) => (value === undefined ? undefined : Date.parse(value)));
    if (from === undefined && to === undefined) continue;
    if (from !== undefined && to !== undefined && from > to) errors.push({ field: toName, message: `must not be before ${fromName}` });
    ranges[field] = { from, to };
  }
  const q = valid('q');
  const ownerEmail = valid('ownerEmail');
  return {
    providers: providers === undefined ? configured : [...new Set(providers)],
    q: q === undefined ? undefined : foldForSearch(q),
    statuses: setOf(valid('status')),
    types: setOf(valid('type')),
    plans: setOf(valid('plan')?.map((plan) => plan.toLowerCase())),
    parentIds: setOf(valid('parentId')),
    ownerEmail: ownerEmail?.toLowerCase(),
    hasSubOrgs: valid('hasSubOrgs'),
    ranges,
  };
}

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
    const filter = filterOf(request, invalid, this.listing.providerKeys, errors);
    const sort = invalid.has('sort') ? 'name' : request.sort;
    const signature = querySignature(filter, sort);
    const cursor = invalid.has('cursor') ? undefined : request.cursor;
    const after = cursor === undefined ? undefined : this.cursorKey(cursor, sort, signature, errors);
    if (request.cursor !== undefined && request.page !== undefined) errors.push({ field: 'cursor', message: 'cannot be combined with page; a cursor already says where to continue' });
    if (errors.length > 0) throw GatewayException.invalid(errors);
    const fields = request.fields === undefined ? undefined : SUB_ORG_FIELDS.filter((field) => request.fields!.includes(field));
    request.query = {
      filter,
      sort,
      page: request.page ?? 1,
      pageSize: request.pageSize,
      after,
      signature,
      includeRaw: request.includeRaw,
      facets: [...new Set(request.facets ?? [])],
      fields,
    };
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

/** The export's query: the listing's filters and sort, and the format; one 400 names every bad field. */
@Injectable()
export class ExportQueryPipe implements PipeTransform<unknown, ExportRequest> {
  constructor(private readonly listing: ListingService) {}

  transform(raw: unknown): ExportRequest {
    const { value: request, errors } = validateQuery(ExportRequest, raw);
    const invalid = new Set(errors.map((error) => error.field));
    const filter = filterOf(request, invalid, this.listing.providerKeys, errors);
    if (errors.length > 0) throw GatewayException.invalid(errors);
    request.filter = filter;
    request.signature = querySignature(filter, request.sort);
    return request;
  }
}
