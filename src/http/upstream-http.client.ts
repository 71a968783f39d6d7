import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Dispatcher } from 'undici';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { CircuitBreakers } from './circuit-breakers.js';
import { type Deadline, waitUntilAborted } from './deadline.js';
import { RequestPacer } from './request-pacer.js';
import { parseRetryAfter } from './retry-after.js';
import { RetryBudget, withRetries } from './retry-policy.js';
import { UpstreamError } from './upstream-error.js';

export type QueryValue = string | number | readonly string[];

export interface UpstreamRequest<T> {
  readonly provider: string;
  /** Provider label for messages, e.g. "BlendVision One". */
  readonly label: string;
  readonly url: string;
  readonly query: Readonly<Record<string, QueryValue | undefined>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly deadline: Deadline;
  /** The provider's documented rate limit; requests are paced under it. */
  readonly requestsPerMinute?: number;
  /**
   * Turns a 2xx body into what the caller wants, as part of the attempt. A
   * SyntaxError means the body is not JSON; an UpstreamError passes through;
   * any other failure means the gateway could not read the body.
   */
  readonly read: (body: Buffer) => T | Promise<T>;
}

export interface UpstreamResponse<T> {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: T;
  /** Until the body was in, before it was read. */
  readonly latencyMs: number;
  readonly attempts: number;
}

/** Lets one undici Agent (keep-alive pool) serve every upstream; closed with the app. */
export const UPSTREAM_DISPATCHER = Symbol('UPSTREAM_DISPATCHER');

const CONNECTION_ERROR_CODES = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
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
]);

/** Repeated keys for arrays (`types=A&types=B`), as both upstreams expect. */
export function encodeQuery(query: UpstreamRequest<unknown>['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, item);
    else params.append(key, String(value));
  }
  const encoded = params.toString();
  return encoded ? `?${encoded}` : '';
}

function headerRecord(raw: Dispatcher.ResponseData['headers']): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(raw)) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}

/** The page exceeded UPSTREAM_MAX_RESPONSE_BYTES; the rest of it was not read. */
class ResponseTooLarge extends Error {}

/** Reads a body up to `maxBytes`, by its announced length and by what actually arrives. */
async function readCapped(response: Dispatcher.ResponseData, maxBytes: number): Promise<Buffer> {
  const announced = Number(response.headers['content-length']);
  if (announced > maxBytes) {
    response.body.destroy();
    throw new ResponseTooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      response.body.destroy();
      throw new ResponseTooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
}

/**
 * The one way upstream HTTP leaves the gateway: a JSON GET through the
 * provider's circuit breaker, retried with backoff and a budget, paced under
 * the provider's rate limit, each attempt with a hard deadline over headers
 * and body, a size cap and no redirects, every failure an UpstreamError.
 */
@Injectable()
export class UpstreamHttpClient {
  private readonly logger = new Logger(UpstreamHttpClient.name);
  private readonly budgets = new Map<string, RetryBudget>();
  private readonly pacers = new Map<string, RequestPacer>();

  constructor(
    @Inject(UPSTREAM_DISPATCHER) private readonly dispatcher: Dispatcher,
    private readonly breakers: CircuitBreakers,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get<T>(request: UpstreamRequest<T>): Promise<UpstreamResponse<T>> {
    const url = new URL(request.url);
    const path = url.pathname;
    return this.breakers.execute(request.provider, request.label, () =>
      withRetries((attempt) => this.attempt(request, url, attempt), {
        settings: this.config.retry,
        budget: this.budgetFor(request.provider),
        deadline: request.deadline,
        observer: {
          onRetry: (error, attempt, delayMs) =>
            this.logger.warn(`${request.provider} GET ${path} attempt ${attempt} failed (${error.code}${error.httpStatus ? ` ${error.httpStatus}` : ''}); retrying in ${delayMs} ms`),
          onGiveUp: (error, attempt, reason) => this.logger.warn(`${request.provider} GET ${path} gave up after attempt ${attempt} (${error.code}): ${reason}`),
        },
      }),
    );
  }

  private budgetFor(provider: string): RetryBudget {
    let budget = this.budgets.get(provider);
    if (budget === undefined) {
      budget = new RetryBudget(this.config.retry);
      this.budgets.set(provider, budget);
    }
    return budget;
  }

  private async pace(request: UpstreamRequest<unknown>): Promise<void> {
    if (request.requestsPerMinute === undefined) return;
    let pacer = this.pacers.get(request.provider);
    if (pacer === undefined) {
      pacer = new RequestPacer(request.requestsPerMinute);
      this.pacers.set(request.provider, pacer);
    }
    await pacer.wait(request.provider, request.label, request.deadline.signal);
  }

  private async attempt<T>(request: UpstreamRequest<T>, url: URL, attempt: number): Promise<UpstreamResponse<T>> {
    await this.pace(request);
    const started = performance.now();
    // A successful call counts the upstream's time only: reading the page (on the decoder's worker) is ours.
    const record = (outcome: string, status: number | undefined, elapsedMs = performance.now() - started): void => {
      const seconds = elapsedMs / 1000;
      this.metrics.observeUpstream(request.provider, outcome, seconds);
      this.logger.log({
        event: 'upstream_call',
        provider: request.provider,
        path: url.pathname,
        status,
        outcome,
        latencyMs: Math.round(seconds * 1000),
        attempt,
        requestId: request.deadline.requestId,
      });
    };
    try {
      const response = await this.send(request, url, attempt);
      record('ok', response.status, response.latencyMs);
      return response;
    } catch (error: unknown) {
      record(error instanceof UpstreamError ? error.code : 'UNKNOWN', error instanceof UpstreamError ? error.httpStatus : undefined);
      throw error;
    }
  }

  private async send<T>(request: UpstreamRequest<T>, url: URL, attempt: number): Promise<UpstreamResponse<T>> {
    const { timeoutMs, maxResponseBytes } = this.config.upstream;
    const attemptTimeout = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([request.deadline.signal, attemptTimeout]);
    const started = performance.now();
    let status: number;
    let headers: Record<string, string | undefined>;
    let bytes: Buffer;
    try {
      // undici follows no redirects unless told to, so a 3xx comes back as itself.
      const response = await this.dispatcher.request({
        origin: url.origin,
        path: url.pathname + encodeQuery(request.query),
        method: 'GET',
        headers: { accept: 'application/json', ...this.correlation(request.deadline), ...request.headers },
        signal,
      });
      status = response.statusCode;
      headers = headerRecord(response.headers);
      if (status < 200 || status > 299) {
        // Free the connection for the next call; an error body is never read.
        await response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
        throw this.classifyStatus(request, status, headers);
      }
      bytes = await readCapped(response, maxResponseBytes);
    } catch (error: unknown) {
      throw this.classifyFailure(request, error, attemptTimeout.aborted, request.deadline.signal.aborted);
    }
    const latencyMs = performance.now() - started;
    // Reading is the gateway's own work (possibly on a worker): bounded by the walk's deadline, not charged to the upstream's attempt timeout.
    const body = await waitUntilAborted(this.readBody(request, bytes), request.deadline.signal, () =>
      this.classifyFailure(request, new Error('aborted'), false, true),
    );
    return { status, headers, body, latencyMs, attempts: attempt };
  }

  /** The id of the request that started this walk, so upstream logs can be matched to ours. */
  private correlation({ requestId }: Deadline): Record<string, string> {
    return requestId === undefined ? {} : { 'x-request-id': requestId };
  }

  private async readBody<T>(request: UpstreamRequest<T>, bytes: Buffer): Promise<T> {
    const { provider, label } = request;
    try {
      return await request.read(bytes);
    } catch (error: unknown) {
      if (error instanceof UpstreamError) throw error;
      if (error instanceof SyntaxError) throw new UpstreamError(provider, 'UPSTREAM_BAD_RESPONSE', `${label} sent a body that is not valid JSON`);
      this.logger.error(`${provider}: a page could not be read: ${error instanceof Error ? error.message : String(error)}`);
      throw new UpstreamError(provider, 'UPSTREAM_BAD_RESPONSE', `${label} sent a page the gateway could not read`);
    }
  }

  private classifyStatus(request: UpstreamRequest<unknown>, status: number, headers: Record<string, string | undefined>): UpstreamError {
    const { provider, label } = request;
    const details = { kind: 'status', httpStatus: status } as const;
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(headers['retry-after']);
      return new UpstreamError(provider, 'UPSTREAM_RATE_LIMITED', `${label} is rate limiting the gateway (HTTP 429)`, { ...details, retryAfterMs });
    }
    if (status === 401 || status === 403) {
      return new UpstreamError(provider, 'UPSTREAM_AUTH_FAILED', `${label} refused the gateway's credential (HTTP ${status}); check its configuration`, details);
    }
    if (status >= 500) {
      const retryAfterMs = status === 503 ? parseRetryAfter(headers['retry-after']) : undefined;
      return new UpstreamError(provider, 'UPSTREAM_UNAVAILABLE', `${label} answered HTTP ${status}`, { ...details, retryAfterMs });
    }
    if (status >= 300 && status < 400) {
      return new UpstreamError(provider, 'UPSTREAM_BAD_RESPONSE', `${label} answered with a redirect (HTTP ${status}), which is not followed`, details);
    }
    return new UpstreamError(provider, 'UPSTREAM_BAD_RESPONSE', `${label} rejected the request (HTTP ${status})`, details);
  }

  private classifyFailure(request: UpstreamRequest<unknown>, error: unknown, attemptTimedOut: boolean, deadlinePassed: boolean): UpstreamError {
    const { provider, label } = request;
    if (error instanceof UpstreamError) return error;
    if (deadlinePassed) {
      return new UpstreamError(provider, 'UPSTREAM_TIMEOUT', `${label} did not finish before the listing deadline`, { kind: 'deadline' });
    }
    if (attemptTimedOut) {
      return new UpstreamError(provider, 'UPSTREAM_TIMEOUT', `${label} did not answer within ${this.config.upstream.timeoutMs} ms`, { kind: 'attempt-timeout' });
    }
    if (error instanceof ResponseTooLarge) {
      return new UpstreamError(provider, 'UPSTREAM_BAD_RESPONSE', `${label} sent a page larger than ${this.config.upstream.maxResponseBytes} bytes`);
    }
    const code = (error as { code?: unknown } | null)?.code;
    const causeCode = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
    const connectionCode = [code, causeCode].find((candidate): candidate is string => typeof candidate === 'string' && CONNECTION_ERROR_CODES.has(candidate));
    if (connectionCode !== undefined) {
      return new UpstreamError(provider, 'UPSTREAM_UNAVAILABLE', `${label} could not be reached (${connectionCode})`, { kind: 'connection' });
    }
    this.logger.warn(`${provider}: unclassified upstream failure (${typeof code === 'string' ? code : 'no code'})`);
    return new UpstreamError(provider, 'UPSTREAM_UNAVAILABLE', `${label} could not be reached`, { kind: 'connection' });
  }
}
