import { randomUUID } from 'node:crypto';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger, NotFoundException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayErrorCode, GatewayException } from '../../domain/gateway-error.js';
import type { RouteTable } from './route-table.js';
import { PROBLEM_CONTENT_TYPE, type ProblemDocument, ProblemType } from './problem.js';

const BY_CODE: Record<GatewayErrorCode, { status: number; title: string; type: string }> = {
  [GatewayErrorCode.InvalidRequest]: { status: 400, title: 'Invalid request', type: ProblemType.InvalidRequest },
  [GatewayErrorCode.NotFound]: { status: 404, title: 'Not found', type: ProblemType.NotFound },
  [GatewayErrorCode.AllSourcesFailed]: { status: 502, title: 'No upstream could answer', type: ProblemType.AllSourcesFailed },
  [GatewayErrorCode.SourcesWarming]: { status: 503, title: 'Sources are still warming up', type: ProblemType.Warming },
  [GatewayErrorCode.Unauthorized]: { status: 401, title: 'Unauthorized', type: ProblemType.Unauthorized },
  [GatewayErrorCode.RateLimited]: { status: 429, title: 'Too many requests', type: ProblemType.RateLimited },
};

function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0];
}

/** The one place errors become HTTP: RFC 9457 documents, and an opaque id for anything unexpected. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  constructor(private readonly routes: RouteTable) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = this.toProblem(exception, request);
    if (problem.status === HttpStatus.METHOD_NOT_ALLOWED) void reply.header('allow', this.routes.allowedFor(pathOf(request)).join(', '));
    if (problem.status === HttpStatus.UNAUTHORIZED) void reply.header('www-authenticate', 'Bearer realm="suborg-gateway"');
    if (exception instanceof GatewayException && exception.extras.retryAfterSeconds !== undefined) void reply.header('retry-after', String(exception.extras.retryAfterSeconds));
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).header('cache-control', 'no-store').send(problem);
  }

  private toProblem(exception: unknown, request: FastifyRequest): ProblemDocument {
    const instance = pathOf(request);
    if (exception instanceof GatewayException) {
      const mapped = BY_CODE[exception.code];
      const { errors, sources } = exception.extras;
      return { ...mapped, detail: exception.detail, instance, ...(errors === undefined ? {} : { errors }), ...(sources === undefined ? {} : { sources }) };
    }
    if (exception instanceof NotFoundException && request.routeOptions.url === undefined) {
      const allowed = this.routes.allowedFor(instance);
      if (allowed.length > 0) {
        return { type: ProblemType.Http, title: 'Method Not Allowed', status: 405, detail: `${request.method} is not allowed here; allowed: ${allowed.join(', ')}`, instance };
      }
      return { type: ProblemType.NotFound, title: 'Not Found', status: 404, detail: `No route for ${request.method} ${instance}`, instance };
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      const title = HttpStatus[status]?.toLowerCase().replace(/(^|_)(\w)/g, (_m, sep: string, c: string) => (sep ? ' ' : '') + c.toUpperCase()) ?? 'Error';
      const type = status === 404 ? ProblemType.NotFound : status === 429 ? ProblemType.RateLimited : ProblemType.Http;
      const detail = status === 404 ? `No route for ${request.method} ${instance}` : exception.message;
      return { type, title, status, detail, instance };
    }
    const errorId = randomUUID();
    this.logger.error(
      `unhandled error ${errorId} on ${request.method} ${instance}`,
      exception instanceof Error ? exception.stack : String(exception),
    );
    return {
      type: ProblemType.Internal,
      title: 'Internal Server Error',
      status: 500,
      detail: `An unexpected error occurred. Quote error id ${errorId} when reporting it.`,
      instance,
      errorId,
    };
  }
}
