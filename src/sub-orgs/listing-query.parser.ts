import { type FieldError, GatewayException } from '../errors/gateway.exception.js';
import type { ListSubOrgsQueryDto } from './dto/list-sub-orgs.query.js';
import type { ListingQuery } from './listing-query.js';
import { foldForSearch } from './sort-order.js';

const setOf = <T>(values: readonly T[] | undefined): ReadonlySet<T> | undefined => (values === undefined ? undefined : new Set(values));

/**
 * Turns a validated query DTO into a ListingQuery, checking what single-field
 * validation cannot: combinations, and providers that are known but not configured.
 */
export function parseListingQuery(dto: ListSubOrgsQueryDto, configuredProviders: readonly string[]): ListingQuery {
  const errors: FieldError[] = [];
  const unconfigured = (dto.provider ?? []).filter((key) => !configuredProviders.includes(key));
  if (unconfigured.length > 0) {
    errors.push({ field: 'provider', message: `not configured on this gateway: ${unconfigured.join(', ')} (configured: ${configuredProviders.join(', ')})` });
  }
  if (dto.cursor !== undefined && dto.page !== undefined) {
    errors.push({ field: 'cursor', message: 'cannot be combined with page; a cursor already says where to continue' });
  }
  const createdFrom = dto.createdFrom === undefined ? undefined : Date.parse(dto.createdFrom);
  const createdTo = dto.createdTo === undefined ? undefined : Date.parse(dto.createdTo);
  if (createdFrom !== undefined && createdTo !== undefined && createdFrom > createdTo) {
    errors.push({ field: 'createdTo', message: 'must not be before createdFrom' });
  }
  if (errors.length > 0) throw GatewayException.invalid(errors);

  return {
    filter: {
      providers: dto.provider === undefined ? configuredProviders : [...new Set(dto.provider)],
      q: dto.q === undefined ? undefined : foldForSearch(dto.q),
      statuses: setOf(dto.status),
      types: setOf(dto.type),
      plans: setOf(dto.plan?.map((plan) => plan.toLowerCase())),
      createdFrom,
      createdTo,
    },
    sort: dto.sort,
    page: dto.page ?? 1,
    pageSize: dto.pageSize,
    cursor: dto.cursor,
    includeRaw: dto.includeRaw,
  };
}
