/**
 * The CLI where better-sqlite3's native part was never built (its install script skipped: npm 12
 * without an allowScripts entry for it, or --ignore-scripts): one line saying so and how to build
 * it, not the `bindings` package's list of the 13 paths it tried. A real process on a real copy of
 * the built CLI whose node_modules hold better-sqlite3 without its build/ folder.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';

const tmp = mkdtempSync(join(tmpdir(), 'nnlab-no-driver-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of out/main beside node_modules that link to this checkout's, except better-sqlite3: its JavaScript only. */
function treeWithoutBinding(): string {
  cpSync(join(ROOT, 'out/main'), join(tmp, 'out/main'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(tmp, 'package.json'));
  mkdirSync(join(tmp, 'node_modules'));
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name === 'better-sqlite3' || name.startsWith('.')) continue;
    symlinkSync(join(ROOT, 'node_modules', name), join(tmp, 'node_modules', name), 'junction');
  }
  const driver = join(ROOT, 'node_modules/better-sqlite3');
  cpSync(driver, join(tmp, 'node_modules/better-sqlite3'), {
    recursive: true,
    filter: (src) => !['build', 'deps', 'src'].some((dir) => src.startsWith(join(driver, dir) + sep) || src === join(driver, dir)),
  });
  return join(tmp, 'out/main/cli.js');
}

describe('the CLI without the database driver’s native part', () => {
  it('says in one line that better-sqlite3 was not built and how to build it', () => {
    const cli = treeWithoutBinding();
    const r = spawnSync(process.execPath, [cli, 'runs', 'list'], { encoding: 'utf8', env: { ...process.env, NNLAB_DB: join(tmp, 'runs.sqlite') } });
    expect(r.status).not.toBe(0);
    expect(r.stderr).not.toMatch(/Tried:|bindings\.js|\n\s+at /);
    expect(r.stderr.trim().split('\n')).toEqual([
      `nnlab: Cannot open the nnlab database ${join(tmp, 'runs.sqlite')}: better-sqlite3's native part (better_sqlite3.node) was never built: its install script did not run (npm 12 runs a dependency's install script only where package.json's allowScripts allows it; --ignore-scripts runs none). Run \`npm rebuild better-sqlite3\` in nnlab's folder.`,
    ]);
  });
});
