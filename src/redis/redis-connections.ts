import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

export type RedisPurpose = 'snapshots' | 'budgets' | 'rate-limits';

const COMMAND_TIMEOUT_MS: Record<RedisPurpose, number> = {
  // A snapshot payload is tens of MB at 100k records.
  snapshots: 5000,
  budgets: 1000,
  // On every /v1 request: a slow Redis must not slow every answer.
  'rate-limits': 500,
};

/**
 * One Redis connection per purpose, so a 50 MB snapshot transfer never
 * queues a rate-limit count behind it. Every connection fails fast while
 * Redis is unreachable (no offline queue): callers fall back to their
 * per-replica behaviour, and reconnect on their own.
 */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private readonly clients = new Map<RedisPurpose, Redis>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get enabled(): boolean {
    return this.config.cache.redisUrl !== undefined;
  }

  /** Every key this gateway writes starts with this. */
  get keyPrefix(): string {
    return this.config.cache.redisKeyPrefix;
  }

  client(purpose: RedisPurpose): Redis {
    const url = this.config.cache.redisUrl;
    if (url === undefined) throw new Error('REDIS_URL is not set');
    let client = this.clients.get(purpose);
    if (client === undefined) {
      client = new Redis(url, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: 2000,
        commandTimeout: COMMAND_TIMEOUT_MS[purpose],
        retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
      });
      let up: boolean | undefined;
      const mark = (next: boolean, reason: string): void => {
        if (next === up) return;
        up = next;
        if (next) this.logger.log(`${purpose}: connected`);
        else this.logger.warn(`${purpose}: Redis unavailable (${reason}); this replica works on its own until it returns`);
      };
      client.on('ready', () => mark(true, 'ready'));
      client.on('error', (error: Error) => mark(false, error.message));
      client.on('end', () => mark(false, 'connection closed'));
      this.clients.set(purpose, client);
    }
    return client;
  }

  /** Settles once the connection is ready or its first attempt failed (bounded), so start-up does not race it. */
  async connected(purpose: RedisPurpose, timeoutMs = 2000): Promise<void> {
    const client = this.client(purpose);
    if (client.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        client.off('ready', done).off('error', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      client.once('ready', done).once('error', done);
    });
  }

  /** `up` when every connection opened so far is ready; `memory` without Redis. */
  health(): 'memory' | 'up' | 'degraded' {
    if (!this.enabled) return 'memory';
    return [...this.clients.values()].every((client) => client.status === 'ready') ? 'up' : 'degraded';
  }

  async onApplicationShutdown(): Promise<void> {
    // QUIT lets replies already in flight arrive; a dead connection just disconnects.
    await Promise.all(
      [...this.clients].map(async ([purpose, client]) => {
        await client.quit().catch(() => client.disconnect());
        this.logger.log(`Redis connection for ${purpose} closed`);
      }),
    );
    this.clients.clear();
  }
}
