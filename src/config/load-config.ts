import type { AppConfig } from './app-config.js';
import { ConfigError } from './config-error.js';
import { EnvReader, type EnvSource } from './env-reader.js';

const MIB = 1024 * 1024;

function optionalSecret(env: EnvReader, name: string): string | undefined {
  const value = env.optionalString(name);
  return value === undefined ? undefined : env.secret(name, value);
}

function redisUrl(env: EnvReader): string | undefined {
  const raw = env.optionalString('REDIS_URL');
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('REDIS_URL', 'must be an absolute URL such as redis://host:6379');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new ConfigError('REDIS_URL', 'must start with redis:// or rediss://');
  return raw;
}

/** Validates the gateway's own settings into a frozen AppConfig; throws ConfigError on the first bad variable. */
export function loadAppConfig(source: EnvSource): AppConfig {
  const env = new EnvReader(source);
  const config: AppConfig = {
    http: {
      host: env.host('HOST', '0.0.0.0'),
      port: env.int('PORT', { default: 3000, min: 0, max: 65535 }),
      headersTimeoutMs: env.int('HTTP_HEADERS_TIMEOUT_MS', { default: 10_000, min: 1000, max: 300_000 }),
      requestTimeoutMs: env.int('HTTP_REQUEST_TIMEOUT_MS', { default: 30_000, min: 1000, max: 600_000 }),
      shutdownDelayMs: env.int('SHUTDOWN_DELAY_MS', { default: 0, min: 0, max: 60_000 }),
    },
    logLevel: env.string('LOG_LEVEL', 'info', /^(fatal|error|warn|info|debug|trace)$/) as AppConfig['logLevel'],
    apiKeys: env.list('API_KEYS').map((key) => env.secret('API_KEYS', key)),
    metricsApiKey: optionalSecret(env, 'METRICS_API_KEY'),
    corsOrigins: env.origins('CORS_ORIGINS'),
    trustProxy: env.trustProxy('TRUST_PROXY'),
    rateLimit: {
      limit: env.int('RATE_LIMIT_MAX', { default: 600, min: 0, max: 10_000_000 }),
      windowSeconds: env.int('RATE_LIMIT_WINDOW_SECONDS', { default: 60, min: 1, max: 3600 }),
    },
    cache: {
      ttlSeconds: env.int('CACHE_TTL_SECONDS', { default: 30, min: 1, max: 86_400 }),
      staleSeconds: env.int('CACHE_STALE_SECONDS', { default: 300, min: 0, max: 604_800 }),
      redisUrl: redisUrl(env),
      redisKeyPrefix: env.string('REDIS_KEY_PREFIX', 'suborg-gateway:v1:', /^[A-Za-z0-9:_.-]{1,64}$/),
    },
    upstream: {
      timeoutMs: env.int('UPSTREAM_TIMEOUT_MS', { default: 5000, min: 100, max: 120_000 }),
      concurrency: env.int('UPSTREAM_CONCURRENCY', { default: 4, min: 1, max: 32 }),
      listingDeadlineMs: env.int('LISTING_DEADLINE_MS', { default: 10_000, min: 100, max: 300_000 }),
      walkTimeoutMs: env.int('WALK_TIMEOUT_SECONDS', { default: 900, min: 1, max: 86_400 }) * 1000,
      maxPages: env.int('UPSTREAM_MAX_PAGES', { default: 2000, min: 1, max: 100_000 }),
      maxResponseBytes: env.int('UPSTREAM_MAX_RESPONSE_BYTES', { default: 10 * MIB, min: 64 * 1024, max: 256 * MIB }),
    },
    retry: {
      maxAttempts: env.int('UPSTREAM_MAX_ATTEMPTS', { default: 3, min: 1, max: 5 }),
      baseDelayMs: env.int('RETRY_BASE_DELAY_MS', { default: 100, min: 1, max: 10_000 }),
      maxDelayMs: env.int('RETRY_MAX_DELAY_MS', { default: 2000, min: 1, max: 60_000 }),
      budgetRatio: 0.2,
      minRetries: 3,
    },
    circuit: {
      failureThreshold: env.int('CIRCUIT_FAILURE_THRESHOLD', { default: 5, min: 1, max: 1000 }),
      openSeconds: env.int('CIRCUIT_OPEN_SECONDS', { default: 30, min: 1, max: 3600 }),
    },
  };
  if (config.http.headersTimeoutMs > config.http.requestTimeoutMs) {
    throw new ConfigError('HTTP_HEADERS_TIMEOUT_MS', `must not exceed HTTP_REQUEST_TIMEOUT_MS (${config.http.requestTimeoutMs})`);
  }
  return Object.freeze(config);
}
