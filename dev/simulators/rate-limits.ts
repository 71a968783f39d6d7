/**
 * The vendors' request limits as the simulators enforce them (README,
 * "Upstream assumptions"): Invent answers 429 with Retry-After past 500
 * requests in any rolling 60 s per client address; BlendVision One suspends a
 * credential (403) for an hour after an abnormal peak, which we take to be
 * more than 300 requests in 10 s.
 */
export interface SlidingLimit {
  readonly limit: number;
  readonly windowMs: number;
}

export interface PeakRule {
  /** More requests than this within `windowMs` suspend the credential... */
  readonly maxRequests: number;
  readonly windowMs: number;
  /** ...for this long. */
  readonly suspendMs: number;
}

export const INVENT_RATE_LIMIT: SlidingLimit = { limit: 500, windowMs: 60_000 };
export const BV_PEAK_RULE: PeakRule = { maxRequests: 300, windowMs: 10_000, suspendMs: 3_600_000 };

/** Request times per key (a client address, a credential), oldest first. */
export class SlidingLog {
  private readonly times = new Map<string, number[]>();

  /** Records a request now; returns how many the key made within the window, this one included. */
  hit(key: string, windowMs: number, now = Date.now()): number {
    const times = this.recent(key, windowMs, now);
    times.push(now);
    return times.length;
  }

  /** Milliseconds until the oldest request in the window leaves it. */
  untilFree(key: string, windowMs: number, now = Date.now()): number {
    const oldest = this.recent(key, windowMs, now)[0];
    return oldest === undefined ? 0 : Math.max(0, oldest + windowMs - now);
  }

  count(key: string, windowMs: number, now = Date.now()): number {
    return this.recent(key, windowMs, now).length;
  }

  clear(): void {
    this.times.clear();
  }

  private recent(key: string, windowMs: number, now: number): number[] {
    let times = this.times.get(key);
    if (times === undefined) {
      times = [];
      this.times.set(key, times);
    }
    let drop = 0;
    while (drop < times.length && times[drop] <= now - windowMs) drop++;
    if (drop > 0) times.splice(0, drop);
    return times;
  }
}
