import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BvSimulator } from '../../dev/simulators/bv-simulator.js';
import { InventSimulator } from '../../dev/simulators/invent-simulator.js';

// No Docker engine here, so this rebuilds the image's runtime stage by hand, from the Dockerfile's own
// lines: a directory with package.json, the lockfile and dist/src, production dependencies only, the
// runtime ENV, and `node dist/src/main.js` run as an unprivileged user. Then the HEALTHCHECK command runs.

const NOBODY = 65534;
const dockerfile = readFileSync('Dockerfile', 'utf8');
const runtimeStage = dockerfile.slice(dockerfile.indexOf('AS runtime'));

/** `ENV A=1 \ B="x y"` → { A: '1', B: 'x y' } for the runtime stage. */
function runtimeEnv(): Record<string, string> {
  const block = /^ENV ((?:[^\n]*\\\n)*[^\n]*)$/m.exec(runtimeStage)![1];
  return Object.fromEntries([...block.matchAll(/([A-Z_]+)=(?:"([^"]*)"|(\S+))/g)].map((match) => [match[1], match[2] ?? match[3]]));
}

/** The runtime stage's own `CMD [...]` (not the one inside HEALTHCHECK). */
function command(): string[] {
  return JSON.parse(/^CMD (\[.*\])$/m.exec(runtimeStage)![1]) as string[];
}

let appDir: string;
let child: ChildProcess | undefined;

beforeAll(() => {
  appDir = mkdtempSync(join(tmpdir(), 'suborg-image-'));
  for (const file of ['package.json', 'package-lock.json']) cpSync(file, join(appDir, file));
  // Exactly what the runtime stage copies from the build: the gateway's code, not the simulators or the demo.
  const [, from, to] = /^COPY --from=build \/app\/(\S+) \.\/(\S+)$/m.exec(runtimeStage)!;
  cpSync(from, join(appDir, to), { recursive: true });
  const install = /RUN (npm ci --omit=dev[^&\n]*)/.exec(runtimeStage)![1].trim().split(/\s+/);
  execFileSync(install[0], [...install.slice(1), '--prefer-offline', '--loglevel=error'], { cwd: appDir, stdio: 'ignore', timeout: 240_000 });
  chmodSync(appDir, 0o755);
}, 300_000);

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(appDir, { recursive: true, force: true });
});

describe('the image runtime, without Docker', () => {
  it('installs no development tooling', () => {
    expect(() => readFileSync(join(appDir, 'node_modules/@nestjs/cli/package.json'))).toThrow();
    expect(() => readFileSync(join(appDir, 'node_modules/jest/package.json'))).toThrow();
    expect(() => readFileSync(join(appDir, 'node_modules/@nestjs/core/package.json'))).not.toThrow();
  });

  it('serves with the runtime ENV as an unprivileged user, and its HEALTHCHECK passes', async () => {
    const invent = await new InventSimulator({ apiKey: 'image-key', count: 12 }).start();
    const bv = await new BvSimulator({ accessToken: 'image-token', count: 9 }).start();
    const port = String(41000 + Math.floor(Math.random() * 5000));
    const env = { PATH: process.env.PATH ?? '', ...runtimeEnv(), PORT: port, INVENT_API_KEY: 'image-key', INVENT_BASE_URL: invent.url, BV_ACCESS_TOKEN: 'image-token', BV_BASE_URL: bv.url };
    expect(env).toMatchObject({ NODE_ENV: 'production', MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '1048576', MALLOC_TRIM_THRESHOLD_: '4194304', NODE_OPTIONS: '--max-old-space-size=384 --max-semi-space-size=16' });
    const [executable, ...args] = command();
    const asRoot = process.getuid?.() === 0;
    child = spawn(executable === 'node' ? process.execPath : executable, args, { cwd: appDir, env, stdio: ['ignore', 'ignore', 'pipe'], ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}) });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      let listing: { page?: { totalItems: number } } = {};
      for (let attempt = 0; attempt < 80 && listing.page === undefined; attempt++) {
        listing = await fetch(`http://127.0.0.1:${port}/v1/sub-orgs?pageSize=3`).then((r) => r.json() as Promise<typeof listing>, () => ({}));
        if (listing.page === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect({ totalItems: listing.page?.totalItems, stderr }).toEqual({ totalItems: 21, stderr: '' });
      if (asRoot) expect(execFileSync('ps', ['-o', 'uid=', '-p', String(child.pid)]).toString().trim()).toBe(String(NOBODY));

      const healthcheck = /^HEALTHCHECK [^\n]*\\\n\s*CMD (\[.*\])$/m.exec(runtimeStage)![1];
      const [probe, ...probeArgs] = JSON.parse(healthcheck) as string[];
      execFileSync(probe === 'node' ? process.execPath : probe, probeArgs, { env: { PORT: port }, timeout: 5000 });
    } finally {
      child.kill('SIGTERM');
      await Promise.all([invent.stop(), bv.stop()]);
    }
  }, 60_000);
});
