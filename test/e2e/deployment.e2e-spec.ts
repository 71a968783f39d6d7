import { readFileSync } from 'node:fs';
import request from 'supertest';
import { parse } from 'yaml';
import { type GatewayHarness, startGateway } from '../support/gateway-harness.js';

interface ComposeService {
  build?: unknown;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as { services: Record<string, ComposeService> };
  const { gateway, simulators, redis } = compose.services;

  it('runs the gateway, both simulators and Redis, each with a healthcheck', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['gateway', 'redis', 'simulators']);
    for (const service of [gateway, simulators, redis]) expect(service.healthcheck?.test.length).toBeGreaterThan(0);
    expect(gateway.ports).toEqual(['3000:3000']);
    expect(simulators.build).toEqual({ context: '.', target: 'simulators' });
    expect(gateway.build).toEqual({ context: '.', target: 'runtime' });
  });

  it('starts the gateway only once its dependencies are healthy', () => {
    expect(gateway.depends_on).toEqual({ simulators: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
  });

  it('wires the gateway to the simulators and Redis by service name', () => {
    const env = gateway.environment!;
    expect(env.INVENT_BASE_URL).toBe('http://simulators:4010');
    expect(env.BV_BASE_URL).toBe('http://simulators:4020');
    expect(env.UPSTREAM_PLAIN_HTTP_HOSTS).toBe('simulators');
    expect(env.REDIS_URL).toBe('redis://redis:6379');
    // Only the simulators' demo credentials, which the simulators print themselves.
    expect(env.INVENT_API_KEY).toBe('sim-invent-key');
    expect(env.BV_ACCESS_TOKEN).toBe('sim-bv-token');
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync('Dockerfile', 'utf8');

  const runtimeStage = dockerfile.slice(dockerfile.indexOf('AS runtime'));

  it('builds in one stage and runs production dependencies as a non-root user in another, the default target', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(3);
    expect(dockerfile).toMatch(/^FROM node:24-bookworm-slim AS runtime$/m);
    // The last stage is what `docker build .` produces.
    expect(dockerfile.slice(dockerfile.lastIndexOf('\nFROM '))).toMatch(/^\nFROM node:24-bookworm-slim AS runtime$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(runtimeStage).toMatch(/^CMD \["node", "dist\/src\/main.js"\]$/m);
    // The gateway image carries the gateway's code only: no simulators, no demo.
    expect(runtimeStage).toMatch(/^COPY --from=build \/app\/dist\/src \.\/dist\/src$/m);
    expect(runtimeStage).not.toMatch(/dist\/dev/);
    expect(dockerfile).not.toMatch(/^(ENV|ARG)\b[^\n]*(API_KEY|ACCESS_TOKEN)/m);
  });

  it('keeps build context and secrets out of the image', () => {
    const ignored = readFileSync('.dockerignore', 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.git', '.env', '.env.*']));
  });
});

describe('requests with a body on GET', () => {
  let gateway: GatewayHarness;

  beforeAll(async () => {
    gateway = await startGateway({ inventCount: 5, bvCount: 5 });
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('are refused with a 400 problem', async () => {
    const response = await request(gateway.url).get('/v1/sub-orgs').set('content-type', 'application/json').send('{"q":"x"}').expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, detail: 'GET and HEAD requests must not carry a body' });
  });

  it('do not affect ordinary GETs', async () => {
    await request(gateway.url).get('/v1/sub-orgs?pageSize=1').expect(200);
  });
});
