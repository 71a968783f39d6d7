/**
 * A typed client for suborg-gateway: the types are generated from its
 * OpenAPI document (src/schema.ts), the calls go through openapi-fetch.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type { components, paths } from './schema.js';
// The enums' values at run time, for filters, selects and column definitions.
export {
  circuitStateValues as CIRCUIT_STATES,
  exportFormatValues as EXPORT_FORMATS,
  facetFieldValues as FACET_FIELDS,
  subOrgFieldValues as SUB_ORG_FIELDS,
  providerHealthValues as PROVIDER_HEALTHS,
  providerKeyValues as PROVIDER_KEYS,
  sortOptionValues as SORT_OPTIONS,
  sourceStatusValues as SOURCE_STATUSES,
  subOrgStatusValues as SUB_ORG_STATUSES,
  subOrgTypeValues as SUB_ORG_TYPES,
  upstreamErrorCodeValues as UPSTREAM_ERROR_CODES,
} from './schema.js';

type Schemas = components['schemas'];
export type SubOrg = Schemas['SubOrgDto'];
/** A listed record when the query has `fields`: those fields and `id`. */
export type SparseSubOrg = Schemas['SparseSubOrgDto'];
export type Facets = Schemas['FacetsDto'];
export type FacetBucket = Schemas['FacetBucketDto'];
export type FacetField = Schemas['FacetField'];
export type SubOrgField = Schemas['SubOrgField'];
export type SubOrgListing = Schemas['SubOrgListingDto'];
export type PageInfo = Schemas['PageInfoDto'];
export type SourceReport = Schemas['SourceReportDto'];
export type SubOrgStatus = Schemas['SubOrgStatus'];
export type SubOrgType = Schemas['SubOrgType'];
export type SortOption = Schemas['SortOption'];
export type ProviderKey = Schemas['ProviderKey'];
/** Every error the gateway answers: an RFC 9457 problem document. */
export type Problem = Schemas['ProblemDto'];
/** The listing's query parameters. */
export type ListSubOrgsQuery = NonNullable<paths['/v1/sub-orgs']['get']['parameters']['query']>;
export type SubOrgClient = Client<paths>;

export interface SubOrgClientOptions {
  /** Where the gateway is, e.g. `https://suborgs.example.com`. */
  readonly baseUrl: string;
  /** One of the gateway's API_KEYS, when it has any; sent as `Authorization: Bearer`. */
  readonly apiKey?: string;
  /** Another fetch (tests, server-side rendering). */
  readonly fetch?: typeof globalThis.fetch;
}

export function createSubOrgClient(options: SubOrgClientOptions): SubOrgClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    fetch: options.fetch,
    // List parameters as the document declares them: `status=active,pending`.
    querySerializer: { array: { style: 'form', explode: false } },
  });
  const { apiKey } = options;
  if (apiKey !== undefined) {
    client.use({
      onRequest({ request }) {
        request.headers.set('authorization', `Bearer ${apiKey}`);
        return request;
      },
    });
  }
  return client;
}

/** A listed record with every field (the query had no `fields`). */
export function isWholeRecord(record: SubOrg | SparseSubOrg): record is SubOrg {
  return 'name' in record && 'status' in record && 'createdAt' in record && 'contract' in record;
}

export function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && typeof (value as Problem).status === 'number' && typeof (value as Problem).title === 'string' && typeof (value as Problem).type === 'string';
}

/** A failed call: the problem document the gateway answered with. */
export class SubOrgProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
    this.name = 'SubOrgProblemError';
  }
}

/**
 * Every page of a listing, following `page.nextCursor` until the last one.
 * Throws SubOrgProblemError when the gateway answers with a problem.
 */
export async function* walkSubOrgs(client: SubOrgClient, query: Omit<ListSubOrgsQuery, 'cursor' | 'page'> = {}): AsyncGenerator<SubOrgListing> {
  let cursor: string | undefined;
  do {
    const { data, error } = await client.GET('/v1/sub-orgs', { params: { query: { ...query, ...(cursor === undefined ? {} : { cursor }) } } });
    if (data === undefined) throw new SubOrgProblemError(error as Problem);
    yield data;
    cursor = data.page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}
