import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type SnapshotReadState = 'fresh' | 'stale' | 'walked' | 'error';

/**
 * The gateway's Prometheus metrics, in a registry of its own (not prom-client's
 * global one), so several app instances in one process never collide.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly httpDuration = new Histogram({
    name: 'suborg_http_request_duration_seconds',
    help: 'HTTP requests served, by route template and status.',
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
    help: 'Snapshot reads per provider: fresh (cache hit), stale (served while refreshing), walked (cache miss), error.',
    labelNames: ['provider', 'state'] as const,
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
}
