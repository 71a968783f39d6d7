import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import request from 'supertest';
import { runDashboard } from '../../clients/typescript/examples/dashboard.js';
import { renderClientSources } from '../../dev/client/generate-client.js';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';

const run = promisify(execFile);
const KEY = 'typed-client-key-0123456789';

let gateway: GatewayHarness;

beforeAll(async () => {
  gateway = await startGateway({ inventCount: 150, bvCount: 130, env: { API_KEYS: KEY } });
});

afterAll(() => gateway.close());

describe('the typed TypeScript client (clients/typescript)', () => {
  it('is generated from the document the gateway serves now (npm run client:generate when this fails)', async () => {
    const { document, schema } = await renderClientSources();
    expect(readFileSync('clients/typescript/openapi.json', 'utf8')).toBe(document);
    expect(readFileSync('clients/typescript/src/schema.ts', 'utf8')).toBe(schema);
  });

  it('type-checks, with its example, under tsc --strict', async () => {
    await run('node_modules/.bin/tsc', ['-p', 'clients/typescript/tsconfig.json']).catch((error: { stdout: string; stderr: string }) => {
      throw new Error(`tsc --strict failed:\n${error.stdout}${error.stderr}`);
    });
  }, 60_000);

  it('filters, walks every page by cursor, fetches a record and reads a typed problem, against a live gateway', async () => {
    const result = await runDashboard(gateway.url, KEY);
    const auth = { authorization: `Bearer ${KEY}` };

    // The list filter went out comma-separated and meant what it says.
    const direct = await request(gateway.url).get('/v1/sub-orgs?status=active,pending&pageSize=1').set(auth).expect(200);
    expect(result.activeOrPending).toBe(direct.body.page.totalItems);
    expect(result.activeOrPending).toBeGreaterThan(0);
    expect(result.totalCountHeader).toBe(String(result.activeOrPending));
    expect(result.statusChips.map((chip) => chip.value).sort()).toEqual([...result.statusOptions].sort());
    expect(result.names).toHaveLength(5);
    expect(result.names.every((name) => name.length > 0)).toBe(true);

    expect(result.pages).toBe(3);
    expect(result.walked).toHaveLength(280);
    expect(new Set(result.walked).size).toBe(280);
    const everything = await request(gateway.url).get('/v1/sub-orgs?sort=-createdAt&pageSize=100&page=1').set(auth).expect(200);
    expect(result.walked.slice(0, 100)).toEqual(everything.body.data.map((record: { id: string }) => record.id));

    expect(result.record.id).toBe(result.walked[0]);
    expect(result.record).toHaveProperty('raw');
    expect(result.problem).toMatchObject({ status: 400, type: 'urn:suborg-gateway:problem:invalid-request', errors: [{ field: 'pageSize' }] });
    expect(result.statusOptions).toEqual(['active', 'pending', 'verification_failed', 'inactive', 'deleting', 'deleted', 'scheduled', 'unknown']);
  });
});
