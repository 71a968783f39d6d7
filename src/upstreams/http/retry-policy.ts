import type { RetrySettings } from '../../config/app-config.js';
import { type Deadline, remainingMs, sleep } from '../../domain/deadline.js';
import { UpstreamError } from '../../domain/upstream-error.js';

/**
 * Envoy's retry budget: retries in flight stay under a share of calls in
 * flight, so an outage cannot multiply the load on an upstream.
 */
export class RetryBudget {
  private calls = 0;
  private retries = 0;

  constructor(private readonly settings: Pick<RetrySettings, 'budgetRatio' | 'minRetries'>) {}

  callStarted(): void {
    this.calls++;
  }

  callEnded(): void {
    this.calls--;
  }

  tryStartRetry(): boolean {
    const allowed = Math.max(this.settings.minRetries, Math.floor(this.calls * this.settings.budgetRatio));
    if (this.retries >= allowed) return false;
    this.retries++;
    return true;
  }

  retryEnded(): void {
    this.retries--;
  }

  get inFlight(): { calls: number; retries: number } {
    return { calls: this.calls, retries: this.retries };
  }
}

/** Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^(retry-1))). */
export function fullJitterDelay(retry: number, settings: RetrySettings, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (retry - 1)));
}

export interface RetryObserver {
  onRetry?(error: UpstreamError, attempt: number, delayMs: number): void;
  onGiveUp?(error: UpstreamError, attempt: number, reason: string): void;
}

/**
 * Runs `attempt` until it succeeds, fails with something not worth retrying,
 * runs out of attempts or budget, or the next wait would not fit the deadline.
 * A Retry-After from the upstream replaces the jittered delay.
 */
export async function withRetries<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: { readonly settings: RetrySettings; readonly budget: RetryBudget; readonly deadline: Deadline; readonly observer?: RetryObserver; readonly random?: () => number },
): Promise<T> {
  const { settings, budget, deadline, observer } = options;
  budget.callStarted();
  // A retry counts against the budget from its decision until its attempt has settled.
  let retrying = false;
  const endRetry = (): void => {
    if (retrying) budget.retryEnded();
    retrying = false;
  };
  try {
    for (let attemptNumber = 1; ; attemptNumber++) {
      try {
        return await attempt(attemptNumber);
      } catch (error: unknown) {
        endRetry();
        if (!(error instanceof UpstreamError) || !error.retryable || deadline.signal.aborted) throw error;
        const giveUp = (reason: string): UpstreamError => {
          observer?.onGiveUp?.(error, attemptNumber, reason);
          return error;
        };
        if (attemptNumber >= settings.maxAttempts) throw giveUp('attempts exhausted');
        const delayMs = error.retryAfterMs ?? fullJitterDelay(attemptNumber, settings, options.random);
        if (delayMs >= remainingMs(deadline)) throw giveUp(`a wait of ${delayMs} ms does not fit the deadline`);
        if (!budget.tryStartRetry()) throw giveUp('retry budget exhausted');
        retrying = true;
        observer?.onRetry?.(error, attemptNumber, delayMs);
        await sleep(delayMs, deadline.signal).catch(() => {
          throw error;
        });
      }
    }
  } finally {
    endRetry();
    budget.callEnded();
  }
}
