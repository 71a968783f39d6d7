export interface HttpServerSettings {
  /** Listen address; `::` for dual-stack. */
  readonly host: string;
  readonly port: number;
  /** A client must have sent its request headers within this time. */
  readonly headersTimeoutMs: number;
  /** A client must have sent its whole request within this time. */
  readonly requestTimeoutMs: number;
  /** After SIGTERM, how long readiness says `shutting_down` before the server stops accepting. */
  readonly shutdownDelayMs: number;
}

export interface UpstreamSettings {
  /** One upstream HTTP attempt, headers and body. */
  readonly timeoutMs: number;
  /** Page requests in flight per upstream walk. */
  readonly concurrency: number;
  /** How long one listing request waits for its sources. */
  readonly listingDeadlineMs: number;
  /** The bound of one background walk, independent of any request. */
  readonly walkTimeoutMs: number;
  /** Pages one walk may fetch before it is treated as a runaway upstream. */
  readonly maxPages: number;
  /** Bytes one upstream page may have. */
  readonly maxResponseBytes: number;
}

export interface RetrySettings {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Retries in flight may be at most this share of calls in flight (Envoy's retry budget)... */
  readonly budgetRatio: number;
  /** ...but never fewer than this many. */
  readonly minRetries: number;
}

export interface CircuitSettings {
  readonly failureThreshold: number;
  readonly openSeconds: number;
}

export interface CacheSettings {
  readonly ttlSeconds: number;
  readonly staleSeconds: number;
  readonly redisUrl: string | undefined;
  /** Prefix of every Redis key, so several deployments can share one Redis. */
  readonly redisKeyPrefix: string;
}

export interface RateLimitSettings {
  /** Requests one client may make to /v1 per window; 0 turns rate limiting off. */
  readonly limit: number;
  readonly windowSeconds: number;
}

/** The validated, frozen configuration of the gateway itself; each upstream reads its own variables. */
export interface AppConfig {
  readonly http: HttpServerSettings;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  readonly apiKeys: readonly string[];
  /** When set, GET /metrics needs this key (Bearer or X-API-Key); the API keys do not open it. */
  readonly metricsApiKey: string | undefined;
  readonly corsOrigins: readonly string[];
  /** Fastify's trustProxy: who may tell us the client address through X-Forwarded-For. */
  readonly trustProxy: boolean | number | readonly string[];
  readonly rateLimit: RateLimitSettings;
  readonly cache: CacheSettings;
  readonly upstream: UpstreamSettings;
  readonly retry: RetrySettings;
  readonly circuit: CircuitSettings;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** The gateway's own credentials, which no log line may carry: caller keys, the metrics key, Redis's password. */
export function appSecrets(config: AppConfig): string[] {
  const secrets = [...config.apiKeys];
  if (config.metricsApiKey !== undefined) secrets.push(config.metricsApiKey);
  if (config.cache.redisUrl !== undefined) {
    const url = new URL(config.cache.redisUrl);
    if (url.password !== '') secrets.push(decodeURIComponent(url.password), url.password);
  }
  return secrets;
}
