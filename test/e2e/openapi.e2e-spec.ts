import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';

const run = promisify(execFile);

interface Parameter {
  name: string;
  in: string;
  schema: Record<string, unknown>;
  description?: string;
}
type Schema = { properties: Record<string, Record<string, unknown>>; enum?: string[] };
interface Response {
  $ref?: string;
  description?: string;
  content?: Record<string, unknown>;
  headers?: Record<string, unknown>;
}
interface Operation {
  parameters: Parameter[];
  responses: Record<string, Response>;
  security?: unknown[];
  summary?: string;
  tags?: string[];
}
interface OpenApi {
  openapi: string;
  info: { version: string };
  tags: Array<{ name: string; description?: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; responses: Record<string, Response> };
}

let gateway: GatewayHarness;
let document: OpenApi;

beforeAll(async () => {
  gateway = await startGateway({ inventCount: 10, bvCount: 10 });
  document = (await request(gateway.url).get('/docs-json').expect(200)).body as OpenApi;
});

afterAll(async () => {
  await gateway.close();
});

const schemaOf = (name: string): Schema => document.components.schemas[name];
const responseOf = (response: Response): Response => (response.$ref === undefined ? response : document.components.responses[response.$ref.split('/').pop()!]);
const enumOf = (schema: Record<string, unknown>): unknown => {
  const items = (schema.items ?? schema) as Record<string, unknown>;
  const allOf = items.allOf as Array<Record<string, unknown>> | undefined;
  const ref = (items.$ref ?? allOf?.[0]?.$ref) as string | undefined;
  return ref ? schemaOf(ref.split('/').pop()!).enum : items.enum;
};

describe('OpenAPI document', () => {
  it('describes every listing parameter with its enum, default and limits', () => {
    const parameters = Object.fromEntries(document.paths['/v1/sub-orgs'].get.parameters.map((p) => [p.name, p]));
    expect(Object.keys(parameters).sort()).toEqual(
      [
        'createdFrom', 'createdTo', 'cursor', 'includeRaw', 'page', 'pageSize', 'plan', 'provider', 'q', 'sort', 'status', 'type',
        'parentId', 'ownerEmail', 'updatedFrom', 'updatedTo', 'contractEndsFrom', 'contractEndsTo', 'hasSubOrgs', 'facets', 'fields',
      ].sort(),
    );
    expect(Object.values(parameters).every((p) => p.in === 'query' && (p.description ?? '').length > 0)).toBe(true);
    expect(enumOf(parameters.provider.schema)).toEqual(['invent', 'bv']);
    expect(enumOf(parameters.status.schema)).toEqual(['active', 'pending', 'verification_failed', 'inactive', 'deleting', 'deleted', 'scheduled', 'unknown']);
    expect(enumOf(parameters.type.schema)).toEqual(['root', 'distributor', 'reseller', 'business']);
    expect(enumOf(parameters.sort.schema)).toEqual(['name', '-name', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt', 'contractEndsAt', '-contractEndsAt']);
    expect(enumOf(parameters.facets.schema)).toEqual(['provider', 'status', 'type', 'plan', 'parentId']);
    expect(enumOf(parameters.fields.schema)).toEqual(expect.arrayContaining(['name', 'status', 'contract', 'updatedAt']));
    expect(parameters.hasSubOrgs.schema).toMatchObject({ type: 'boolean' });
    expect(parameters.hasSubOrgs.schema).not.toHaveProperty('default');
    expect(parameters.pageSize.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 20 });
    // No default for page: Swagger UI would fill it in, and a pasted cursor would come with a page.
    expect(parameters.page.schema).toMatchObject({ type: 'integer', minimum: 1 });
    expect(parameters.page.schema).not.toHaveProperty('default');
    // Lists: one documented form, comma-separated.
    for (const name of ['provider', 'status', 'type', 'plan']) expect(parameters[name]).toMatchObject({ style: 'form', explode: false });
    expect(parameters.q.schema).toMatchObject({ minLength: 1, maxLength: 200 });
    expect(parameters.createdFrom.schema).toMatchObject({ type: 'string', format: 'date-time' });
    expect(parameters.includeRaw.schema).toMatchObject({ type: 'boolean', default: false });
  });

  it('describes the SubOrg schema with every canonical field', () => {
    const fields = Object.keys(schemaOf('SubOrgDto').properties);
    expect(fields.sort()).toEqual(
      ['id', 'provider', 'sourceId', 'name', 'parentId', 'parentName', 'type', 'status', 'plan', 'description', 'logoUrl', 'ownerEmail', 'memberCount', 'balance', 'contract', 'timeZone', 'hasSubOrgs', 'createdAt', 'updatedAt', 'raw'].sort(),
    );
    expect(Object.keys(schemaOf('SubOrgListingDto').properties).sort()).toEqual(['data', 'facets', 'page', 'partial', 'sources']);
    expect(Object.keys(schemaOf('PageInfoDto').properties).sort()).toEqual(['nextCursor', 'page', 'pageSize', 'totalItems', 'totalPages']);
    expect(enumOf(schemaOf('SourceErrorDto').properties.code)).toEqual(
      expect.arrayContaining(['UPSTREAM_TIMEOUT', 'UPSTREAM_UNAVAILABLE', 'UPSTREAM_RATE_LIMITED', 'UPSTREAM_AUTH_FAILED', 'UPSTREAM_BAD_RESPONSE', 'CIRCUIT_OPEN']),
    );
  });

  it('documents every error as application/problem+json', () => {
    const responses = document.paths['/v1/sub-orgs'].get.responses;
    for (const status of ['400', '429', '431', '500', '502', '503']) {
      expect([status, responseOf(responses[status]).content]).toEqual([status, { 'application/problem+json': expect.anything() }]);
    }
    // This gateway has no API_KEYS: no 401 to document.
    expect(responses['401']).toBeUndefined();
    expect(responseOf(document.paths['/v1/sub-orgs/{id}'].get.responses['404']).content).toHaveProperty(['application/problem+json']);
    expect(responseOf(document.paths['/v1/sub-orgs/{id}'].get.responses['414']).content).toHaveProperty(['application/problem+json']);
    expect(document.components.responses.MethodNotAllowed.headers).toHaveProperty('Allow');
    expect(Object.keys(schemaOf('ProblemDto').properties)).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'errors', 'sources']));
  });

  it('is OpenAPI 3.1 with the package version, declared tags and a description on every operation and response', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.version).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    expect(document.tags.map((tag) => tag.name).sort()).toEqual(['health', 'operations', 'providers', 'sub-orgs']);
    expect(document.tags.every((tag) => (tag.description ?? '').length > 0)).toBe(true);
    for (const [path, item] of Object.entries(document.paths)) {
      const operation = item.get;
      expect([path, (operation.summary ?? '').length > 0, operation.tags?.every((tag) => document.tags.some((declared) => declared.name === tag))]).toEqual([path, true, true]);
      for (const [status, response] of Object.entries(operation.responses)) expect([path, status, (responseOf(response).description ?? '').length > 0]).toEqual([path, status, true]);
    }
  });

  it('covers every route the gateway serves', () => {
    expect(Object.keys(document.paths).sort()).toEqual(['/health/live', '/health/ready', '/metrics', '/v1/providers', '/v1/sub-orgs', '/v1/sub-orgs/export', '/v1/sub-orgs/{id}']);
    expect(document.paths['/health/live'].get.security).toEqual([]);
    expect(document.paths['/metrics'].get.security).toEqual([]);
  });

  it('passes redocly lint without errors', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'openapi-'));
    const file = join(folder, 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const { stdout, stderr } = await run('npx', ['--no-install', 'redocly', 'lint', file, '--config', 'redocly.yaml', '--format', 'summary'], {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    }).catch((error: { stdout: string; stderr: string }) => {
      throw new Error(`redocly lint failed:\n${error.stdout}\n${error.stderr}`);
    });
    // redocly exits non-zero on any error, which rejects above; this guards against a silent no-op run.
    expect(`${stdout}${stderr}`).toMatch(/valid|warning/i);
    expect(`${stdout}${stderr}`).not.toMatch(/Validation failed/i);
  }, 60_000);

  it('serves Swagger UI at /docs', async () => {
    const response = await request(gateway.url).get('/docs').expect(200);
    expect(response.text).toContain('swagger-ui');
  });
});
