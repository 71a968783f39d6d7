import type { IncomingMessage } from 'node:http';
import compress from '@fastify/compress';
import type { LoggerService } from '@nestjs/common';
import type { Logger as PinoLogger } from 'pino';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { ProblemFilter } from './errors/problem.filter.js';
import { PROBLEM_CONTENT_TYPE, ProblemType } from './errors/problem.js';
import { MetricsService } from './metrics/metrics.service.js';
import { buildOpenApiDocument } from './openapi.js';
import { requestIdFrom } from './runtime/request-context.js';
import { securityHeadersFor } from './runtime/security-headers.js';
import { createValidationPipe } from './validation/validation.pipe.js';

export interface CreateAppOptions {
  readonly logger?: false | LoggerService | Array<'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal'>;
  /** When given, one JSON line per request is written to it. */
  readonly requestLog?: PinoLogger;
  /** The page decoder's worker script, when not the compiled one beside the running code (tests run from sources). */
  readonly pageDecoderWorker?: URL;
}

/** Fastify takes a hop count as a function (its types have no number form): trust the `hops` nearest proxies. */
function fastifyTrustProxy(setting: AppConfig['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return typeof setting === 'boolean' ? setting : [...setting];
}

function hasBody(headers: IncomingMessage['headers']): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Nothing here reads a request body; one on a GET is a client bug or a smuggling attempt. */
function bodyOnGetProblem(url: string): object {
  return {
    type: ProblemType.InvalidRequest,
    title: 'Invalid request',
    status: 400,
    detail: 'GET and HEAD requests must not carry a body',
    instance: url.split('?')[0],
  };
}

/** Builds the gateway (not yet listening): the one composition used by main, the demo and the tests. */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    routerOptions: { maxParamLength: 1000 },
    bodyLimit: 16 * 1024,
    // Decides request.ip, the rate limit's client key; see TRUST_PROXY in the README.
    trustProxy: fastifyTrustProxy(config.trustProxy),
    requestIdHeader: false,
    genReqId: (request: IncomingMessage) => requestIdFrom(request.headers['x-request-id']),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forConfig(config, { pageDecoderWorker: options.pageDecoderWorker }), adapter, {
    logger: options.logger ?? ['log', 'error', 'warn'],
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(securityHeadersFor(request.url)).header('x-request-id', request.id);
    if ((request.method === 'GET' || request.method === 'HEAD') && hasBody(request.headers)) {
      void reply.status(400).header('content-type', PROBLEM_CONTENT_TYPE).header('cache-control', 'no-store').send(bodyOnGetProblem(request.url));
      return;
    }
    done();
  });
  const metrics = app.get(MetricsService);
  const requestLog = options.requestLog;
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
    allowedHeaders: ['Authorization', 'X-API-Key', 'Content-Type', 'X-Request-Id'],
    exposedHeaders: ['X-Request-Id', 'Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'],
    maxAge: 600,
  });
  // Listings compress 5-10x; below 1 KiB it is not worth the CPU. Brotli at quality 4 (the plugin's default) costs about what gzip does.
  // Up to 64 KiB (a 100-record page) in one synchronous call of ~1 ms: the plugin's default on 2 cores (8 KiB) sent a
  // 20-record page through a zlib stream whose hops through the thread pool added 7-24 ms to a cold listing.
  await app.register(compress, { encodings: ['br', 'gzip'], threshold: 1024, syncThreshold: 64 * 1024, globalDecompression: false });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  // process.exit after the shutdown hooks (instead of re-raising the signal) so the 'exit' event flushes buffered log lines.
  app.enableShutdownHooks([], { useProcessExit: true });
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
  return app;
}
