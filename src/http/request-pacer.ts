import pThrottle from 'p-throttle';
import { waitUntilAborted } from './deadline.js';
import { UpstreamError } from './upstream-error.js';

/**
 * Keeps one provider's requests under its documented rate limit (a sliding
 * window), so the gateway paces itself instead of collecting 429s.
 */
export class RequestPacer {
  private readonly slot: () => Promise<void>;

  constructor(requestsPerMinute: number) {
    this.slot = pThrottle({ limit: requestsPerMinute, interval: 60_000, strict: true })(async (): Promise<void> => undefined);
  }

  wait(provider: string, label: string, signal: AbortSignal): Promise<void> {
    return waitUntilAborted(this.slot(), signal, () =>
      new UpstreamError(provider, 'UPSTREAM_RATE_LIMITED', `${label} requests are paced under its rate limit and the deadline passed while waiting`, { kind: 'deadline' }),
    );
  }
}
