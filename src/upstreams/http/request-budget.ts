import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { sleep } from '../../domain/deadline.js';

export const BUDGET_WINDOW_MS = 60_000;
/** How long a first send waits for a Redis connection that is still opening. */
const OPENING_WAIT_MS = 2_000;

/**
 * A provider's request budget: never more than `limit` requests in any
 * rolling window (a sliding log of send times, not a fixed window or a token
 * bucket, either of which lets nearly twice the limit through around a
 * window's edge).
 */
export interface RequestBudget {
  readonly limit: number;
  /** Waits until one more request fits the budget, then counts it as sent. Rejects when `signal` aborts. */
  acquire(signal: AbortSignal): Promise<void>;
  /** The upstream asked us to slow down: nobody sends for `ms`. */
  pause(ms: number): Promise<void>;
  /** Requests that could go out right now. */
  available(): Promise<number>;
}

/** Time to wait before a send fits, or 0 when one was counted. */
type Take = () => number | Promise<number>;

async function acquireWith(take: Take, signal: AbortSignal): Promise<void> {
  for (;;) {
    signal.throwIfAborted();
    const waitMs = await take();
    if (waitMs <= 0) return;
    await sleep(waitMs, signal);
  }
}

/** The budget of one process. */
export class MemoryRequestBudget implements RequestBudget {
  /** Send times, oldest first, from `head` on. */
  private sent: number[] = [];
  private head = 0;
  private pausedUntil = 0;

  constructor(
    readonly limit: number,
    private readonly windowMs = BUDGET_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  acquire(signal: AbortSignal): Promise<void> {
    return acquireWith(() => this.take(), signal);
  }

  /** Counts a send now if it fits; else how long until it would. */
  take(): number {
    const now = this.now();
    if (now < this.pausedUntil) return this.pausedUntil - now;
    this.forget(now);
    if (this.sent.length - this.head < this.limit) {
      this.sent.push(now);
      return 0;
    }
    return Math.max(1, this.sent[this.head] + this.windowMs - now);
  }

  async pause(ms: number): Promise<void> {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  async available(): Promise<number> {
    this.forget(this.now());
    return this.now() < this.pausedUntil ? 0 : this.limit - (this.sent.length - this.head);
  }

  /** Drops sends that left the window: one sent at `now - windowMs` or earlier shares no window with a send now. */
  private forget(now: number): void {
    while (this.head < this.sent.length && this.sent[this.head] <= now - this.windowMs) this.head++;
    if (this.head > 1024 && this.head * 2 > this.sent.length) {
      this.sent = this.sent.slice(this.head);
      this.head = 0;
    }
  }
}

// Redis's own clock decides, so replicas with skewed clocks still share one window.
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
local paused = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
if paused > now then return paused - now end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, now .. ':' .. ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
`;

const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
if untilMs > (tonumber(redis.call('GET', KEYS[1]) or '0') or 0) then redis.call('SET', KEYS[1], untilMs, 'PX', ARGV[1]) end
return untilMs
`;

const AVAILABLE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if (tonumber(redis.call('GET', KEYS[2]) or '0') or 0) > now then return 0 end
return tonumber(ARGV[1]) - redis.call('ZCOUNT', KEYS[1], now - tonumber(ARGV[2]) + 1, '+inf')
`;

type BudgetRedis = Redis & {
  budgetTake(log: string, pause: string, limit: number, windowMs: number, member: string): Promise<number>;
  budgetPause(pause: string, ms: number): Promise<number>;
  budgetAvailable(log: string, pause: string, limit: number, windowMs: number): Promise<number>;
};

/**
 * One budget shared by every replica through Redis (replicas behind one NAT
 * share the upstream's per-IP limit). While Redis is unreachable, or a key of
 * ours was overwritten with the wrong type, this replica counts on its own.
 */
export class RedisRequestBudget implements RequestBudget {
  private readonly logger = new Logger('RequestBudget');
  private readonly redis: BudgetRedis;
  private readonly fallback: MemoryRequestBudget;
  private sequence = 0;
  private degraded = false;

  constructor(
    redis: Redis,
    private readonly logKey: string,
    private readonly pauseKey: string,
    readonly limit: number,
    private readonly windowMs = BUDGET_WINDOW_MS,
  ) {
    redis.defineCommand('budgetTake', { numberOfKeys: 2, lua: TAKE });
    redis.defineCommand('budgetPause', { numberOfKeys: 1, lua: PAUSE });
    redis.defineCommand('budgetAvailable', { numberOfKeys: 2, lua: AVAILABLE });
    this.redis = redis as BudgetRedis;
    this.fallback = new MemoryRequestBudget(limit, windowMs);
  }

  acquire(signal: AbortSignal): Promise<void> {
    return acquireWith(() => this.take(), signal);
  }

  async pause(ms: number): Promise<void> {
    await this.fallback.pause(ms);
    await this.shared(() => this.redis.budgetPause(this.pauseKey, Math.ceil(ms)));
  }

  available(): Promise<number> {
    return this.shared(() => this.redis.budgetAvailable(this.logKey, this.pauseKey, this.limit, this.windowMs)).then(
      (count) => count ?? this.fallback.available(),
    );
  }

  private async take(): Promise<number> {
    await this.opened();
    const member = `${process.pid}:${this.sequence++}:${Math.random().toString(36).slice(2, 8)}`;
    const waitMs = await this.shared(() => this.redis.budgetTake(this.logKey, this.pauseKey, this.limit, this.windowMs, member));
    return waitMs ?? this.fallback.take();
  }

  /**
   * Waits (briefly) for a connection that is still opening. Sends counted
   * alone are invisible to the other replicas, so a walk that starts with the
   * process should not count its first requests alone merely because Redis
   * had not answered the handshake yet. A connection that dropped later is
   * not waited for: the fallback is for that.
   */
  private async opened(): Promise<void> {
    if (!['wait', 'connecting', 'connect'].includes(this.redis.status)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.redis.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, OPENING_WAIT_MS);
      this.redis.once('ready', done);
    });
  }

  /** Runs a Redis step; undefined when Redis could not answer (the caller falls back to counting alone). */
  private async shared<T>(step: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await step();
      if (this.degraded) this.logger.log(`${this.logKey}: shared budget available again`);
      this.degraded = false;
      return result;
    } catch (error: unknown) {
      const message = error instanceof Error ? error.message : String(error);
      if (message.includes('WRONGTYPE')) {
        // A key of ours holds something else: it carries no budget worth keeping.
        this.logger.warn(`${this.logKey}: budget keys held the wrong Redis type; they were reset`);
        await this.redis.del(this.logKey, this.pauseKey).catch(() => undefined);
      } else if (!this.degraded) {
        this.logger.warn(`${this.logKey}: shared budget unavailable (${message}); counting per replica`);
      }
      this.degraded = true;
      return undefined;
    }
  }
}
