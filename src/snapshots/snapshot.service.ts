import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { untilAborted } from '../domain/deadline.js';
import type { Snapshot } from '../domain/snapshot.js';
import type { SourceError, SourceStatus, WalkProgress } from '../domain/source.js';
import { MetricsService } from '../observability/metrics.service.js';
import { CircuitBreakers } from '../upstreams/http/circuit-breakers.js';
import type { Upstream } from '../upstreams/upstream-definition.js';
import { SNAPSHOT_STORE, type SnapshotStore, type StoreHealth } from './snapshot-store.js';
import { type WalkHistory, type WalkJob, WalkJobs, toSourceError } from './walk-jobs.js';

/** How long a listing waits for the walk that probes a half-open circuit. */
const PROBE_WAIT_MS = 500;

/** What one provider contributed to a request. */
export interface SourceRead {
  readonly provider: string;
  readonly state: SourceStatus;
  readonly snapshot: Snapshot | undefined;
  /** Why the source is `error`, or why a `stale` snapshot could not be refreshed. */
  readonly error: SourceError | undefined;
  /** The walk running for this source, if one is. */
  readonly progress: WalkProgress | undefined;
  /** This read waited for the walk that made its snapshot (a cache miss). */
  readonly walked: boolean;
}

/** A provider as status pages show it, without starting anything. */
export interface ProviderView {
  readonly snapshot: Snapshot | undefined;
  readonly progress: WalkProgress | undefined;
  readonly history: WalkHistory;
}

/**
 * Serves provider snapshots: fresh ones as they are; stale ones at once while
 * a refresh runs in the background (a snapshot is never dropped while its
 * refresh is progressing; past CACHE_STALE_SECONDS only when no refresh runs);
 * cold ones after waiting for the walk as long as the request's deadline
 * allows, then as `warming` with the walk's progress. While a provider's
 * circuit is open nothing waits for it: a hung upstream costs callers the
 * deadline a few times, then answers are immediate.
 */
@Injectable()
export class SnapshotService {
  private readonly logger = new Logger(SnapshotService.name);
  private readonly seen = new Map<string, Snapshot>();
  private generationCounter = 0;

  constructor(
    @Inject(SNAPSHOT_STORE) private readonly store: SnapshotStore,
    private readonly jobs: WalkJobs,
    private readonly breakers: CircuitBreakers,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Changes whenever a read meets a snapshot it has not served before: answers built earlier are out of date. */
  get generation(): number {
    return this.generationCounter;
  }

  async read(upstream: Upstream, wait: AbortSignal): Promise<SourceRead> {
    const read = await this.readSnapshot(upstream, wait);
    this.metrics.countSnapshotRead(upstream.key, read.state === 'ok' ? (read.walked ? 'walked' : 'fresh') : read.state);
    if (read.snapshot !== undefined && this.seen.get(upstream.key) !== read.snapshot) {
      this.seen.set(upstream.key, read.snapshot);
      this.generationCounter++;
    }
    return read;
  }

  /** Milliseconds a snapshot stays fresh from now: never negative, never more than the TTL (even for a skewed clock). */
  freshForMs(snapshot: Snapshot, now = Date.now()): number {
    const ttlMs = this.config.cache.ttlSeconds * 1000;
    return Math.min(ttlMs, Math.max(0, ttlMs - this.ageMs(snapshot, now)));
  }

  /** The cached snapshot and walk, without starting anything: for status pages. */
  async view(provider: string): Promise<ProviderView> {
    return { snapshot: await this.cached(provider), progress: this.jobs.running(provider)?.progress(), history: this.jobs.history(provider) };
  }

  storeHealth(): StoreHealth {
    return this.store.health();
  }

  /** A snapshot turned out unreadable after it was served (its originals): forget it, so the provider is walked again. */
  async discard(snapshot: Snapshot): Promise<void> {
    this.logger.error(`${snapshot.provider}: the snapshot of ${new Date(snapshot.fetchedAt).toISOString()} is unreadable and was discarded`);
    this.metrics.countSnapshotRejected(snapshot.provider, 'originals');
    await this.store.discard(snapshot);
  }

  private ageMs(snapshot: Snapshot, now: number): number {
    return Math.max(0, now - snapshot.fetchedAt);
  }

  private async readSnapshot(upstream: Upstream, wait: AbortSignal): Promise<SourceRead> {
    const key = upstream.key;
    const cached = await this.cached(key);
    const { ttlSeconds, staleSeconds } = this.config.cache;
    const age = cached === undefined ? Number.POSITIVE_INFINITY : this.ageMs(cached, Date.now());
    const result = (state: SourceStatus, snapshot: Snapshot | undefined, error: SourceError | undefined, job?: WalkJob): SourceRead => ({
      provider: key,
      state,
      snapshot,
      error,
      progress: job?.progress(),
      walked: false,
    });
    if (cached !== undefined && age < ttlSeconds * 1000) return result('ok', cached, undefined);
    const circuitClosed = this.breakers.isClosed(key);
    // While the circuit is open only the one probe may start a walk, and nobody waits for it.
    const job = circuitClosed || this.breakers.probeDue(key) ? this.jobs.ensure(upstream, cached?.fetchedAt ?? 0) : this.jobs.running(key);
    const lastError = this.jobs.history(key).lastError;
    if (cached !== undefined) {
      if (job !== undefined || age < (ttlSeconds + staleSeconds) * 1000) return result('stale', cached, lastError, job);
      return result('error', undefined, lastError ?? { code: 'UPSTREAM_UNAVAILABLE', message: `${upstream.label} could not be refreshed` });
    }
    if (job === undefined) return result('error', undefined, this.circuitOpen(upstream, lastError));
    try {
      // A half-open probe may hang like the calls before it: a listing gives it a moment, not its deadline.
      const snapshot = await untilAborted(job.done, circuitClosed ? wait : AbortSignal.any([wait, AbortSignal.timeout(PROBE_WAIT_MS)]));
      if (snapshot === undefined && !circuitClosed) return result('error', undefined, this.circuitOpen(upstream, lastError), job);
      return snapshot === undefined ? result('warming', undefined, undefined, job) : { ...result('ok', snapshot, undefined), walked: true };
    } catch (error: unknown) {
      return result('error', undefined, toSourceError(error));
    }
  }

  private circuitOpen(upstream: Upstream, lastError: SourceError | undefined): SourceError {
    const { openSeconds } = this.config.circuit;
    const cause = lastError === undefined ? '' : ` (last failure: ${lastError.code})`;
    return { code: 'CIRCUIT_OPEN', message: `${upstream.label} failed repeatedly${cause}; calls are paused for up to ${openSeconds} s before one probe` };
  }

  private async cached(provider: string): Promise<Snapshot | undefined> {
    try {
      return await this.store.get(provider);
    } catch (error: unknown) {
      this.logger.warn(`snapshot store read failed for ${provider}: ${error instanceof Error ? error.message : 'unknown error'}`);
      return undefined;
    }
  }
}
