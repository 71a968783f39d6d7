import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { BvSimulator } from '../../dev/simulators/bv-simulator.js';
import { InventSimulator } from '../../dev/simulators/invent-simulator.js';

const MAIN = 'dist/src/main.js';

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function startMain(env: Record<string, string>): { child: ChildProcess; exit: Promise<Exit> } {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<Exit>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  return { child, exit };
}

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first (npm test does)`);
});

describe('node dist/src/main.js', () => {
  it.each([
    [{}, 'INVENT_API_KEY or BV_ACCESS_TOKEN must be set'],
    [{ INVENT_API_KEY: 'k', PORT: 'abc' }, 'PORT must be a whole number'],
    [{ BV_ACCESS_TOKEN: 'secret-token-value', BV_BASE_URL: 'http://api.one.blendvision.com' }, 'BV_BASE_URL must use https'],
    [{ INVENT_API_KEY: 'k', CACHE_STALE_SECONDS: 'soon' }, 'CACHE_STALE_SECONDS must be a whole number'],
  ])('refuses to start on %p with one line naming the variable', async (env, expected) => {
    const { exit } = startMain(env);
    const result = await exit;
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining(expected)]);
    expect(result.stderr).not.toContain('secret-token-value');
  });

  it('starts from the environment, serves, and stops on SIGTERM', async () => {
    const invent = await new InventSimulator({ apiKey: 'main-key', count: 15 }).start();
    const bv = await new BvSimulator({ accessToken: 'main-token', count: 12 }).start();
    const port = String(20000 + Math.floor(Math.random() * 20000));
    const { child, exit } = startMain({ PORT: port, INVENT_API_KEY: 'main-key', INVENT_BASE_URL: invent.url, BV_ACCESS_TOKEN: 'main-token', BV_BASE_URL: bv.url });
    try {
      let body: { page?: { totalItems: number } } = {};
      for (let attempt = 0; attempt < 50; attempt++) {
        try {
          const response = await fetch(`http://127.0.0.1:${port}/v1/sub-orgs?pageSize=1`);
          body = (await response.json()) as typeof body;
          break;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      expect(body.page?.totalItems).toBe(27);
      child.kill('SIGTERM');
      const result = await exit;
      expect(result.code === 0 || result.code === null).toBe(true);
      expect(result.stdout + result.stderr).toContain('API_KEYS is not set');
    } finally {
      child.kill('SIGKILL');
      await Promise.all([invent.stop(), bv.stop()]);
    }
  });

  it('finishes an in-flight request on SIGTERM, refuses new ones, then exits', async () => {
    const invent = await new InventSimulator({ apiKey: 'main-key', count: 15 }).start();
    const bv = await new BvSimulator({ accessToken: 'main-token', count: 12 }).start();
    bv.setFaults({ latencyMs: 1200 });
    const port = String(20000 + Math.floor(Math.random() * 10000));
    const { child, exit } = startMain({
      PORT: port,
      INVENT_API_KEY: 'main-key',
      INVENT_BASE_URL: invent.url,
      BV_ACCESS_TOKEN: 'main-token',
      BV_BASE_URL: bv.url,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: `test:${randomUUID()}:`,
    });
    try {
      for (let attempt = 0; attempt < 50; attempt++) {
        const up = await fetch(`http://127.0.0.1:${port}/health/live`).then((r) => r.ok, () => false);
        if (up) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const slow = fetch(`http://127.0.0.1:${port}/v1/sub-orgs?pageSize=50`, { headers: { connection: 'close' } }).then(async (r) => ({ status: r.status, body: (await r.json()) as { page: { totalItems: number }; partial: boolean } }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const late = await fetch(`http://127.0.0.1:${port}/health/live`).then((r) => r.status, () => 'refused');
      const answered = await slow;
      expect(answered.status).toBe(200);
      expect(answered.body.partial).toBe(false);
      expect(answered.body.page.totalItems).toBe(27);
      expect(late).toBe('refused');
      const result = await exit;
      expect(result.code === 0 || result.code === null).toBe(true);
      expect(result.stdout).toContain('Redis connection for snapshots closed');
      expect(result.stdout).toContain('Redis connection for rate-limits closed');
    } finally {
      child.kill('SIGKILL');
      await Promise.all([invent.stop(), bv.stop()]);
    }
  });

  it('with SHUTDOWN_DELAY_MS, reports shutting_down on readiness while it still serves, then exits', async () => {
    const invent = await new InventSimulator({ apiKey: 'main-key', count: 15 }).start();
    const port = String(30000 + Math.floor(Math.random() * 10000));
    const { child, exit } = startMain({ PORT: port, INVENT_API_KEY: 'main-key', INVENT_BASE_URL: invent.url, SHUTDOWN_DELAY_MS: '1500' });
    try {
      for (let attempt = 0; attempt < 50; attempt++) {
        if (await fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.ok, () => false)) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const stoppingAt = Date.now();
      child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { status: string }).status).toBe('shutting_down');
      expect((await fetch(`http://127.0.0.1:${port}/v1/sub-orgs?pageSize=1`)).status).toBe(200);
      await exit;
      expect(Date.now() - stoppingAt).toBeGreaterThanOrEqual(1400);
    } finally {
      child.kill('SIGKILL');
      await invent.stop();
    }
  });
});
