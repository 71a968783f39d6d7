import type { UpstreamErrorCode } from './upstream-error.js';

/**
 * What one source contributed to an answer: `ok` (fresh snapshot), `stale`
 * (older than the TTL, served while it refreshes or after refreshes failed),
 * `warming` (no snapshot yet; a walk is running past the request's deadline)
 * or `error`.
 */
export const SOURCE_STATUSES = ['ok', 'stale', 'warming', 'error'] as const;
export type SourceStatus = (typeof SOURCE_STATUSES)[number];

export interface SourceError {
  readonly code: UpstreamErrorCode;
  readonly message: string;
}

/** How far a running walk has come. Times are epoch milliseconds. */
export interface WalkProgress {
  readonly pagesFetched: number;
  readonly recordsFetched: number;
  readonly totalPages: number | null;
  readonly startedAt: number;
  readonly estimatedReadyAt: number | null;
}
