import type { IncomingMessage } from 'node:http';
import compress from '@fastify/compress';
import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { Logger as PinoLogger } from 'pino';
import { clientErrorHandler, frameworkErrorHandler, hasBody, httpServerFactory } from './api/http/http-layer.js';
import { API_VARY, securityHeadersFor } from './api/http/security-headers.js';
import { buildOpenApiDocument } from './api/openapi/openapi-document.js';
import { PROBLEM_CONTENT_TYPE, ProblemType } from './api/problems/problem.js';
import { ProblemFilter } from './api/problems/problem.filter.js';
import { RouteTable } from './api/problems/route-table.js';
import { AppModule } from './app.module.js';
import { type AppConfig, appSecrets } from './config/app-config.js';
import { MetricsService } from './observability/metrics.service.js';
import { requestIdFrom } from './observability/request-context.js';
import type { Upstream } from './upstreams/upstream-definition.js';

export interface CreateAppOptions {
  readonly logger?: false | LoggerService | Array<'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal'>;
  /** When given, one JSON line per request is written to it. */
  readonly requestLog?: PinoLogger;
}

/** Fastify takes a hop count as a function (its types have no number form): trust the `hops` nearest proxies. */
function fastifyTrustProxy(setting: AppConfig['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return typeof setting === 'boolean' ? setting : [...setting];
}

/** Every credential the gateway holds: what no log line may carry. */
export function gatewaySecrets(config: AppConfig, upstreams: readonly Upstream[]): string[] {
  return [...appSecrets(config), ...upstreams.flatMap((upstream) => upstream.secrets)];
}

/** Builds the gateway (not yet listening): the one composition used by main, the demo and the tests. */
export async function createApp(config: AppConfig, upstreams: readonly Upstream[], options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const metrics = new MetricsService();
  const { requestLog } = options;
  const refusals = { metrics, log: (line: Record<string, unknown>) => requestLog?.warn(line, 'request refused before routing') };
  const adapter = new FastifyAdapter({
    serverFactory: httpServerFactory(config.http),
    routerOptions: { maxParamLength: 1000 },
    bodyLimit: 16 * 1024,
    // Decides request.ip, the rate limit's client key; see TRUST_PROXY in the README.
    trustProxy: fastifyTrustProxy(config.trustProxy),
    requestIdHeader: false,
    genReqId: (request: IncomingMessage) => requestIdFrom(request.headers['x-request-id']),
    frameworkErrors: frameworkErrorHandler(refusals),
    clientErrorHandler: clientErrorHandler(refusals),
  });
  const routes = new RouteTable();
  adapter.getInstance().addHook('onRoute', (route) => routes.add(route.url, [route.method].flat()));
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ config, upstreams, metrics }), adapter, {
    logger: options.logger ?? ['log', 'error', 'warn'],
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(securityHeadersFor(request.url)).header('x-request-id', request.id);
    if (request.url.startsWith('/v1/')) void reply.header('vary', API_VARY);
    if ((request.method === 'GET' || request.method === 'HEAD') && hasBody(request.headers)) {
      const problem = { type: ProblemType.InvalidRequest, title: 'Invalid request', status: 400, detail: 'GET and HEAD requests must not carry a body', instance: request.url.split('?')[0] };
      void reply.status(400).header('content-type', PROBLEM_CONTENT_TYPE).header('cache-control', 'no-store').send(problem);
      return;
    }
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    // The route template, not the URL, so ids and queries cannot explode label cardinality.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeHttp(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    requestLog?.info(
      { event: 'request', requestId: request.id, method: request.method, route, url: request.url, status: reply.statusCode, latencyMs: Math.round(reply.elapsedTime) },
      'request completed',
    );
    done();
  });
  // Allow-list only; no origins configured means no CORS headers at all (browsers then refuse cross-origin reads).
  app.enableCors({
    origin: config.corsOrigins.length > 0 ? [...config.corsOrigins] : false,
    methods: ['GET', 'HEAD', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'X-API-Key', 'Content-Type', 'X-Request-Id', 'If-None-Match'],
    exposedHeaders: ['X-Request-Id', 'ETag', 'Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'X-Total-Count', 'Link', 'X-Partial', 'Content-Disposition'],
    maxAge: 600,
    // An OPTIONS without preflight headers is answered like any other OPTIONS, not with a bare text/plain 400.
    strictPreflight: false,
  });
  // Listings compress 5-10x; below 1 KiB it is not worth the CPU. Brotli at quality 4 (the plugin's default) costs about what gzip does.
  // Up to 64 KiB (a 100-record page) in one synchronous call of ~1 ms: the plugin's default on 2 cores (8 KiB) sent a
  // 20-record page through a zlib stream whose hops through the thread pool added 7-24 ms to a cold listing.
  await app.register(compress, { encodings: ['br', 'gzip'], threshold: 1024, syncThreshold: 64 * 1024, globalDecompression: false });
  app.useGlobalFilters(new ProblemFilter(routes));
  // process.exit after the shutdown hooks (instead of re-raising the signal) so the 'exit' event flushes buffered log lines.
  app.enableShutdownHooks([], { useProcessExit: true });
  const document = buildOpenApiDocument(app, config, upstreams);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
  return app;
}
