import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type RequestListener, STATUS_CODES, type Server, createServer } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpServerSettings } from '../../config/app-config.js';
import type { MetricsService } from '../../observability/metrics.service.js';
import { PROBLEM_CONTENT_TYPE, type ProblemDocument, ProblemType } from '../problems/problem.js';
import { API_SECURITY_HEADERS } from './security-headers.js';

/** Where HTTP-layer refusals (before any route) are reported: the request log and the metrics. */
export interface HttpLayerObserver {
  readonly metrics: MetricsService;
  log(line: Record<string, unknown>): void;
}

/** The node:http server, with timeouts that drop a client trickling its request within seconds, not minutes. */
export function httpServerFactory(settings: HttpServerSettings): (handler: RequestListener) => Server {
  return (handler) =>
    createServer(
      {
        headersTimeout: settings.headersTimeoutMs,
        requestTimeout: settings.requestTimeoutMs,
        // Node checks both timeouts this often (30 s by default, which let a slow client hold a socket for a minute).
        connectionsCheckingInterval: 1000,
        // Longer than common load balancers' idle timeouts (60 s), so they close idle connections first.
        keepAliveTimeout: 72_000,
      },
      handler,
    );
}

function problem(status: number, detail: string, instance?: string): ProblemDocument {
  const title = STATUS_CODES[status] ?? 'Error';
  const type = status === 404 ? ProblemType.NotFound : ProblemType.Http;
  return { type, title, status, detail, ...(instance === undefined ? {} : { instance }) };
}

/** Fastify's own errors before routing (bad percent-encoding, a path parameter too long): problem documents that never echo the URL. */
export function frameworkErrorHandler(observer: HttpLayerObserver): (error: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, request, reply) => {
    const [status, detail] =
      error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? [414, 'A path segment of this URL is too long']
        : error.code === 'FST_ERR_BAD_URL'
          ? [400, 'The URL is not valid: it has a malformed percent-encoding or characters a URL may not contain']
          : [400, 'The request could not be routed'];
    observer.metrics.observeHttp(request.method, 'http-layer', status, 0);
    observer.log({ event: 'request', requestId: request.id, method: request.method, route: 'http-layer', status, reason: error.code });
    void reply
      .status(status)
      .headers(API_SECURITY_HEADERS)
      .header('x-request-id', request.id)
      .header('cache-control', 'no-store')
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send(problem(status, detail));
  };
}

const CLIENT_ERRORS: Record<string, { readonly status: number; readonly detail: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'The request line and headers are larger than the server accepts (16 KB)' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'The request did not arrive in time' },
};

/**
 * Node's HTTP parser refusing a request (headers too large, a malformed
 * request line, an unknown method, raw bytes a header may not hold, a client
 * too slow): a problem document written to the socket, with a request id,
 * the security headers, a log line and a metric, then the connection closes.
 */
export function clientErrorHandler(observer: HttpLayerObserver): (error: Error & { code?: string }, socket: Socket) => void {
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const known = error.code === undefined ? undefined : CLIENT_ERRORS[error.code];
    const { status, detail } = known ?? { status: 400, detail: 'The request is not valid HTTP (its request line or a header is malformed, or its method is unknown)' };
    const requestId = randomUUID();
    const body = JSON.stringify(problem(status, detail));
    observer.metrics.observeHttp('UNKNOWN', 'http-layer', status, 0);
    observer.log({ event: 'request', requestId, method: 'UNKNOWN', route: 'http-layer', status, reason: error.code ?? 'client error' });
    if (socket.writable) {
      const headers: Record<string, string | number> = {
        'Content-Type': PROBLEM_CONTENT_TYPE,
        'Content-Length': Buffer.byteLength(body),
        'Cache-Control': 'no-store',
        'X-Request-Id': requestId,
        Connection: 'close',
        ...API_SECURITY_HEADERS,
      };
      const head = Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}`)
        .join('\r\n');
      socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head}\r\n\r\n${body}`);
    }
    socket.destroySoon();
  };
}

/** A GET or HEAD that carries a body (nothing here reads one; it is a client bug or a smuggling attempt). */
export function hasBody(headers: IncomingMessage['headers']): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
