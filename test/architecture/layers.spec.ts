import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve('.');
const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise');

interface Violation {
  readonly rule: { readonly name: string };
  readonly from: string;
  readonly to: string;
}

/** dependency-cruiser with the project's own rules over `targets` in `cwd`; the violations it reports. */
async function violations(cwd: string, targets: string[]): Promise<Violation[]> {
  const { stdout } = await run(DEPCRUISE, [...targets, '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json'], { cwd, maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('the layers of src/', () => {
  it('import one way only, with no folder importing another that imports it back', async () => {
    const found = await violations(ROOT, ['src', 'dev']);
    expect(found.map((violation) => `${violation.rule.name}: ${violation.from} -> ${violation.to}`)).toEqual([]);
  }, 60_000);

  it('are checked by rules that catch an upward import and a folder cycle', async () => {
    const fixture = mkdtempSync(join(tmpdir(), 'layers-'));
    try {
      const files: Record<string, string> = {
        // domain reaching up into listing: an upward import.
        'src/domain/model.ts': "import { rank } from '../listing/rank.js';\nexport const model = rank;\n",
        'src/listing/rank.ts': 'export const rank = 1;\n',
        // two api folders importing each other: a folder cycle.
        'src/api/a/a.ts': "import { b } from '../b/b.js';\nexport const a = b;\n",
        'src/api/b/b.ts': "import { c } from '../a/c.js';\nexport const b = c;\n",
        'src/api/a/c.ts': 'export const c = 1;\n',
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(fixture, path)), { recursive: true });
        writeFileSync(join(fixture, path), text);
      }
      cpSync(join(ROOT, 'tsconfig.json'), join(fixture, 'tsconfig.json'));
      const rules = new Set((await violations(fixture, ['src'])).map((violation) => violation.rule.name));
      expect(rules).toEqual(new Set(['no-upward-import-from-domain', 'no-folder-cycles']));
    } finally {
      rmSync(fixture, { recursive: true, force: true });
    }
  }, 60_000);
});
