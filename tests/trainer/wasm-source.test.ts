/**
 * The committed WebAssembly modules (kernels.generated.ts) are what kernels.as.ts builds to: the
 * tests of the kernels run the committed bytes, so a source edited without `npm run build:wasm`
 * (or a generated file edited by hand) would leave the source untested. `--check` compiles all
 * four builds and compares them with the committed text.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = join(__dirname, '../..');

it('kernels.generated.ts is what kernels.as.ts builds to (scripts/build-wasm.mjs --check)', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build-wasm.mjs'), '--check'], { cwd: ROOT, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('is up to date');
}, 120_000);
