import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let version: string | undefined;

/**
 * This package's version, from the nearest package.json above this module
 * (the repository root in development, /app in the image), read once.
 */
export function packageVersion(): string {
  if (version !== undefined) return version;
  for (let directory = dirname(fileURLToPath(import.meta.url)); ; directory = dirname(directory)) {
    try {
      const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (manifest.name === 'suborg-gateway' && typeof manifest.version === 'string') return (version = manifest.version);
    } catch {
      // Not here; keep walking up.
    }
    if (dirname(directory) === directory) return (version = '0.0.0');
  }
}
