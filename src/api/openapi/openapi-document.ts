import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '../../config/app-config.js';
import { packageVersion } from '../../config/package-info.js';
import type { Upstream } from '../../upstreams/upstream-definition.js';
import { EXAMPLE_BV_RECORD, EXAMPLE_LISTING } from './examples.js';
import { completeHttpContract } from './http-contract.js';
import { toOpenApi31 } from './openapi-31.js';

const TAGS = [
  { name: 'sub-orgs', description: 'The merged listing of sub-organizations, and one record by id.' },
  { name: 'providers', description: 'The configured upstreams: health, circuit, cache age, walk progress.' },
  { name: 'health', description: 'Liveness and readiness probes; never need a key, never rate-limited.' },
  { name: 'operations', description: 'Prometheus metrics.' },
];

const DESCRIPTION = [
  'One canonical, merged, filterable, sorted and paginated listing of the sub-organizations a customer has on Invent and BlendVision One.',
  '',
  'Errors are RFC 9457 problem documents (`application/problem+json`) with an `X-Request-Id`, from every layer: a path no route matches is a 404, another method than GET or HEAD a 405 with `Allow`, a header block over 16 KB a 431.',
  '',
  'List parameters (`provider`, `status`, `type`, `plan`) are comma-separated (`status=active,pending`); repeating the parameter (`status=active&status=pending`) is accepted too.',
].join('\n');

/** Parameters that take several values: documented as one comma-separated value, the form generated clients send. */
function commaSeparatedLists(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const parameter of item.get?.parameters ?? []) {
      if (!('in' in parameter) || parameter.in !== 'query' || !parameter.schema || !('type' in parameter.schema) || parameter.schema.type !== 'array') continue;
      parameter.style = 'form';
      parameter.explode = false;
      parameter.description = parameter.description?.replace('Comma-separated (`a,b`) or repeated (`x=a&x=b`); any-of.', 'Comma-separated (`a,b`), any-of; repeating the parameter (`x=a&x=b`) is accepted too.');
    }
  }
}

function describeResponses(document: OpenAPIObject): void {
  const listing = document.paths['/v1/sub-orgs']?.get;
  const record = document.paths['/v1/sub-orgs/{id}']?.get;
  const ok = (operation: typeof listing) => operation?.responses['200'] as { description: string; content?: Record<string, { example?: unknown }> } | undefined;
  const listingOk = ok(listing);
  if (listingOk?.content?.['application/json'] !== undefined) {
    listingOk.description = 'A page of the merged listing; `sources` reports each requested source, `partial` says whether any is missing.';
    listingOk.content['application/json'].example = EXAMPLE_LISTING;
  }
  const recordOk = ok(record);
  if (recordOk?.content?.['application/json'] !== undefined) {
    recordOk.description = 'The record, from its provider\'s snapshot.';
    recordOk.content['application/json'].example = EXAMPLE_BV_RECORD;
  }
  if (listing !== undefined) {
    listing.responses['304'] = { description: 'The answer has not changed since the `ETag` sent as `If-None-Match`; no body.' };
  }
  for (const item of Object.values(document.paths)) {
    for (const [status, response] of Object.entries(item.get?.responses ?? {})) {
      if (response !== undefined && 'description' in response && response.description === '') response.description = status === '200' ? 'OK' : `HTTP ${status}`;
    }
  }
}

/** The OpenAPI 3.1 document of this gateway as configured: its providers, its security, every status and header it sends. */
export function buildOpenApiDocument(app: INestApplication, config: AppConfig, upstreams: readonly Upstream[]): OpenAPIObject {
  const builder = new DocumentBuilder().setTitle('suborg-gateway').setDescription(DESCRIPTION).setVersion(packageVersion()).setLicense('MIT', 'https://opensource.org/licenses/MIT').addServer('/', 'This gateway');
  for (const tag of TAGS) builder.addTag(tag.name, tag.description);
  const document = SwaggerModule.createDocument(app, builder.build(), { operationIdFactory: (_controller, method) => method });
  const schemas = document.components?.schemas;
  if (schemas?.ProviderKey !== undefined) schemas.ProviderKey = { type: 'string', enum: upstreams.map((upstream) => upstream.key), description: 'A configured upstream provider.' };
  commaSeparatedLists(document);
  describeResponses(document);
  completeHttpContract(document, { apiKeysRequired: config.apiKeys.length > 0, metricsKeyRequired: config.metricsApiKey !== undefined, rateLimited: config.rateLimit.limit > 0 });
  return toOpenApi31(document);
}
