import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { UpstreamError, type UpstreamErrorCode } from '../http/upstream-error.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { SubOrgProvider } from '../providers/provider.js';
import { Deadline, waitUntilAborted } from '../http/deadline.js';
import type { ProviderSnapshot } from './provider-snapshot.js';
import { SNAPSHOT_STORE, type SnapshotStore, type StoreHealth } from './snapshot-store.js';

export type SourceState = 'ok' | 'stale' | 'error';

export interface SourceError {
  readonly code: UpstreamErrorCode;
  readonly message: string;
}

/** What one provider contributed to a request. */
export interface SourceRead {
  readonly provider: string;
  readonly state: SourceState;
  readonly snapshot: ProviderSnapshot | undefined;
  /** Why the source is `error`, or why a `stale` snapshot could not be refreshed. */
  readonly error: SourceError | undefined;
  /** The snapshot came from a walk this read waited for (a cache miss). */
  readonly walked?: boolean;
}

export interface RefreshHistory {
  readonly lastAttemptAt: number | undefined;
  readonly lastSuccessAt: number | undefined;
  readonly lastError: SourceError | undefined;
  readonly refreshing: boolean;
}

export function toSourceError(error: unknown): SourceError {
  if (error instanceof UpstreamError) return { code: error.code, message: error.message };
  return { code: 'UPSTREAM_BAD_RESPONSE', message: 'The upstream answer could not be processed' };
}

/**
 * Serves provider snapshots from the store: fresh ones as they are, stale
 * ones at once while one background refresh runs, cold ones after a walk that
 * all concurrent callers share (single-flight).
 */
@Injectable()
export class SnapshotService {
  private readonly logger = new Logger(SnapshotService.name);
  private readonly inFlight = new Map<string, Promise<ProviderSnapshot>>();
  private readonly history = new Map<string, Omit<RefreshHistory, 'refreshing'>>();
  private readonly seen = new Map<string, ProviderSnapshot>();
  private generationCounter = 0;

  constructor(
    @Inject(SNAPSHOT_STORE) private readonly store: SnapshotStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  /** Changes whenever a read meets a snapshot it has not served before: responses built earlier are out of date. */
  get generation(): number {
    return this.generationCounter;
  }

  async read(provider: SubOrgProvider, signal: AbortSignal, requestId?: string): Promise<SourceRead> {
    const read = await this.readSnapshot(provider, signal, requestId);
    this.metrics.countSnapshotRead(provider.key, read.state === 'error' ? 'error' : read.state === 'stale' ? 'stale' : read.walked ? 'walked' : 'fresh');
    if (read.snapshot !== undefined && this.seen.get(provider.key) !== read.snapshot) {
      this.seen.set(provider.key, read.snapshot);
      this.generationCounter++;
    }
    return read;
  }

  private async readSnapshot(provider: SubOrgProvider, signal: AbortSignal, requestId: string | undefined): Promise<SourceRead> {
    const cached = await this.cached(provider.key);
    const { ttlSeconds, staleSeconds } = this.config.cache;
    const age = cached === undefined ? Number.POSITIVE_INFINITY : Date.now() - cached.fetchedAt;
    if (cached !== undefined && age < ttlSeconds * 1000) {
      return { provider: provider.key, state: 'ok', snapshot: cached, error: undefined };
    }
    if (cached !== undefined && age < (ttlSeconds + staleSeconds) * 1000) {
      this.refresh(provider, cached.fetchedAt, requestId).catch(() => undefined);
      return { provider: provider.key, state: 'stale', snapshot: cached, error: this.history.get(provider.key)?.lastError };
    }
    try {
      const deadlinePassed = (): UpstreamError =>
        new UpstreamError(provider.key, 'UPSTREAM_TIMEOUT', `${provider.label} did not finish before the listing deadline`);
      const snapshot = await waitUntilAborted(this.refresh(provider, cached?.fetchedAt ?? 0, requestId), signal, deadlinePassed);
      return { provider: provider.key, state: 'ok', snapshot, error: undefined, walked: true };
    } catch (error: unknown) {
      return { provider: provider.key, state: 'error', snapshot: undefined, error: toSourceError(error) };
    }
  }

  /** The cached snapshot regardless of age, for status pages. */
  async peek(providerKey: string): Promise<ProviderSnapshot | undefined> {
    return this.cached(providerKey);
  }

  storeHealth(): StoreHealth {
    return this.store.health();
  }

  refreshHistory(providerKey: string): RefreshHistory {
    const history = this.history.get(providerKey);
    return { lastAttemptAt: history?.lastAttemptAt, lastSuccessAt: history?.lastSuccessAt, lastError: history?.lastError, refreshing: this.inFlight.has(providerKey) };
  }

  /**
   * Starts a refresh unless one for this provider is already running here, and
   * returns the running one; across replicas the store lets only one walk.
   */
  refresh(provider: SubOrgProvider, newerThan = 0, requestId?: string): Promise<ProviderSnapshot> {
    const running = this.inFlight.get(provider.key);
    if (running !== undefined) return running;
    const deadline = Deadline.after(this.config.upstream.listingDeadlineMs, requestId);
    const walk = this.store
      .refreshOnce(provider.key, newerThan, () => this.walk(provider, deadline), deadline)
      .finally(() => this.inFlight.delete(provider.key));
    this.inFlight.set(provider.key, walk);
    return walk;
  }

  private async cached(providerKey: string): Promise<ProviderSnapshot | undefined> {
    try {
      return await this.store.get(providerKey);
    } catch (error: unknown) {
      this.logger.warn(`snapshot store read failed for ${providerKey}: ${error instanceof Error ? error.message : 'unknown error'}`);
      return undefined;
    }
  }

  /** One upstream walk, bounded on its own: it may outlive the request that started it, never the listing deadline. */
  private async walk(provider: SubOrgProvider, deadline: Deadline): Promise<ProviderSnapshot> {
    const started = performance.now();
    const attemptAt = Date.now();
    const previous = this.history.get(provider.key);
    try {
      const result = await provider.fetchAll(deadline);
      const snapshot: ProviderSnapshot = {
        provider: provider.key,
        items: result.items,
        raw: result.raw,
        skipped: result.skipped,
        pages: result.pages,
        fetchedAt: Date.now(),
        latencyMs: Math.round(performance.now() - started),
        ...(result.searchKeys === undefined ? {} : { searchKeys: result.searchKeys }),
      };
      const { ttlSeconds, staleSeconds } = this.config.cache;
      await this.store.set(snapshot, ttlSeconds + staleSeconds).catch((error: unknown) => {
        this.logger.warn(`snapshot store write failed for ${provider.key}: ${error instanceof Error ? error.message : 'unknown error'}`);
      });
      this.history.set(provider.key, { lastAttemptAt: attemptAt, lastSuccessAt: snapshot.fetchedAt, lastError: undefined });
      this.logger.log(`${provider.key}: walked ${result.pages} page(s), ${result.items.length} record(s), ${result.skipped} skipped, in ${snapshot.latencyMs} ms`);
      return snapshot;
    } catch (error: unknown) {
      const sourceError = toSourceError(error);
      this.history.set(provider.key, { lastAttemptAt: attemptAt, lastSuccessAt: previous?.lastSuccessAt, lastError: sourceError });
      if (error instanceof UpstreamError) this.logger.warn(`${provider.key}: walk failed: ${error.code}: ${error.message}`);
      else this.logger.error(`${provider.key}: walk failed unexpectedly`, error instanceof Error ? error.stack : undefined);
      throw error;
    }
  }
}
