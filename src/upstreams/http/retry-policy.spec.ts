import type { RetrySettings } from '../../config/app-config.js';
import { deadlineIn } from '../../domain/deadline.js';
import { UpstreamError } from '../../domain/upstream-error.js';
import { parseRetryAfter } from './retry-after.js';
import { RetryBudget, fullJitterDelay, withRetries } from './retry-policy.js';

const settings: RetrySettings = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 40, budgetRatio: 0.2, minRetries: 3 };
const unavailable = (status = 503): UpstreamError => new UpstreamError('bv', 'UPSTREAM_UNAVAILABLE', 'down', { kind: 'status', httpStatus: status });

function flaky(failures: UpstreamError[]): { call: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    call: async () => {
      const failure = failures[calls++];
      if (failure) throw failure;
      return 'ok';
    },
    calls: () => calls,
  };
}

describe('withRetries', () => {
  it('retries transient failures and returns the first success', async () => {
    const upstream = flaky([unavailable(503), unavailable(502)]);
    await expect(withRetries(upstream.call, { settings, budget: new RetryBudget(settings), deadline: deadlineIn(5000) })).resolves.toBe('ok');
    expect(upstream.calls()).toBe(3);
  });

  it('stops after maxAttempts and rethrows the last failure', async () => {
    const upstream = flaky([unavailable(), unavailable(), unavailable(504), unavailable()]);
    await expect(withRetries(upstream.call, { settings, budget: new RetryBudget(settings), deadline: deadlineIn(5000) })).rejects.toMatchObject({ httpStatus: 504 });
    expect(upstream.calls()).toBe(3);
  });

  it.each([
    ['500', new UpstreamError('bv', 'UPSTREAM_UNAVAILABLE', 'x', { kind: 'status', httpStatus: 500 })],
    ['401', new UpstreamError('bv', 'UPSTREAM_AUTH_FAILED', 'x', { kind: 'status', httpStatus: 401 })],
    ['404', new UpstreamError('bv', 'UPSTREAM_BAD_RESPONSE', 'x', { kind: 'status', httpStatus: 404 })],
    ['a bad body', new UpstreamError('bv', 'UPSTREAM_BAD_RESPONSE', 'x')],
    ['a 429 (the walk waits for it, not the call)', new UpstreamError('bv', 'UPSTREAM_RATE_LIMITED', 'x', { kind: 'status', httpStatus: 429, retryAfterMs: 10 })],
    ['its own cancellation', new UpstreamError('bv', 'UPSTREAM_TIMEOUT', 'x', { kind: 'cancelled' })],
  ])('never retries %s', async (_label, error) => {
    const upstream = flaky([error]);
    await expect(withRetries(upstream.call, { settings, budget: new RetryBudget(settings), deadline: deadlineIn(5000) })).rejects.toBe(error);
    expect(upstream.calls()).toBe(1);
  });

  it('waits as long as Retry-After asks instead of the jittered delay', async () => {
    const limited = new UpstreamError('bv', 'UPSTREAM_UNAVAILABLE', 'x', { kind: 'status', httpStatus: 503, retryAfterMs: 150 });
    const upstream = flaky([limited]);
    const started = performance.now();
    await withRetries(upstream.call, { settings, budget: new RetryBudget(settings), deadline: deadlineIn(5000) });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('gives up at once when the wait would not fit the deadline', async () => {
    const limited = new UpstreamError('bv', 'UPSTREAM_UNAVAILABLE', 'x', { kind: 'status', httpStatus: 503, retryAfterMs: 10_000 });
    const upstream = flaky([limited]);
    const gaveUp: string[] = [];
    const started = performance.now();
    await expect(
      withRetries(upstream.call, { settings, budget: new RetryBudget(settings), deadline: deadlineIn(1000), observer: { onGiveUp: (_e, _a, reason) => gaveUp.push(reason) } }),
    ).rejects.toBe(limited);
    expect(performance.now() - started).toBeLessThan(100);
    expect(gaveUp).toEqual(['a wait of 10000 ms does not fit the deadline']);
  });

  it('keeps retries in flight under the budget', async () => {
    const budget = new RetryBudget(settings);
    // 20 calls fail at once: 20 % of 20 is 4 retries; the others give up without retrying.
    const reasons: string[] = [];
    let calls = 0;
    const call = async (): Promise<string> => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw unavailable();
    };
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        withRetries(call, { settings: { ...settings, maxAttempts: 2, baseDelayMs: 30, maxDelayMs: 30 }, budget, deadline: deadlineIn(5000), random: () => 0.99, observer: { onGiveUp: (_e, _a, reason) => reasons.push(reason) } }),
      ),
    );
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(calls).toBe(20 + 4);
    expect(reasons.filter((r) => r === 'retry budget exhausted')).toHaveLength(16);
    expect(budget.inFlight).toEqual({ calls: 0, retries: 0 });
  });
});

describe('fullJitterDelay', () => {
  it('stays within [0, min(cap, base * 2^(retry-1)))', () => {
    expect(fullJitterDelay(1, settings, () => 0.999)).toBe(9);
    expect(fullJitterDelay(2, settings, () => 0.999)).toBe(19);
    expect(fullJitterDelay(5, settings, () => 0.999)).toBe(39);
    expect(fullJitterDelay(3, settings, () => 0)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-22T12:00:00Z');
  it.each([
    ['3', 3000],
    [' 0 ', 0],
    ['Sun, 22 Nov 2026 12:00:10 GMT', 10_000],
    ['Sun, 22 Nov 2026 11:00:00 GMT', 0],
    ['soon', undefined],
    ['-5', undefined],
    [undefined, undefined],
  ])('reads %p as %p ms', (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});
