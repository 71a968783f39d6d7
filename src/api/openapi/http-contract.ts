import type { OpenAPIObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, ProblemType } from '../problems/problem.js';

/** What of the running configuration the document has to reflect. */
export interface ContractSettings {
  /** API_KEYS is set: /v1 needs a key, 401 is possible. */
  readonly apiKeysRequired: boolean;
  /** METRICS_API_KEY is set: /metrics needs it. */
  readonly metricsKeyRequired: boolean;
  /** RATE_LIMIT_MAX is not 0: /v1 answers carry X-RateLimit-*, 429 is possible. */
  readonly rateLimited: boolean;
}

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
type Responses = Operation['responses'];
type HeaderRef = { $ref: string };

const header = (name: string): HeaderRef => ({ $ref: `#/components/headers/${name}` });

/** Response headers, documented once and referenced by every response that carries them. */
const HEADERS = {
  'X-Request-Id': { description: "This request's id: the caller's own when it sent a safe `X-Request-Id`, else a new UUID. Every log line about the request carries it.", required: true, schema: { type: 'string', maxLength: 128 } },
  Vary: { description: 'Every `/v1` answer varies by `Authorization, X-API-Key, Origin, Accept-Encoding`.', required: true, schema: { type: 'string' } },
  'X-RateLimit-Limit': { description: 'Requests this client may make to `/v1` per window (`RATE_LIMIT_MAX`).', schema: { type: 'integer', minimum: 0 } },
  'X-RateLimit-Remaining': { description: 'Requests left in the current window.', schema: { type: 'integer', minimum: 0 } },
  'X-RateLimit-Reset': { description: 'Seconds until the window ends.', schema: { type: 'integer', minimum: 0 } },
  'Retry-After': { description: 'Seconds to wait before asking again.', required: true, schema: { type: 'integer', minimum: 1 } },
  ETag: { description: 'Weak validator of this exact answer; send it back as `If-None-Match` for a 304. Absent on partial or stale answers.', schema: { type: 'string', pattern: '^W/"[A-Za-z0-9_-]+"$' } },
  'Cache-Control': { description: '`private, max-age=N` (N never above `CACHE_TTL_SECONDS`) on a complete, fresh listing; `no-store` on partial or stale ones and on every problem.', required: true, schema: { type: 'string' } },
  'WWW-Authenticate': { description: 'The scheme to authenticate with.', required: true, schema: { type: 'string', example: 'Bearer realm="suborg-gateway"' } },
  Allow: { description: 'The methods the route answers.', required: true, schema: { type: 'string', example: 'GET, HEAD' } },
  'X-Total-Count': { description: 'Records matching the query: `page.totalItems`.', required: true, schema: { type: 'integer', minimum: 0 } },
  Link: { description: 'RFC 8288 `<…>; rel="next"`: this request again, continuing after this page (relative to the request URL). Absent on the last page.', schema: { type: 'string', pattern: '^<[^>]+>; rel="next"$' } },
  'X-Partial': { description: '`true` when a requested source is missing from the export (as `partial` in a listing).', required: true, schema: { type: 'string', enum: ['true', 'false'] } },
  'Content-Disposition': { description: '`attachment; filename="sub-orgs-<UTC timestamp>.csv|ndjson"`.', required: true, schema: { type: 'string', pattern: '^attachment; filename="sub-orgs-\\d{8}T\\d{6}Z\\.(csv|ndjson)"$' } },
} as const;

const problem = (status: number, title: string, type: string, detail: string, extra: Record<string, unknown> = {}) => ({ type, title, status, detail, ...extra });

/** Problem responses by status: what each means, and a real example of each. */
const PROBLEMS: Record<number, { readonly name: string; readonly description: string; readonly example: Record<string, unknown> }> = {
  400: {
    name: 'InvalidRequest',
    description: 'Invalid parameters; `errors` has one entry per bad field, all of them in one answer (the first 20). Also a request the HTTP layer cannot parse (bad percent-encoding, raw bytes, an unknown method) or a GET with a body.',
    example: problem(400, 'Invalid request', ProblemType.InvalidRequest, '2 request parameters are invalid', {
      instance: '/v1/sub-orgs',
      errors: [
        { field: 'pageSize', message: 'pageSize must be at most 100' },
        { field: 'cursor', message: 'cannot be combined with page; a cursor already says where to continue' },
      ],
    }),
  },
  401: {
    name: 'Unauthorized',
    description: 'Missing or wrong API key. Send one of `API_KEYS` as `Authorization: Bearer <key>` or `X-API-Key`.',
    example: problem(401, 'Unauthorized', ProblemType.Unauthorized, 'Send an API key as "Authorization: Bearer <key>" or "X-API-Key: <key>"', { instance: '/v1/sub-orgs' }),
  },
  404: {
    name: 'NotFound',
    description: 'No record with this id (also: a path no route matches).',
    example: problem(404, 'Not found', ProblemType.NotFound, 'No sub-organization with id "bv:0000"', { instance: '/v1/sub-orgs/bv:0000' }),
  },
  405: {
    name: 'MethodNotAllowed',
    description: 'The route exists but not for this method; `Allow` lists the ones it answers.',
    example: problem(405, 'Method Not Allowed', ProblemType.Http, 'POST is not allowed here; allowed: GET, HEAD', { instance: '/v1/sub-orgs' }),
  },
  414: {
    name: 'UriTooLong',
    description: 'A path segment (the id) is over 1,000 characters; refused before routing.',
    example: problem(414, 'URI Too Long', ProblemType.Http, 'A path segment of this URL is too long'),
  },
  429: {
    name: 'RateLimited',
    description: 'This client spent its `/v1` budget for the window; `Retry-After` says when the next request is allowed.',
    example: problem(429, 'Too many requests', ProblemType.RateLimited, 'At most 600 requests per 60 s per client; retry after 12 s', { instance: '/v1/sub-orgs' }),
  },
  431: {
    name: 'HeadersTooLarge',
    description: 'The request line and headers are over 16 KB (a very long query string, a huge cookie); refused by the HTTP layer, which then closes the connection.',
    example: problem(431, 'Request Header Fields Too Large', ProblemType.Http, 'The request line and headers are larger than the server accepts (16 KB)'),
  },
  500: {
    name: 'InternalError',
    description: 'Unexpected error; the body carries only an `errorId` that is also logged.',
    example: problem(500, 'Internal Server Error', ProblemType.Internal, 'An unexpected error occurred. Quote error id 6b0f1f5e-8a55-4d36-9df5-2b3c0f0c1e7a when reporting it.', { instance: '/v1/sub-orgs', errorId: '6b0f1f5e-8a55-4d36-9df5-2b3c0f0c1e7a' }),
  },
  502: {
    name: 'AllSourcesFailed',
    description: 'Every requested upstream failed and none has a usable snapshot; `sources` says why, one entry per source.',
    example: problem(502, 'No upstream could answer', ProblemType.AllSourcesFailed, 'No requested source could answer (bv: UPSTREAM_AUTH_FAILED)', {
      instance: '/v1/sub-orgs',
      sources: [{ provider: 'bv', status: 'error', itemCount: 0, skipped: 0, fetchedAt: null, latencyMs: null, progress: null, error: { code: 'UPSTREAM_AUTH_FAILED', message: "BlendVision One refused the gateway's credential (HTTP 403); check its configuration" } }],
    }),
  },
  503: {
    name: 'Warming',
    description: "No requested source has data yet and at least one is still being walked; `Retry-After` says when to ask again, `sources` shows each walk's progress.",
    example: problem(503, 'Sources are still warming up', ProblemType.Warming, 'No requested source has data yet; invent still warming', {
      instance: '/v1/sub-orgs',
      sources: [
        {
          provider: 'invent',
          status: 'warming',
          itemCount: 0,
          skipped: 0,
          fetchedAt: null,
          latencyMs: null,
          progress: { pagesFetched: 120, recordsFetched: 12000, totalPages: 300, startedAt: '2026-11-29T10:00:00.000Z', estimatedReadyAt: '2026-11-29T10:00:04.000Z' },
        },
      ],
    }),
  },
};

/** The headers each problem status carries besides the common ones. */
const PROBLEM_HEADERS: Record<number, readonly (keyof typeof HEADERS)[]> = { 401: ['WWW-Authenticate'], 405: ['Allow'], 429: ['Retry-After'], 503: ['Retry-After'] };

function problemResponse(status: number, onV1: boolean, settings: ContractSettings) {
  const { description, example } = PROBLEMS[status];
  const headers: Record<string, HeaderRef> = { 'X-Request-Id': header('X-Request-Id'), 'Cache-Control': header('Cache-Control') };
  // Refused before routing (431, 414): no Vary, no rate-limit headers.
  if (onV1 && status !== 431 && status !== 414) {
    headers.Vary = header('Vary');
    if (settings.rateLimited) for (const name of ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']) headers[name] = header(name);
  }
  for (const name of PROBLEM_HEADERS[status] ?? []) headers[name] = header(name);
  return { description, headers, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDto' }, example } } };
}

/**
 * The statuses a route can answer besides what its controller declares:
 * 401 and 429 as configured, 500 on the API, 414 where a path segment can be
 * long, 431 everywhere (the HTTP layer refuses before any route).
 */
function crossCuttingStatuses(path: string, settings: ContractSettings): number[] {
  const onV1 = path.startsWith('/v1/');
  const statuses = [431];
  if (onV1) statuses.push(500);
  if (path.includes('{')) statuses.push(414);
  if (onV1 && settings.apiKeysRequired) statuses.push(401);
  if (onV1 && settings.rateLimited) statuses.push(429);
  if (path === '/metrics' && settings.metricsKeyRequired) statuses.push(401);
  return statuses;
}

/** Headers on a successful (2xx/304) answer of this path. */
function successHeaders(path: string, status: string, settings: ContractSettings): Record<string, HeaderRef> {
  const headers: Record<string, HeaderRef> = { 'X-Request-Id': header('X-Request-Id') };
  if (!path.startsWith('/v1/')) return headers;
  headers.Vary = header('Vary');
  if (settings.rateLimited) for (const name of ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']) headers[name] = header(name);
  if (path === '/v1/sub-orgs') {
    headers.ETag = header('ETag');
    headers['Cache-Control'] = header('Cache-Control');
    if (status === '200') {
      headers['X-Total-Count'] = header('X-Total-Count');
      headers.Link = header('Link');
    }
  }
  if (path === '/v1/sub-orgs/export' && status === '200') {
    headers['X-Partial'] = header('X-Partial');
    headers['Content-Disposition'] = header('Content-Disposition');
  }
  return headers;
}

/**
 * Completes what decorators cannot know: every status each operation can
 * answer (with a problem example of its own), every response header, and
 * security as this gateway is configured.
 */
export function completeHttpContract(document: OpenAPIObject, settings: ContractSettings): OpenAPIObject {
  const components = (document.components ??= {});
  components.headers = { ...HEADERS } as unknown as NonNullable<typeof components.headers>;
  // Shared by every /v1 operation; 405 and the unknown-route 404 belong to no operation but are documented all the same.
  const shared: Record<string, unknown> = {};
  const sharedProblem = (status: number): { $ref: string } => {
    const { name } = PROBLEMS[status];
    shared[name] ??= problemResponse(status, true, settings);
    return { $ref: `#/components/responses/${name}` };
  };
  sharedProblem(404);
  sharedProblem(405);
  for (const [path, item] of Object.entries(document.paths)) {
    const operation = item.get;
    if (operation === undefined) continue;
    const responses: Responses = operation.responses;
    const onV1 = path.startsWith('/v1/');
    for (const [status, response] of Object.entries(responses)) {
      const code = Number(status);
      // A JSON body of the route's own (readiness's 503 is a health report) stays; problem statuses get the full problem response.
      const ownBody = response !== undefined && 'content' in response && response.content?.['application/json'] !== undefined && code >= 400;
      if (PROBLEMS[code] !== undefined && !ownBody) responses[status] = onV1 ? sharedProblem(code) : problemResponse(code, onV1, settings);
      else (response as { headers?: Record<string, HeaderRef> }).headers = successHeaders(path, status, settings);
    }
    for (const status of crossCuttingStatuses(path, settings)) responses[String(status)] = onV1 ? sharedProblem(status) : problemResponse(status, onV1, settings);
    operation.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
    item.description = 'Other methods than GET and HEAD answer 405 with `Allow: GET, HEAD` (see `components.responses.MethodNotAllowed`).';
    operation.security = securityOf(path, settings);
  }
  components.responses = Object.fromEntries(Object.entries(shared).sort(([a], [b]) => a.localeCompare(b))) as NonNullable<typeof components.responses>;
  return describeSecurity(document, settings);
}

function securityOf(path: string, settings: ContractSettings): Array<Record<string, string[]>> {
  if (path.startsWith('/v1/')) return settings.apiKeysRequired ? [{ bearer: [] }, { apiKey: [] }] : [];
  if (path === '/metrics') return settings.metricsKeyRequired ? [{ metricsBearer: [] }, { metricsApiKey: [] }] : [];
  return [];
}

function describeSecurity(document: OpenAPIObject, settings: ContractSettings): OpenAPIObject {
  const schemes: Record<string, object> = {};
  if (settings.apiKeysRequired) {
    schemes.bearer = { type: 'http', scheme: 'bearer', description: 'One of the keys in `API_KEYS` (an opaque string).' };
    schemes.apiKey = { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The same key, as a header of its own.' };
  }
  if (settings.metricsKeyRequired) {
    schemes.metricsBearer = { type: 'http', scheme: 'bearer', description: '`METRICS_API_KEY` (the API keys do not open /metrics).' };
    schemes.metricsApiKey = { type: 'apiKey', in: 'header', name: 'X-API-Key', description: '`METRICS_API_KEY` as a header of its own.' };
  }
  const components = document.components!;
  if (Object.keys(schemes).length > 0) components.securitySchemes = schemes as NonNullable<typeof components.securitySchemes>;
  else delete components.securitySchemes;
  // Each operation says what it needs; no global requirement that anonymous callers would fail.
  delete document.security;
  return document;
}
