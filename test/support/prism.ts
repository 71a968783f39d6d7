import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let nextPort = 40_000 + Math.floor(Math.random() * 5_000);

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface PrismProxy {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Stoplight Prism in proxy mode in front of `upstream`, validating every
 * response against `document` (`--errors`: a violation becomes a 500 with an
 * `sl-violations` header). Requests are not validated: the test sends invalid
 * ones on purpose, to see the gateway's 400s checked.
 */
export async function startPrismProxy(document: object, upstream: string): Promise<PrismProxy> {
  const folder = mkdtempSync(join(tmpdir(), 'prism-'));
  const file = join(folder, 'openapi.json');
  writeFileSync(file, JSON.stringify(document));
  const port = nextPort++;
  const child: ChildProcess = spawn('node_modules/.bin/prism', ['proxy', file, upstream, '--errors', '--validate-request=false', '-p', String(port), '-h', '127.0.0.1', '-v', 'warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  for (let attempt = 0; attempt < 300; attempt++) {
    if (await listening(port)) return { url: `http://127.0.0.1:${port}`, stop: () => stop(child) };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop(child);
  throw new Error(`prism did not start: ${stderr}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
