/**
 * The GitHub workflows (.github/workflows/*.yml), checked here since they cannot run here: each
 * validates against GitHub's schema (@action-validator/cli, offline), and the desktop workflow
 * does what the README says — the three platforms, the real Electron app required in npm test,
 * the installers built and uploaded, a tag drafting a release, the Node versions .ci/run tests.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers/cli';

const DIR = join(ROOT, '.github/workflows');
const VALIDATOR = join(ROOT, 'node_modules/@action-validator/cli/cli.mjs');

function validate(file: string) {
  const r = spawnSync(process.execPath, [VALIDATOR, file], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

describe('GitHub workflows', () => {
  const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));

  it('finds the workflow files', () => {
    expect(files).toContain('desktop.yml');
  });

  for (const f of files) {
    it(`${f} validates against GitHub's workflow schema`, () => {
      const r = validate(join(DIR, f));
      expect(r.output.trim()).toBe('');
      expect(r.status).toBe(0);
    });
  }

  it('the validator refuses a broken workflow (so the checks above can fail)', () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'nnlab-wf-')), 'bad.yml');
    writeFileSync(bad, readFileSync(join(DIR, 'desktop.yml'), 'utf8').replace('runs-on: ${{ matrix.os }}', 'runs_on: ${{ matrix.os }}'));
    const r = validate(bad);
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/runs_on/);
  });

  it('desktop.yml tests the real app on Linux (xvfb), macOS and Windows, builds the four installers and drafts a release on a tag', () => {
    const wf = parse(readFileSync(join(DIR, 'desktop.yml'), 'utf8'));
    const build = wf.jobs.build;
    expect(build.strategy.matrix.os).toEqual(['ubuntu-latest', 'macos-latest', 'windows-latest']);
    expect(wf.on.push.tags).toEqual(['v*']);
    const steps: Step[] = build.steps;
    const run = (s: Step) => s.run ?? '';
    expect(steps.some((s) => run(s).includes('npm ci'))).toBe(true);
    const test = steps.find((s) => s.env?.NNLAB_REQUIRE_ELECTRON === '1')!;
    expect(run(test)).toContain('xvfb-run -a -s "-screen 0 1920x1080x24" npm test'); // a screen the 1280×800 window fits (xvfb-run's default is 640×480)
    expect(run(test)).toContain('npm run electron:native');
    expect(steps.some((s) => run(s).startsWith('npm run dist'))).toBe(true);
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact') && /installers/i.test(s.name ?? ''))!;
    for (const ext of ['exe', 'dmg', 'AppImage', 'deb']) expect(upload.with!.path).toContain(`dist/*.${ext}`);
    expect(build.env.CI).toBe('true');
    const release = wf.jobs.release;
    expect(release.if).toContain("startsWith(github.ref, 'refs/tags/v')");
    expect(release.steps.find((s: Step) => s.uses?.startsWith('softprops/action-gh-release')).with.draft).toBe(true);
  });

  it('desktop.yml uses the Node versions .ci/run tests, and the desktop jobs a Node the Electron toolchain accepts', () => {
    const wf = parse(readFileSync(join(DIR, 'desktop.yml'), 'utf8'));
    const matrix = wf.jobs.build.strategy.matrix;
    const desktop: string[] = matrix.node;
    const all = [...desktop, ...matrix.include.map((i: { node: string }) => i.node)].sort();
    const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8');
    expect(/nodes=\$\{NNLAB_CI_NODES:-([\d ]+)\}/.exec(ci)?.[1].split(' ').sort()).toEqual(all);
    const electron: string = JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')).engines.node;
    for (const n of desktop) expect(semver.satisfies(`${n}.99.0`, electron), `Node ${n} for electron ${electron}`).toBe(true);
    const ours: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines.node;
    for (const n of all) expect(semver.intersects(`^${n}`, ours), `Node ${n} in engines ${ours}`).toBe(true);
  });
});
