// Shared pieces of the benchmarks: child processes for the servers under test,
// autocannon runs, RSS readings. Everything runs on loopback.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export const SIM_KEYS = { invent: 'bench-invent-key', bv: 'bench-bv-token' };

// Below the Linux ephemeral range (32768+), so client sockets never take a port we are about to listen on.
let nextPort = 20000 + Math.floor(Math.random() * 10000);
export const freePort = () => nextPort++;

/** The container's memory settings (see the Dockerfile), for every server under test. */
export const CONTAINER_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '1048576', MALLOC_TRIM_THRESHOLD_: '4194304', NODE_OPTIONS: '--max-old-space-size=384 --max-semi-space-size=16' };

/** Starts `node dist/src/main.js` as its own process (own event loop, own RSS). */
export async function startGateway(env, script = 'dist/src/main.js') {
  const port = freePort();
  const child = spawn(process.execPath, [...(process.env.GW_FLAGS ? process.env.GW_FLAGS.split(' ') : []), script], {
    env: { PATH: process.env.PATH, PORT: String(port), RATE_LIMIT_MAX: '10000000', LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info', ...CONTAINER_ENV, ...env },
    stdio: ['ignore', process.env.GW_STDOUT ? 'inherit' : 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/health/live`, () => stderr);
  return { url, pid: child.pid, stop: () => stopChild(child) };
}

/**
 * A bare node:http server answering every request with the same bytes: the baseline.
 * `serialize`: false sends pre-encoded bytes (the strictest baseline); true
 * parses them once and JSON.stringify-s the object per request, as a minimal
 * hand-written listing server would.
 */
export async function startBaseline(body, { serialize = false } = {}) {
  const port = freePort();
  const script = `
    const bytes = Buffer.from(process.env.BODY_B64, 'base64');
    const listing = JSON.parse(bytes.toString('utf8'));
    const serialize = ${serialize};
    require('node:http').createServer((req, res) => {
      const body = serialize ? Buffer.from(JSON.stringify(listing)) : bytes;
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
      res.end(body);
    }).listen(${port}, '127.0.0.1');`;
  const child = spawn(process.execPath, ['-e', script], { env: { BODY_B64: Buffer.from(body).toString('base64') }, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(url, () => '');
  return { url, stop: () => stopChild(child) };
}

async function waitFor(url, log) {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`${url} did not come up: ${log()}`);
}

function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

/**
 * One simulator in its own process, controlled over its /__sim/ API. The
 * vendors' request limits are on, as upstream, unless `limits` is false.
 */
export async function startSimulator(kind, count, latencyMs = 0, { limits = true } = {}) {
  const port = freePort();
  const child = spawn(process.execPath, ['dist/dev/simulators/main.js'], {
    env: {
      PATH: process.env.PATH,
      SIM_ONLY: kind,
      SIM_LIMITS: limits ? 'on' : 'off',
      [kind === 'invent' ? 'SIM_INVENT_PORT' : 'SIM_BV_PORT']: String(port),
      [kind === 'invent' ? 'SIM_INVENT_COUNT' : 'SIM_BV_COUNT']: String(count),
      SIM_INVENT_API_KEY: SIM_KEYS.invent,
      SIM_BV_ACCESS_TOKEN: SIM_KEYS.bv,
    },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/__sim/stats`, () => '');
  const control = (path, body) => fetch(url + path, { method: body === undefined ? 'GET' : 'POST', body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => r.json());
  await control('/__sim/faults', { latencyMs });
  return { url, stats: () => control('/__sim/stats'), reset: () => control('/__sim/reset', {}).then(() => control('/__sim/faults', { latencyMs })), stop: () => stopChild(child) };
}

export async function load(url, { connections = 50, duration = 8 } = {}) {
  const result = await autocannon({ url, connections, duration, pipelining: 1 });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

export function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024);
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function timeGet(url) {
  const started = performance.now();
  const response = await fetch(url);
  const body = await response.json();
  if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status}`);
  return { ms: performance.now() - started, body };
}

export const fmt = (n, digits = 1) => Number(n).toFixed(digits);
