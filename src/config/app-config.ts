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

/** The validated, frozen configuration; nothing else in the app reads process.env. */
export interface AppConfig {
  readonly port: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  readonly apiKeys: readonly string[];
  readonly corsOrigins: readonly string[];
  readonly cache: CacheSettings;
  readonly upstream: UpstreamSettings;
  readonly retry: RetryConfig;
  readonly circuit: CircuitSettings;
  readonly providers: readonly ConfiguredProvider[];
}

export const APP_CONFIG = Symbol('APP_CONFIG');
