import type { ThrottlerStorage } from '@nestjs/throttler';

export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** What a fixed-window counter reports back to the throttler guard. */
export function windowRecord(hits: number, resetInMs: number, limit: number): ThrottlerStorageRecord {
  const resetInSeconds = Math.max(1, Math.ceil(resetInMs / 1000));
  const isBlocked = hits > limit;
  return { totalHits: hits, timeToExpire: resetInSeconds, isBlocked, timeToBlockExpire: isBlocked ? resetInSeconds : 0 };
}

interface Window {
  hits: number;
  readonly resetAt: number;
}

/**
 * One counter per client and window, O(1) per request. The throttler's own
 * in-memory storage keeps a timestamp per hit and filters them all on every
 * request, which is linear in the limit.
 */
export class FixedWindowStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private nextSweepAt = 0;

  increment(key: string, ttlMs: number, limit: number): Promise<ThrottlerStorageRecord> {
    return Promise.resolve(this.count(key, ttlMs, limit));
  }

  count(key: string, ttlMs: number, limit: number, now = Date.now()): ThrottlerStorageRecord {
    let window = this.windows.get(key);
    if (window === undefined || window.resetAt <= now) {
      this.sweep(now, ttlMs);
      window = { hits: 0, resetAt: now + ttlMs };
      this.windows.set(key, window);
    }
    window.hits += 1;
    return windowRecord(window.hits, window.resetAt - now, limit);
  }

  get size(): number {
    return this.windows.size;
  }

  /** Drops ended windows at most once per window length, so many one-off clients cannot grow the map forever. */
  private sweep(now: number, ttlMs: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + ttlMs;
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}
