import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FaultPlan, SimulatorStats } from './faults.js';

export interface SimulatorResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ListRequest {
  readonly url: URL;
  readonly authorization: string | undefined;
  readonly headers: IncomingMessage['headers'];
  /** The client's address, as the vendor's per-IP limit sees it. */
  readonly clientAddress: string;
}

/**
 * A small node:http server shared by both simulators: list routing, fault
 * injection, request counting and a control API under `/__sim/`
 * (`GET stats`, `POST faults` with a FaultPlan body, `POST reset`).
 */
export abstract class SimulatorServer {
  faults: FaultPlan = {};
  /** X-Request-Id of recent list requests, newest last, to check that callers' ids reach the upstream. */
  readonly requestIds: Array<string | undefined> = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private listRequests = 0;
  // Encoded answers per data set and query: serving a page costs a lookup, not a JSON.stringify and a
  // UTF-8 encode, so benchmarks measure the gateway rather than the simulator sharing its CPU.
  private pageCache = new WeakMap<object, Map<string, { readonly result: SimulatorResponse; readonly bytes: Buffer }>>();
  private walks = 0;
  private byStatus: Record<string, number> = {};
  private pageRequests: Record<number, number> = {};
  private inFlight = 0;
  private maxInFlight = 0;
  private limited = 0;

  protected abstract readonly name: string;

  /** Whether this path is the simulated list endpoint. */
  protected abstract isListPath(pathname: string): boolean;

  /** The page number a list request asks for (for counting walks). */
  protected abstract pageOf(url: URL): number;

  protected abstract handleList(request: ListRequest): SimulatorResponse;

  /** The data set answers are built from; a new one (tests reassign it) invalidates the page cache. */
  protected abstract get dataSet(): object;

  /** A list response that is a full page forever, for the runaway fault. */
  protected abstract endlessPage(url: URL): SimulatorResponse;

  /** The upstream's own error body for a status. */
  protected abstract errorBody(status: number, message: string): unknown;

  /** The vendor's request limit: the answer it gives a request past it, if this one is. */
  protected abstract enforceLimits(request: ListRequest): SimulatorResponse | undefined;

  /** Forgets what the vendor's limit counted so far. */
  protected abstract resetLimits(): void;

  get stats(): SimulatorStats {
    return {
      listRequests: this.listRequests,
      walks: this.walks,
      byStatus: { ...this.byStatus },
      pageRequests: { ...this.pageRequests },
      maxInFlight: this.maxInFlight,
      limited: this.limited,
    };
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error(`${this.name} simulator is not listening`);
    return `http://127.0.0.1:${address.port}`;
  }

  /** Forgets serialised pages, e.g. after changing records in place. */
  forgetPages(): void {
    this.pageCache = new WeakMap();
  }

  resetStats(): void {
    this.listRequests = 0;
    this.walks = 0;
    this.byStatus = {};
    this.pageRequests = {};
    this.maxInFlight = this.inFlight;
    this.limited = 0;
  }

  setFaults(plan: FaultPlan): void {
    this.faults = { ...plan };
  }

  async start(port = 0, host = '127.0.0.1'): Promise<this> {
    this.server = createServer((request, response) => void this.route(request, response));
    this.server.keepAliveTimeout = 5_000;
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://simulator');
    if (url.pathname.startsWith('/__sim/')) return this.control(request, response, url.pathname);
    if (request.method !== 'GET' || !this.isListPath(url.pathname)) {
      return this.send(response, { status: 404, body: this.errorBody(404, 'Not Found') });
    }
    this.listRequests++;
    const page = this.pageOf(url);
    if (page <= 1) this.walks++;
    this.pageRequests[page] = (this.pageRequests[page] ?? 0) + 1;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    response.once('close', () => this.inFlight--);
    const requestId = request.headers['x-request-id'];
    this.requestIds.push(typeof requestId === 'string' ? requestId : undefined);
    if (this.requestIds.length > 100) this.requestIds.shift();
    const listRequest: ListRequest = { url, authorization: request.headers.authorization, headers: request.headers, clientAddress: request.socket.remoteAddress ?? 'unknown' };
    const refused = this.enforceLimits(listRequest);
    if (refused !== undefined) {
      this.limited++;
      return this.send(response, refused);
    }
    const faults = this.faults;
    if (faults.latencyMs) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    if (faults.hang) return;
    if (faults.resetConnection) {
      request.socket.destroy();
      return;
    }
    if (faults.failPages?.includes(page)) {
      const status = faults.failStatus ?? 503;
      return this.send(response, { status, body: this.errorBody(status, 'Simulated failure') });
    }
    if (faults.failRequests && faults.failRequests > 0) {
      faults.failRequests--;
      const status = faults.failStatus ?? 503;
      return this.send(response, { status, body: this.errorBody(status, 'Simulated failure') });
    }
    if (faults.rateLimitRequests && faults.rateLimitRequests > 0) {
      faults.rateLimitRequests--;
      return this.send(response, { status: 429, body: this.errorBody(429, 'Too Many Requests'), headers: { 'retry-after': faults.retryAfter ?? '1' } });
    }
    if (faults.rejectCredential) return this.send(response, { status: 401, body: this.errorBody(401, 'Unauthorized') });
    if (faults.redirectTo) return this.send(response, { status: 302, body: this.errorBody(302, 'Found'), headers: { location: faults.redirectTo } });
    if (faults.malformedBody) {
      this.count(200);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"organizations": [ {"id": "broken", ');
      return;
    }
    if (faults.wrongEnvelope) return this.send(response, { status: 200, body: { unexpected: true } });
    if (faults.endlessPages) return this.send(response, this.endlessPage(url));
    const dataFaults = faults.injectBadRecords || faults.duplicateAcrossPages || faults.driftTotal || faults.shortPages;
    if (dataFaults) return this.send(response, this.handleList(listRequest));
    let pages = this.pageCache.get(this.dataSet);
    if (pages === undefined) {
      pages = new Map();
      this.pageCache.set(this.dataSet, pages);
    }
    const key = `${request.headers.authorization ?? ''} ${url.pathname}${url.search}`;
    let cached = pages.get(key);
    if (cached === undefined) {
      const result = this.handleList(listRequest);
      cached = { result, bytes: Buffer.from(JSON.stringify(result.body), 'utf8') };
      if (result.status === 200 && pages.size < 5000) pages.set(key, cached);
    }
    return this.send(response, cached.result, cached.bytes);
  }

  private async control(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    if (request.method === 'GET' && path === '/__sim/stats') return this.sendJson(response, 200, this.stats);
    if (request.method === 'POST' && path === '/__sim/reset') {
      this.faults = {};
      this.resetStats();
      this.resetLimits();
      return this.sendJson(response, 200, this.stats);
    }
    if (request.method === 'POST' && path === '/__sim/faults') {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      try {
        this.setFaults(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as FaultPlan);
      } catch {
        return this.sendJson(response, 400, { message: 'body must be a JSON FaultPlan' });
      }
      return this.sendJson(response, 200, this.faults);
    }
    return this.sendJson(response, 404, { message: 'unknown control endpoint' });
  }

  private send(response: ServerResponse, result: SimulatorResponse, encoded?: Buffer): void {
    this.count(result.status);
    const body = encoded ?? JSON.stringify(result.body);
    response.writeHead(result.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...result.headers });
    response.end(body);
  }

  private sendJson(response: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    response.end(text);
  }

  private count(status: number): void {
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
  }
}
