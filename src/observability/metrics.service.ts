import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type SnapshotReadState = 'fresh' | 'stale' | 'walked' | 'warming' | 'error';

/**
 * The gateway's Prometheus metrics, in a registry of its own (not prom-client's
 * global one), so several app instances in one process never collide.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly httpDuration = new Histogram({
    name: 'suborg_http_request_duration_seconds',
    help: 'HTTP requests served, by route template and status (route "unmatched" for no route, "http-layer" for requests refused before routing).',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly upstreamDuration = new Histogram({
    name: 'suborg_upstream_request_duration_seconds',
    help: 'Upstream HTTP attempts, by provider and outcome (ok or the error code).',
    labelNames: ['provider', 'outcome'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly snapshotReads = new Counter({
    name: 'suborg_snapshot_reads_total',
    help: 'Snapshot reads per provider: fresh (cache hit), stale, walked (waited for a walk), warming (answered before the walk ended), error.',
    labelNames: ['provider', 'state'] as const,
    registers: [this.registry],
  });

  private readonly snapshotsRejected = new Counter({
    name: 'suborg_snapshot_rejected_total',
    help: 'Snapshots read back from the shared cache and discarded as invalid, per provider and reason.',
    labelNames: ['provider', 'reason'] as const,
    registers: [this.registry],
  });

  private readonly walks = new Counter({
    name: 'suborg_walks_total',
    help: 'Upstream walks that ended, per provider and outcome (ok or the error code).',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'suborg_' });
  }

  /** A gauge whose value is read at scrape time. */
  gauge(name: string, help: string, labelNames: readonly string[], collect: (set: (labels: Record<string, string>, value: number) => void) => void | Promise<void>): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        await collect((labels, value) => this.set(labels, value));
      },
    });
  }

  observeHttp(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  observeUpstream(provider: string, outcome: string, seconds: number): void {
    this.upstreamDuration.observe({ provider, outcome }, seconds);
  }

  countSnapshotRead(provider: string, state: SnapshotReadState): void {
    this.snapshotReads.inc({ provider, state });
  }

  countSnapshotRejected(provider: string, reason: string): void {
    this.snapshotsRejected.inc({ provider, reason });
  }

  countWalk(provider: string, outcome: string): void {
    this.walks.inc({ provider, outcome });
  }
}
