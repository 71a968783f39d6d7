import { configureUpstreams } from '../upstreams/configure-upstreams.js';
import { UPSTREAM_REGISTRY } from '../upstreams/registry.js';
import { ConfigError } from './config-error.js';
import { loadAppConfig } from './load-config.js';

const minimal = { INVENT_API_KEY: 'inv-key' };

/** The whole configuration as main reads it: the gateway's own settings and every upstream's. */
function loadConfig(env: Record<string, string>) {
  return { ...loadAppConfig(env), providers: configureUpstreams(env, UPSTREAM_REGISTRY) };
}

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(minimal);
    expect(config).toMatchObject({
      http: { host: '0.0.0.0', port: 3000, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, shutdownDelayMs: 0 },
      apiKeys: [],
      corsOrigins: [],
      cache: { ttlSeconds: 30, staleSeconds: 300, redisUrl: undefined },
      upstream: { timeoutMs: 5000, concurrency: 4, listingDeadlineMs: 10_000, walkTimeoutMs: 900_000 },
      rateLimit: { limit: 600, windowSeconds: 60 },
      trustProxy: false,
      metricsApiKey: undefined,
    });
    expect(config.providers.map((p) => [p.key, p.baseUrl, p.requestsPerMinute])).toEqual([['invent', 'https://api.useinvent.com', 450]]);
    expect(Object.isFrozen(loadAppConfig(minimal))).toBe(true);
    expect(Object.isFrozen(configureUpstreams(minimal, UPSTREAM_REGISTRY))).toBe(true);
  });

  it('enables each provider by its credential', () => {
    const config = loadConfig({ ...minimal, BV_ACCESS_TOKEN: 'tok', BV_BASE_URL: 'http://127.0.0.1:4020/' });
    expect(config.providers.map((p) => [p.key, p.baseUrl, p.requestsPerMinute])).toEqual([
      ['invent', 'https://api.useinvent.com', 450],
      ['bv', 'http://127.0.0.1:4020', 240],
    ]);
  });

  it.each([
    [{}, 'INVENT_API_KEY or BV_ACCESS_TOKEN must be set'],
    [{ ...minimal, PORT: 'eighty' }, 'PORT must be a whole number'],
    [{ ...minimal, PORT: '70000' }, 'PORT must be between 0 and 65535'],
    [{ ...minimal, INVENT_BASE_URL: 'http://api.useinvent.com' }, 'INVENT_BASE_URL must use https'],
    [{ ...minimal, INVENT_BASE_URL: 'https://user:pw@api.useinvent.com' }, 'INVENT_BASE_URL must not contain credentials'],
    [{ ...minimal, INVENT_BASE_URL: 'not a url' }, 'INVENT_BASE_URL must be an absolute URL'],
    [{ ...minimal, INVENT_ORG_ID: '../admin' }, 'INVENT_ORG_ID must match'],
    [{ BV_ACCESS_TOKEN: 'tok', BV_ORG_ID: 'a b' }, 'BV_ORG_ID must be'],
    [{ ...minimal, CACHE_TTL_SECONDS: '0' }, 'CACHE_TTL_SECONDS must be between 1 and 86400'],
    [{ ...minimal, UPSTREAM_TIMEOUT_MS: '-5' }, 'UPSTREAM_TIMEOUT_MS must be a whole number'],
    [{ ...minimal, UPSTREAM_CONCURRENCY: '1000' }, 'UPSTREAM_CONCURRENCY must be between 1 and 32'],
    [{ ...minimal, CORS_ORIGINS: '*' }, 'CORS_ORIGINS must list explicit origins'],
    [{ ...minimal, CORS_ORIGINS: 'https://app.example.com/path' }, 'CORS_ORIGINS entries must be bare origins'],
    [{ ...minimal, API_KEYS: 'short' }, 'API_KEYS entries must be 16 to 256'],
    [{ ...minimal, REDIS_URL: 'localhost:6379' }, 'REDIS_URL must start with redis://'],
    [{ INVENT_API_KEY: 'has space' }, 'INVENT_API_KEY must be visible ASCII'],
    [{ ...minimal, METRICS_API_KEY: 'short' }, 'METRICS_API_KEY entries must be 16 to 256'],
    [{ ...minimal, RATE_LIMIT_MAX: 'lots' }, 'RATE_LIMIT_MAX must be a whole number'],
    [{ ...minimal, RATE_LIMIT_WINDOW_SECONDS: '0' }, 'RATE_LIMIT_WINDOW_SECONDS must be between 1 and 3600'],
    [{ ...minimal, TRUST_PROXY: 'yes' }, 'TRUST_PROXY must be true, false, a hop count or proxy addresses/CIDRs'],
    [{ ...minimal, TRUST_PROXY: '10.0.0.0/33' }, 'TRUST_PROXY must be true, false'],
    [{ ...minimal, TRUST_PROXY: '64' }, 'TRUST_PROXY must be between 0 and 32'],
    [{ ...minimal, HOST: 'not a host!' }, 'HOST must be an IP address'],
    [{ ...minimal, WALK_TIMEOUT_SECONDS: '0' }, 'WALK_TIMEOUT_SECONDS must be between 1 and 86400'],
    [{ ...minimal, INVENT_REQUESTS_PER_MINUTE: '0' }, 'INVENT_REQUESTS_PER_MINUTE must be between 1 and 100000'],
    [{ BV_ACCESS_TOKEN: 'tok', BV_REQUESTS_PER_MINUTE: 'many' }, 'BV_REQUESTS_PER_MINUTE must be a whole number'],
    [{ ...minimal, HTTP_HEADERS_TIMEOUT_MS: '40000' }, 'HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS'],
    [{ ...minimal, REDIS_URL: 'http://redis:6379' }, 'REDIS_URL must start with redis://'],
  ])('refuses %p with one line naming the variable', (env, expected) => {
    const message = errorOf(env as Record<string, string>);
    expect(message).toContain(expected);
    expect(message).not.toContain('\n');
  });

  it('allows plain http only to loopback and the hosts listed in UPSTREAM_PLAIN_HTTP_HOSTS', () => {
    expect(loadConfig({ ...minimal, INVENT_BASE_URL: 'http://localhost:4010' }).providers[0].baseUrl).toBe('http://localhost:4010');
    expect(loadConfig({ ...minimal, INVENT_BASE_URL: 'http://simulators:4010', UPSTREAM_PLAIN_HTTP_HOSTS: 'simulators' }).providers[0].baseUrl).toBe('http://simulators:4010');
    expect(errorOf({ ...minimal, INVENT_BASE_URL: 'http://evil:4010', UPSTREAM_PLAIN_HTTP_HOSTS: 'simulators' })).toContain('INVENT_BASE_URL must use https');
    expect(errorOf({ ...minimal, INVENT_BASE_URL: 'ftp://127.0.0.1/x' })).toContain('INVENT_BASE_URL must use https');
  });

  it.each([
    ['true', true],
    ['false', false],
    ['2', 2],
    ['10.0.0.0/8, 192.168.1.7, fd00::/8', ['10.0.0.0/8', '192.168.1.7', 'fd00::/8']],
  ])('reads TRUST_PROXY=%p', (raw, expected) => {
    expect(loadConfig({ ...minimal, TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  it('listens where HOST says, dual-stack included', () => {
    expect(loadAppConfig({ ...minimal, HOST: '::' }).http.host).toBe('::');
    expect(loadAppConfig({ ...minimal, HOST: '127.0.0.1' }).http.host).toBe('127.0.0.1');
    expect(loadAppConfig({ ...minimal, HOST: 'localhost' }).http.host).toBe('localhost');
  });

  it('never echoes a secret in its error', () => {
    expect(errorOf({ INVENT_API_KEY: 'super secret' })).not.toContain('super');
  });
});
