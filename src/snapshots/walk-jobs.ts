import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { type Deadline, sleep } from '../domain/deadline.js';
import type { Snapshot } from '../domain/snapshot.js';
import type { SourceError, WalkProgress } from '../domain/source.js';
import { UpstreamError } from '../domain/upstream-error.js';
import { MetricsService } from '../observability/metrics.service.js';
import { BUDGET_WINDOW_MS } from '../upstreams/http/request-budget.js';
import { UpstreamHttpClient } from '../upstreams/http/upstream-http.client.js';
import { PageWalker, type Walk, type WalkCheckpoint, type WalkCounts } from '../upstreams/page-walker.js';
import type { Upstream } from '../upstreams/upstream-definition.js';
import { SNAPSHOT_STORE, type SnapshotStore, type WalkClaim } from './snapshot-store.js';

/** A walk of one provider as this replica sees it: its own, or another replica's that it follows. */
export interface WalkJob {
  /** The new snapshot, once the walk (wherever it runs) has stored it. */
  readonly done: Promise<Snapshot>;
  progress(): WalkProgress | undefined;
}

export interface WalkHistory {
  readonly lastAttemptAt: number | undefined;
  readonly lastSuccessAt: number | undefined;
  readonly lastError: SourceError | undefined;
}

/** How often a replica following another's walk looks for its snapshot. */
const FOLLOW_POLL_MS = 250;
/** At most this often a walk publishes its progress (and re-reads its budget for the estimate). */
const PUBLISH_EVERY_MS = 1000;

export function toSourceError(error: unknown): SourceError {
  if (error instanceof UpstreamError) return { code: error.code, message: error.message };
  return { code: 'GATEWAY_FAULT', message: 'The gateway failed while processing this source; its log has the details' };
}

/**
 * Upstream walks as background jobs, bounded by WALK_TIMEOUT_SECONDS and
 * never by a request: requests start them and wait as long as their own
 * deadline allows, later requests join the same job (single-flight here, and
 * through the store's claim across replicas). A walk stopped by a transient
 * failure leaves a checkpoint; the next walk of that provider resumes from
 * the page that failed, within the first walk's time bound.
 */
@Injectable()
export class WalkJobs implements OnApplicationShutdown {
  private readonly logger = new Logger('WalkJobs');
  private readonly jobs = new Map<string, WalkJob>();
  private readonly checkpoints = new Map<string, WalkCheckpoint>();
  private readonly histories = new Map<string, WalkHistory>();
  private readonly shutdown = new AbortController();

  constructor(
    @Inject(SNAPSHOT_STORE) private readonly store: SnapshotStore,
    private readonly walker: PageWalker,
    private readonly http: UpstreamHttpClient,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The walk of `upstream` that is running, here or on another replica; one is started when none is. */
  ensure(upstream: Upstream, newerThan: number): WalkJob {
    let job = this.jobs.get(upstream.key);
    if (job === undefined) {
      const started = this.start(upstream, newerThan);
      job = started;
      this.jobs.set(upstream.key, started);
      started.done.then(
        () => this.forget(upstream.key, started),
        () => this.forget(upstream.key, started),
      );
    }
    return job;
  }

  running(provider: string): WalkJob | undefined {
    return this.jobs.get(provider);
  }

  history(provider: string): WalkHistory {
    return this.histories.get(provider) ?? { lastAttemptAt: undefined, lastSuccessAt: undefined, lastError: undefined };
  }

  /** Walks still running are cancelled (their checkpoints go with the process). */
  onApplicationShutdown(): void {
    this.shutdown.abort(new Error('the gateway is shutting down'));
  }

  private forget(provider: string, job: WalkJob): void {
    if (this.jobs.get(provider) === job) this.jobs.delete(provider);
  }

  private start(upstream: Upstream, newerThan: number): WalkJob {
    const checkpoint = this.usableCheckpoint(upstream.key);
    const startedAt = checkpoint?.startedAt ?? Date.now();
    // Until the walk (or the replica walking) reports: started, nothing fetched yet.
    let progress: WalkProgress | undefined = { pagesFetched: 0, recordsFetched: 0, totalPages: null, startedAt, estimatedReadyAt: null };
    const report = (next: WalkProgress | undefined): void => {
      progress = next;
    };
    const done = (async (): Promise<Snapshot> => {
      const deadline: Deadline = {
        signal: AbortSignal.any([AbortSignal.timeout(Math.max(1, startedAt + this.config.upstream.walkTimeoutMs - Date.now())), this.shutdown.signal]),
        expiresAt: startedAt + this.config.upstream.walkTimeoutMs,
      };
      for (;;) {
        const claim = await this.store.claimWalk(upstream.key);
        if (claim !== undefined) return this.walk(upstream, claim, deadline, checkpoint, report);
        const followed = await this.follow(upstream, newerThan, deadline, report);
        if (followed !== undefined) return followed;
        // The other replica's claim lapsed without a snapshot: this one takes over.
      }
    })();
    // Observed here; requests await `done` and see any failure.
    done.catch(() => undefined);
    return { done, progress: () => progress };
  }

  private usableCheckpoint(provider: string): WalkCheckpoint | undefined {
    const checkpoint = this.checkpoints.get(provider);
    this.checkpoints.delete(provider);
    if (checkpoint === undefined || checkpoint.startedAt + this.config.upstream.walkTimeoutMs <= Date.now()) return undefined;
    return checkpoint;
  }

  private async walk(upstream: Upstream, claim: WalkClaim, deadline: Deadline, checkpoint: WalkCheckpoint | undefined, report: (progress: WalkProgress) => void): Promise<Snapshot> {
    const key = upstream.key;
    const attemptAt = Date.now();
    const previous = this.history(key);
    this.histories.set(key, { ...previous, lastAttemptAt: attemptAt });
    let available = upstream.requestsPerMinute;
    let publishedAt = 0;
    let latest: WalkProgress | undefined;
    let trailing: NodeJS.Timeout | undefined;
    const budget = this.http.budgetOf(upstream);
    const publish = (): void => {
      trailing = undefined;
      publishedAt = Date.now();
      if (latest !== undefined) void claim.renew(latest);
      void budget.available().then((count) => (available = count), () => undefined);
    };
    const onPage = (counts: WalkCounts): void => {
      latest = this.progressOf(walk, counts, available, upstream.requestsPerMinute);
      report(latest);
      if (trailing !== undefined) return;
      const waitMs = publishedAt + PUBLISH_EVERY_MS - Date.now();
      // The last pages before a pause (a spent budget, a 429) are published too, not only the first of each second.
      if (waitMs <= 0) publish();
      else trailing = setTimeout(publish, waitMs);
    };
    if (checkpoint !== undefined) this.logger.log(`${key}: resuming the walk started at ${new Date(checkpoint.startedAt).toISOString()} with ${checkpoint.pages.size} page(s) in hand`);
    const walk: Walk = this.walker.start(upstream, { deadline, resumeFrom: checkpoint, onPage });
    report(this.progressOf(walk, walk.counts, available, upstream.requestsPerMinute));
    try {
      const result = await walk.done.finally(() => clearTimeout(trailing));
      const fetchedAt = Date.now();
      const snapshot: Snapshot = { provider: key, records: result.records, originals: result.originals, skipped: result.skipped, pages: result.pages, fetchedAt, walkMs: fetchedAt - walk.startedAt };
      const { ttlSeconds, staleSeconds } = this.config.cache;
      // Kept while a refresh may still be running after it went stale: see SnapshotService.
      await this.store.set(snapshot, ttlSeconds + staleSeconds + Math.ceil(this.config.upstream.walkTimeoutMs / 1000));
      await claim.release(undefined);
      this.histories.set(key, { lastAttemptAt: attemptAt, lastSuccessAt: fetchedAt, lastError: undefined });
      this.metrics.countWalk(key, 'ok');
      this.logger.log(`${key}: walked ${result.pages} page(s), ${result.records.length} record(s), ${result.skipped} skipped, in ${snapshot.walkMs} ms`);
      return snapshot;
    } catch (error: unknown) {
      const resumable = walk.checkpoint();
      if (resumable !== undefined) this.checkpoints.set(key, resumable);
      const sourceError = toSourceError(error);
      this.histories.set(key, { lastAttemptAt: attemptAt, lastSuccessAt: previous.lastSuccessAt, lastError: sourceError });
      this.metrics.countWalk(key, sourceError.code);
      if (error instanceof UpstreamError) this.logger.warn(`${key}: walk failed: ${error.code}: ${error.message}${resumable === undefined ? '' : ` (${resumable.pages.size} page(s) kept for the next walk)`}`);
      else this.logger.error(`${key}: walk failed unexpectedly`, error instanceof Error ? error.stack : String(error));
      await claim.release(sourceError);
      throw error;
    }
  }

  /**
   * Follows another replica's walk: its progress, then its snapshot. Resolves
   * undefined when that walk's claim lapsed without a snapshot (its replica
   * died), so this one can take over.
   */
  private async follow(upstream: Upstream, newerThan: number, deadline: Deadline, report: (progress: WalkProgress | undefined) => void): Promise<Snapshot | undefined> {
    const key = upstream.key;
    while (!deadline.signal.aborted) {
      const version = await this.store.version(key);
      if (version !== undefined && version > newerThan) {
        const snapshot = await this.store.get(key);
        if (snapshot !== undefined && snapshot.fetchedAt > newerThan) return snapshot;
      }
      const status = await this.store.walkStatus(key);
      if (status === undefined) return undefined;
      if (status.state === 'failed') {
        if (status.error === null) return undefined;
        this.histories.set(key, { ...this.history(key), lastError: status.error });
        throw new UpstreamError(key, status.error.code, status.error.message);
      }
      if (status.progress) report(status.progress);
      await sleep(FOLLOW_POLL_MS, deadline.signal).catch(() => undefined);
    }
    throw new UpstreamError(key, 'UPSTREAM_TIMEOUT', `${upstream.label} was being walked by another replica that did not finish within WALK_TIMEOUT_SECONDS`, { kind: 'cancelled' });
  }

  /**
   * How far a walk is, and when it should be done: the pages left at the pace
   * seen so far, or, when more pages are left than the budget allows now, the
   * budget windows they need, whichever is later.
   */
  private progressOf(walk: Walk, counts: WalkCounts, available: number, limit: number): WalkProgress {
    const now = Date.now();
    let estimatedReadyAt: number | null = null;
    if (counts.totalPages !== null && counts.pagesFetched > 0) {
      const remaining = Math.max(0, counts.totalPages - counts.pagesFetched);
      const byPace = ((now - walk.startedAt) / counts.pagesFetched) * remaining;
      const byBudget = remaining > available ? Math.ceil((remaining - available) / limit) * BUDGET_WINDOW_MS : 0;
      estimatedReadyAt = Math.round(now + Math.max(byPace, byBudget));
    }
    return { pagesFetched: counts.pagesFetched, recordsFetched: counts.recordsFetched, totalPages: counts.totalPages, startedAt: walk.startedAt, estimatedReadyAt };
  }
}
