import type { ConfiguredProvider } from '../providers/provider.js';

export interface UpstreamSettings {
  /** One upstream HTTP attempt, headers and body. */
  readonly timeoutMs: number;
  /** Page requests in flight per upstream walk. */
  readonly concurrency: number;
  /** A whole listing request, including every upstream walk it waits for. */
  readonly listingDeadlineMs: number;
  /** Pages one walk may fetch before it is treated as a runaway upstream. */
  readonly maxPages: number;
  /** Bytes one upstream page may have. */
  readonly maxResponseBytes: number;
}

export interface RetryConfig {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly budgetRatio: number;
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

/** The validated, frozen configuration; nothing else in the app reads process.env. */
export interface AppConfig {
  readonly port: number;
  /** After SIGTERM, how long readiness says `shutting_down` before the server stops accepting. */
  readonly shutdownDelayMs: number;
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
  readonly retry: RetryConfig;
  readonly circuit: CircuitSettings;
  readonly providers: readonly ConfiguredProvider[];
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Every credential in the configuration: what the log scrubber must never let through. */
export function configuredSecrets(config: AppConfig): string[] {
  return [...config.apiKeys, ...(config.metricsApiKey === undefined ? [] : [config.metricsApiKey]), ...config.providers.flatMap((provider) => provider.secrets)];
}
