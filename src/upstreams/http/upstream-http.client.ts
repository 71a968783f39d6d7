import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AxiosError, type AxiosResponse } from 'axios';
import { ClsService } from 'nestjs-cls';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import type { Deadline } from '../../domain/deadline.js';
import { UpstreamError } from '../../domain/upstream-error.js';
import { MetricsService } from '../../observability/metrics.service.js';
import type { PageRequest, ResponseHeaders, Upstream } from '../upstream-definition.js';
import { CircuitBreakers } from './circuit-breakers.js';
import { RequestBudgets } from './request-budgets.js';
import { parseRetryAfter } from './retry-after.js';
import { RetryBudget, withRetries } from './retry-policy.js';

export interface UpstreamResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly body: Buffer;
  /** Time to the whole body, of the successful attempt. */
  readonly latencyMs: number;
  readonly attempts: number;
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ECONNABORTED',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'ERR_BAD_RESPONSE',
]);

/** Repeated keys for arrays (`types=A&types=B`), as both upstreams expect. */
export function encodeQuery(query: PageRequest['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value)) for (const item of value as readonly string[]) params.append(key, item);
    else params.append(key, String(value));
  }
  const encoded = params.toString();
  return encoded ? `?${encoded}` : '';
}

function headerRecord(raw: AxiosResponse['headers']): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value === 'string') headers[name.toLowerCase()] = value;
    else if (Array.isArray(value)) headers[name.toLowerCase()] = value.join(', ');
    else if (typeof value === 'number') headers[name.toLowerCase()] = String(value);
  }
  return headers;
}

/**
 * The one way upstream HTTP leaves the gateway, through @nestjs/axios's
 * HttpService (configured in UpstreamHttpModule: keep-alive, no redirects, the
 * page size cap enforced while the body streams in, bodies as bytes). Each
 * attempt waits for the provider's request budget, goes through its circuit
 * breaker, and has one abort signal over headers and body; transient failures
 * are retried with backoff under a retry budget. Every failure is an UpstreamError.
 */
@Injectable()
export class UpstreamHttpClient {
  private readonly logger = new Logger(UpstreamHttpClient.name);
  private readonly retryBudgets = new Map<string, RetryBudget>();

  constructor(
    private readonly http: HttpService,
    private readonly breakers: CircuitBreakers,
    private readonly budgets: RequestBudgets,
    private readonly metrics: MetricsService,
    private readonly cls: ClsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get(upstream: Upstream, request: PageRequest, deadline: Deadline): Promise<UpstreamResponse> {
    const url = `${upstream.baseUrl}${request.path}${encodeQuery(request.query)}`;
    const budget = this.budgets.for(upstream.key, upstream.requestsPerMinute);
    return withRetries(
      (attempt) =>
        this.breakers.execute(upstream.key, upstream.label, async () => {
          await budget.acquire(deadline.signal).catch(() => {
            throw this.cancelled(upstream);
          });
          return this.attempt(upstream, url, request, deadline, attempt);
        }),
      {
        settings: this.config.retry,
        budget: this.retryBudgetFor(upstream.key),
        deadline,
        observer: {
          onRetry: (error, attempt, delayMs) =>
            this.logger.warn(`${upstream.key} GET ${request.path} attempt ${attempt} failed (${error.code}${error.httpStatus ? ` ${error.httpStatus}` : ''}); retrying in ${delayMs} ms`),
          onGiveUp: (error, attempt, reason) => this.logger.warn(`${upstream.key} GET ${request.path} gave up after attempt ${attempt} (${error.code}): ${reason}`),
        },
      },
    );
  }

  /** The provider's request budget, e.g. to pause it when the upstream answers 429. */
  budgetOf(upstream: Upstream) {
    return this.budgets.for(upstream.key, upstream.requestsPerMinute);
  }

  private retryBudgetFor(provider: string): RetryBudget {
    let budget = this.retryBudgets.get(provider);
    if (budget === undefined) {
      budget = new RetryBudget(this.config.retry);
      this.retryBudgets.set(provider, budget);
    }
    return budget;
  }

  private async attempt(upstream: Upstream, url: string, request: PageRequest, deadline: Deadline, attempt: number): Promise<UpstreamResponse> {
    const started = performance.now();
    const record = (outcome: string, status: number | undefined): void => {
      const seconds = (performance.now() - started) / 1000;
      this.metrics.observeUpstream(upstream.key, outcome, seconds);
      this.logger.log({ event: 'upstream_call', provider: upstream.key, path: request.path, status, outcome, latencyMs: Math.round(seconds * 1000), attempt });
    };
    const attemptTimeout = AbortSignal.timeout(this.config.upstream.timeoutMs);
    try {
      // HttpService's own axios instance (its HttpModule configuration and interceptors apply), called directly:
      // its Observable wrapper cancels each request after the first value, building a CanceledError with a stack every time.
      const response = await this.http.axiosRef.get<Buffer>(url, {
        headers: { accept: 'application/json', ...this.correlation(), ...request.headers },
        signal: AbortSignal.any([deadline.signal, attemptTimeout]),
      });
      const headers = headerRecord(response.headers);
      if (response.status < 200 || response.status > 299) throw this.classifyStatus(upstream, response.status, headers);
      record('ok', response.status);
      return { status: response.status, headers, body: response.data, latencyMs: performance.now() - started, attempts: attempt };
    } catch (error: unknown) {
      const failure = this.classifyFailure(upstream, error, attemptTimeout.aborted, deadline.signal.aborted);
      record(failure.code, failure.httpStatus);
      throw failure;
    }
  }

  /** The id of the request that started this walk, so upstream logs can be matched to ours. */
  private correlation(): Record<string, string> {
    const id = this.cls.isActive() ? this.cls.getId() : undefined;
    return typeof id === 'string' ? { 'x-request-id': id } : {};
  }

  private cancelled(upstream: Upstream): UpstreamError {
    return new UpstreamError(upstream.key, 'UPSTREAM_TIMEOUT', `${upstream.label} walk did not finish within WALK_TIMEOUT_SECONDS or was cancelled`, { kind: 'cancelled' });
  }

  private classifyStatus(upstream: Upstream, status: number, headers: ResponseHeaders): UpstreamError {
    const { key, label } = upstream;
    const details = { kind: 'status', httpStatus: status } as const;
    if (status === 429) {
      return new UpstreamError(key, 'UPSTREAM_RATE_LIMITED', `${label} is rate limiting the gateway (HTTP 429)`, { ...details, retryAfterMs: parseRetryAfter(headers['retry-after']) });
    }
    if (status === 401 || status === 403) {
      return new UpstreamError(key, 'UPSTREAM_AUTH_FAILED', `${label} refused the gateway's credential (HTTP ${status}); check its configuration`, details);
    }
    if (status >= 500) {
      const retryAfterMs = status === 503 ? parseRetryAfter(headers['retry-after']) : undefined;
      return new UpstreamError(key, 'UPSTREAM_UNAVAILABLE', `${label} answered HTTP ${status}`, { ...details, retryAfterMs });
    }
    if (status >= 300 && status < 400) {
      return new UpstreamError(key, 'UPSTREAM_BAD_RESPONSE', `${label} answered with a redirect (HTTP ${status}), which is not followed`, details);
    }
    return new UpstreamError(key, 'UPSTREAM_BAD_RESPONSE', `${label} rejected the request (HTTP ${status})`, details);
  }

  private classifyFailure(upstream: Upstream, error: unknown, attemptTimedOut: boolean, cancelled: boolean): UpstreamError {
    const { key, label } = upstream;
    if (error instanceof UpstreamError) return error;
    if (cancelled) return this.cancelled(upstream);
    if (attemptTimedOut) {
      return new UpstreamError(key, 'UPSTREAM_TIMEOUT', `${label} did not answer within ${this.config.upstream.timeoutMs} ms`, { kind: 'attempt-timeout' });
    }
    const code = error instanceof AxiosError ? error.code : (error as { code?: unknown } | null)?.code;
    if (error instanceof AxiosError && /maxContentLength/.test(error.message)) {
      return new UpstreamError(key, 'UPSTREAM_BAD_RESPONSE', `${label} sent a page larger than ${this.config.upstream.maxResponseBytes} bytes`);
    }
    const causeCode = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
    const connectionCode = [code, causeCode].find((candidate): candidate is string => typeof candidate === 'string' && CONNECTION_ERROR_CODES.has(candidate));
    if (connectionCode !== undefined) {
      return new UpstreamError(key, 'UPSTREAM_UNAVAILABLE', `${label} could not be reached (${connectionCode})`, { kind: 'connection' });
    }
    this.logger.warn(`${key}: unclassified upstream failure (${typeof code === 'string' ? code : 'no code'})`);
    return new UpstreamError(key, 'UPSTREAM_UNAVAILABLE', `${label} could not be reached`, { kind: 'connection' });
  }
}
