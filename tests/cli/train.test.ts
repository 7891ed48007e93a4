import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nnlab } from '../helpers/cli';

const tmp = () => mkdtempSync(join(tmpdir(), 'nnlab-cli-'));

describe('cli/train', () => {
  it("reproduces the seed's experiment with no flags and prints its summary", () => {
    const r = nnlab(['train']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^run #\d+ saved in .*\n\d+\.\d{5} cost at the start of learning and \d+\.\d{5} at the end\n/);
    expect(r.stdout).toMatch(/time: .* ms for 300 batches/);
    expect(r.stdout).toMatch(/dead units \(init → end\): hidden 1 \d+\/16 → \d+\/16, output \d\/2 → \d\/2/);
    expect(r.stdout).toMatch(/sin x\s+estimate\s+cos x\s+estimate/);
    expect(r.stdout.trim().split('\n').slice(-30)).toHaveLength(30);
  });

  it('says when the output layer cannot reach the targets, and nothing when it can (the seed’s)', () => {
    const below = nnlab(['train', '--no-save', '--no-progress', '--batches', '20', '--target', 'x^2 - 1']);
    expect(below.status).toBe(0);
    expect(below.stdout).toMatch(
      /\nlearned nothing: r² .*\nnote: the output layer is relu \(the seed’s rule: the hidden activation\), which never goes below 0, but the target x\^2 - 1 reaches −1 \(\d+ of \d+ test points are out of its reach\): no weights can fit those; a linear output layer can reach them \(--output-activation linear\)\n/,
    );
    expect(nnlab(['train', '--no-save', '--no-progress', '--batches', '20', '--target', 'x^2 - 1', '--output-activation', 'linear']).stdout).not.toMatch(/out of its reach/);
    expect(nnlab(['train', '--no-save', '--no-progress', '--batches', '20']).stdout).not.toMatch(/out of its reach/);
    // a built-in task's defaults reach its targets: wave's sin 2πx goes to −1 (its seed's relu output read 'underfit: r² 0.033' with this note)
    expect(nnlab(['train', '--task', 'wave', '--no-save', '--no-progress', '--batches', '20']).stdout).not.toMatch(/out of its reach/);
  });

  it('trains in-process and saves nothing with --no-save', () => {
    const r = nnlab(['train', '--no-save', '--batches', '20']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d{5} cost at the start of learning and \d+\.\d{5} at the end\n/);
    // the seed's ends are its first and last 10 batches: of 5 they are the same batches, and the line says so
    expect(nnlab(['train', '--no-save', '--batches', '5']).stdout).toMatch(/^(\d+\.\d{5}) cost at the start of learning and \1 at the end \(of 5 batches: the first 10 and the last 10 overlap\)\n/);
  });

  it('writes the full result with --json', () => {
    const file = join(tmp(), 'run.json');
    const r = nnlab(['train', '--batches', '40', '--activation', 'sigmoid', '--json', file]);
    expect(r.status).toBe(0);
    const j = JSON.parse(readFileSync(file, 'utf8'));
    expect(j.spec).toMatchObject({ activation: 'sigmoid', batches: 40, shape: [1, 16, 2], learningRate: 1, batchSize: 32 });
    expect(j.costHistory).toHaveLength(40);
    expect(j.finalCost).toBe(j.costHistory[39]);
    expect(j.testInputs).toHaveLength(30);
    expect(j.testEstimates).toHaveLength(30);
    expect(j.testEstimates[0]).toHaveLength(2);
    expect(j.timing.trainMs).toBeGreaterThan(0);
    expect(j.diagnostics.atInit.dead).toHaveLength(2);
  });

  it('takes every spec flag, and -eps as an init mean', () => {
    const file = join(tmp(), 'run.json');
    const r = nnlab([
      'train', '--shape', '1,8,8,2', '--activation', 'tanh', '--output-activation', 'linear', '--batch', '16', '--batches', '20',
      '--lr', '0.5', '--eps', '0.2', '--init-mean', '-eps', '--init', 'normal', '--seed', '7', '--data-seed', '9', '--task', 'sincos',
      '--optimizer', 'momentum', '--momentum', '0.8', '--float32', '--checkpoints', '4', '--json', file, '--no-progress',
    ]);
    expect(r.stderr).toBe('');
    const j = JSON.parse(readFileSync(file, 'utf8'));
    expect(j.spec).toMatchObject({
      shape: [1, 8, 8, 2], activation: 'tanh', outputActivation: 'linear', batchSize: 16, batches: 20, learningRate: 0.5,
      eps: 0.2, initMean: -0.2, initSeed: 7, dataSeed: 9, optimizer: 'momentum', momentum: 0.8, dtype: 'float32', checkpoints: 4,
    });
  });

  it('records the kernel that ran, wasm by default and js or wasm-fma on request', () => {
    expect(nnlab(['train', '--batches', '5']).stdout).toMatch(/\[wasm-simd-f64\]/);
    expect(nnlab(['train', '--batches', '5', '--kernel', 'js']).stdout).toMatch(/\[js-blocked\]/);
    // the CLI sets the V8 flag Node 20 needs for relaxed SIMD, in process and in its trainer processes
    expect(nnlab(['train', '--batches', '5', '--kernel', 'wasm-fma', '--no-save']).stdout).toMatch(/\[wasm-fma-f64\]/);
    expect(nnlab(['train', '--batches', '5', '--kernel', 'wasm-fma']).stdout).toMatch(/\[wasm-fma-f64\]/);
  });

  it('trains a big net on 2 threads with the same bits as on 1, saved (trainer process) and --no-save (in-process)', () => {
    // 128 × 513 × 256 multiply-adds per product: above the threshold, so the products are split
    const net = ['--shape', '1,512,256,2', '--batch', '128', '--batches', '12', '--lr', '0.01', '--no-progress', '--json', '-'];
    const costs = (args: string[]) => {
      const r = nnlab(['train', ...net, ...args]);
      expect(r.status, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.kernel).toBe('wasm-simd-f64');
      return j.costHistory as number[];
    };
    const one = costs(['--threads', '1', '--no-save']);
    expect(costs(['--threads', '2', '--no-save'])).toEqual(one);
    expect(costs(['--threads', '2'])).toEqual(one);
    expect(costs([])).toEqual(one); // the default: every core this machine has
  });

  it('takes --threads on every command that trains (train, sweep, worker) and refuses a bad count naming the flag', () => {
    for (const args of [['train'], ['sweep', '--activation', 'relu,sigmoid'], ['worker', '--queue', 'redis://127.0.0.1:1/0']]) {
      const r = nnlab([...args, '--threads', '65']);
      expect(r.status, args[0]).toBe(2);
      expect(r.stderr).toMatch(/--threads: expected a whole number from 1 to 64, got '65'/);
      expect(nnlab([args[0], '--help']).stdout).toMatch(/--threads <n>/);
    }
  });

  it('reads a spec file and lets flags override it', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'spec.yaml'), 'activation: sigmoid\nbatches: 12\nlearningRate: 0.5\n');
    const r = nnlab(['train', '--spec', join(dir, 'spec.yaml'), '--lr', '0.25', '--json', '-']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).spec).toMatchObject({ activation: 'sigmoid', batches: 12, learningRate: 0.25 });
    expect(r.stderr).toMatch(/cost at the start of learning/);
  });

  it('says a given field the run does not read has no effect, and saves the run as the configuration without it (--init he --init-mean -0.1 trained silently as a configuration of its own)', () => {
    const db = join(tmp(), 'lab.sqlite');
    const base = ['train', '--db', db, '--no-progress', '--batches', '10', '--init', 'he'];
    const plain = nnlab(base);
    expect(plain.status).toBe(0);
    expect(plain.stderr).toBe('');
    const noted = nnlab([...base, '--init-mean', '-eps', '--eps', '0.3', '--momentum', '0.5']);
    expect(noted.status).toBe(0);
    expect(noted.stderr.split('\n').filter((l) => l.startsWith('nnlab: note:'))).toEqual([
      'nnlab: note: --eps (eps) has no effect on this run: init he does not read eps (only normal does)',
      'nnlab: note: --init-mean (initMean) has no effect on this run: init he does not read initMean (only normal does)',
      'nnlab: note: --momentum (momentum) has no effect on this run: optimizer sgd does not read momentum (only momentum does)',
    ]);
    // the same numbers, and one configuration of two runs
    const ends = (out: string) => out.match(/cost at the start of learning and [\d.]+ at the end/)![0];
    expect(ends(noted.stdout)).toBe(ends(plain.stdout));
    const runs = JSON.parse(nnlab(['runs', 'list', '--db', db, '--json']).stdout) as { configKey: string }[];
    expect(runs).toHaveLength(2);
    expect(new Set(runs.map((r) => r.configKey)).size).toBe(1);
    // a field the run reads, or one at its default, is no note
    expect(nnlab(['train', '--no-save', '--no-progress', '--batches', '5', '--init-mean', '-eps', '--init', 'he', '--eps', '0.1']).stderr).not.toMatch(/note: --eps/);
    expect(nnlab(['train', '--no-save', '--no-progress', '--batches', '5', '--init-mean', '-eps']).stderr).not.toMatch(/note:/);
  });

  const bad: [string, string[], RegExp][] = [
    ['an unknown option', ['--speed', '3'], /unknown option '--speed'/],
    ['a NaN learning rate', ['--lr', 'NaN'], /--lr: expected a number, got 'NaN'/],
    ['a negative learning rate', ['--lr', '-0.5'], /--lr \(learningRate\): must be more than 0$/m],
    ['batch 0', ['--batch', '0'], /--batch \(batchSize\): must be at least 1$/m],
    // found by trying (session 8): it trained, each batch holding the 50 samples ten times
    ['a batch larger than the training set', ['--task', 'circle', '--samples', '100', '--batch', '500'], /^nnlab: --batch \(batchSize\): a batch of 500 is more than task circle's training set of 50 samples \(trainFraction 0\.5 of 100 samples\), so each batch would hold samples twice: at most 50$/m],
    ['zero epochs', ['--task', 'spiral', '--epochs', '0'], /--epochs \(epochs\): must be more than 0$/m],
    ['a fractional batch', ['--batch', '2.5'], /--batch: expected a whole number/],
    ['an empty shape', ['--shape', ''], /--shape: expected widths/],
    ['a zero-width layer', ['--shape', '1,0,2'], /--shape \(shape\[1\]\): every layer needs at least 1 unit/],
    ['a shape that does not fit the task', ['--shape', '2,4,2'], /--shape \(shape\): task sincos needs 1 input/],
    ['an unknown activation', ['--activation', 'swish'], /--activation \(activation\): .*relu/],
    ['an activation in capitals', ['--activation', 'ReLU'], /^nnlab: --activation \(activation\): must be one of relu, .* \(did you mean relu\?\)$/m],
    ['an unknown optimizer', ['--optimizer', 'rmsprop'], /--optimizer \(optimizer\)/],
    ['an unknown task', ['--task', 'ring'], /--task \(task\): .*circle/],
    ['a 10^9-weight network', ['--shape', '1,31623,31623,2'], /--shape \(shape\): .* over the cap of 50,000,000 .*--max-weights/],
    ['a bad --max-weights', ['--max-weights', 'lots'], /--max-weights: expected a number/],
    ['a missing value', ['--lr'], /argument missing/],
    ['an unknown kernel', ['--kernel', 'cuda'], /--kernel: expected one of auto\|js\|wasm/],
    ['zero threads', ['--threads', '0'], /--threads: expected a whole number from 1 to 64, got '0'/],
    ['a fractional thread count', ['--threads', '1.5'], /--threads: /],
    ['a missing spec file', ['--spec', '/nonexistent/spec.json'], /\/nonexistent\/spec.json: no such file/],
  ];
  for (const [name, args, message] of bad) {
    it(`refuses ${name} with exit code 2 and a message naming it`, () => {
      const r = nnlab(['train', ...args]);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(3);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    });
  }

  it('refuses a spec file that is not JSON, or holds an invalid spec, naming the file and field', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'broken.json'), '{"shape": [1, 16');
    writeFileSync(join(dir, 'invalid.json'), '{"learningRate": "fast"}');
    writeFileSync(join(dir, 'list.json'), '[1, 2]');
    const broken = nnlab(['train', '--spec', join(dir, 'broken.json')]);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/broken\.json: not valid JSON/);
    const invalid = nnlab(['train', '--spec', join(dir, 'invalid.json')]);
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toMatch(/invalid\.json: learningRate: .*number/);
    const list = nnlab(['train', '--spec', join(dir, 'list.json')]);
    expect(list.status).toBe(2);
    expect(list.stderr).toMatch(/list\.json: a spec file holds one JSON\/YAML object/);
  });

  it('names the field a spec or sweep file meant by a flag’s name or a misspelling (it said only “lr: unknown field”)', () => {
    const dir = tmp();
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const said = (args: string[]) => {
      const r = nnlab(args);
      expect(r.status).toBe(2);
      return r.stderr;
    };
    expect(said(['train', '--spec', file('flags.json', '{"lr": 0.1}'), '--no-save'])).toBe(`nnlab: ${dir}/flags.json: lr: unknown field (did you mean learningRate? --lr is its flag; a file names the spec's fields)\n`);
    expect(said(['train', '--spec', file('dashed.yaml', 'init-mean: -eps\n'), '--no-save'])).toMatch(/: init-mean: unknown field \(did you mean initMean\? --init-mean is its flag; /);
    expect(said(['train', '--spec', file('typo.json', '{"activaton": "relu"}'), '--no-save'])).toMatch(/: activaton: unknown field \(did you mean activation\?\)\n$/);
    expect(said(['train', '--spec', file('far.json', '{"zzzz": 1}'), '--no-save'])).toMatch(/: zzzz: unknown field\n$/);
    expect(said(['sweep', '--spec', file('grid.yaml', 'grid:\n  lr: [0.1, 1]\n')])).toMatch(/: grid\.lr: unknown field \(did you mean learningRate\? --lr is its flag; /);
    expect(said(['sweep', '--spec', file('top.yaml', 'activation: relu\n')])).toMatch(/: activation: unknown field \(a sweep file’s spec fields go under base: or grid:\)\n$/);
    // a sweep file's own keys misspelt (session 6: 'gird: unknown field' and nothing more)
    expect(said(['sweep', '--spec', file('gird.yaml', 'gird:\n  learningRate: [0.1, 1]\n')])).toBe(`nnlab: ${dir}/gird.yaml: gird: unknown field (did you mean grid?)\n`);
    expect(said(['sweep', '--spec', file('replicate.yaml', 'grid:\n  learningRate: [0.1, 1]\nreplicate: 3\n')])).toMatch(/: replicate: unknown field \(did you mean replicates\?\)\n$/);
    expect(said(['sweep', '--spec', file('bsae.yaml', 'bsae:\n  batches: 10\n')])).toMatch(/: bsae: unknown field \(did you mean base\?\)\n$/);
  });

  it('lists the same kernel choices on every command that takes --kernel (serve listed auto|js|wasm, without wasm-fma it takes)', () => {
    const choices = (cmd: string[]) => /--kernel <name>\s+matrix kernels: ([a-z|-]+)/.exec(nnlab([...cmd, '--help']).stdout.replace(/\s+/g, ' '))?.[1];
    const all = choices(['train']);
    expect(all).toBe('auto|js|wasm|wasm-fma');
    for (const cmd of [['sweep'], ['serve'], ['time'], ['replay']]) expect(choices(cmd), cmd.join(' ')).toBe(all);
  });

  it('refuses an unknown command with exit code 2', () => {
    const r = nnlab(['trian']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'trian'/);
  });
});
