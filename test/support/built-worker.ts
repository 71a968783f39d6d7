import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Tests run the gateway from its TypeScript sources, but a worker thread
 * needs JavaScript: the page decoder's worker comes from the build, which
 * `npm test` makes first (from the same sources).
 */
export function builtPageDecoderWorker(): URL {
  const url = new URL('../../dist/providers/page-decoder.worker.js', import.meta.url);
  if (!existsSync(fileURLToPath(url))) throw new Error(`${fileURLToPath(url)} is missing: run "npm run build" first (npm test does)`);
  return url;
}
