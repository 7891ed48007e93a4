/**
 * The two presets' readings, rendered from fixed runs (each preset's 40 runs trained in this
 * process from their fixed seeds and stored in a real SQLite file, as the lab stores them), with
 * every number in them recomputed here from the stored rows, diagnostics and series — by code that
 * shares nothing with analysis/findings or analysis/reading.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findings, type Findings, type RunFacts } from '../../src-main/analysis/findings';
import { PRESETS, type PresetName } from '../../src-main/analysis/presets';
import { readFindings } from '../../src-main/analysis/reading';
import { summarizeTiming } from '../../src-main/analysis/timing';
import { analyse, factsOf } from '../../src-main/cli/report';
import { openRunStore } from '../../src-main/db';
import { expandSweep, parseSweep } from '../../src-main/lab/sweep';
import { Trainer } from '../../src-main/trainer/trainer';

/** The preset's runs, trained and stored; the facts the page's comparison reads of them. */
function presetFacts(name: PresetName, over: Record<string, unknown> = {}): RunFacts[] {
  return sweepFacts({ ...PRESETS[name].sweep, base: { ...PRESETS[name].sweep.base, ...over } });
}

/** A sweep's runs, trained in this process from their fixed seeds and stored in a real SQLite file. */
function sweepFacts(sweep: Parameters<typeof parseSweep>[0]): RunFacts[] {
  const store = openRunStore(join(mkdtempSync(join(tmpdir(), 'nnlab-reading-')), 'lab.sqlite'));
  const def = parseSweep(sweep);
  const specs = expandSweep(def).map((c) => c.spec);
  const ids = store.createRuns(specs);
  ids.forEach((id, i) => {
    const t = new Trainer(specs[i]);
    t.run(specs[i].batches);
    store.finishRun(id, t.result());
  });
  const facts = factsOf(store, store.listRuns({ order: 'oldest' }));
  store.close();
  return facts;
}

// ---- independent arithmetic (nothing from src-main/analysis)

const r2 = (f: RunFacts) => 1 - (f.run.testMse as number) / (f.run.baselineMse as number);
const cls = (f: RunFacts, at = 0.9) => (f.run.status === 'diverged' || f.run.testMse === null ? 'diverged' : r2(f) >= at ? 'learned' : r2(f) > 0 ? 'underfit' : 'learned nothing');
function wilson(k: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z / d) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [Math.max(0, c - h), Math.min(1, c + h)];
}
function med(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const pct = (x: number) => `${Math.round(100 * x)} %`;
/** The readings' number format: 3 significant digits, true minus. */
const n3 = (x: number) => (x === 0 ? '0' : String(Number(x.toPrecision(3))).replace('-', '−'));
const outputDead = (f: RunFacts, when: 'atInit' | 'atEnd') => {
  const d = f.run.diagnostics![when].dead;
  return d[d.length - 1] as number[];
};
const hiddenDead = (f: RunFacts, when: 'atInit' | 'atEnd') => f.run.diagnostics![when].dead.slice(0, -1).reduce((a, l) => a + l.length, 0);
/** Batches until the mean of the last 10 batch MSEs is ≤ target. */
function toTarget(f: RunFacts, target: number): number | null {
  const c = Array.from(f.series.cost!.data as Float64Array, (v) => v / f.run.spec.batchSize);
  for (let i = 9; i < c.length; i++) if (c.slice(i - 9, i + 1).reduce((a, b) => a + b, 0) / 10 <= target) return i + 1;
  return null;
}
/** Median over its checkpoints after batch 0 of the first layer's gradient norm. */
function hiddenGrad(f: RunFacts): number {
  const g = f.series.gradNorms!;
  const layers = g.shape![1];
  const rows = g.shape![0];
  const xs: number[] = [];
  for (let k = 1; k < rows; k++) xs.push(g.data[k * layers] as number);
  return med(xs);
}
/** The first checkpoint at which output u is non-zero somewhere on the test grid. */
function revivedAt(f: RunFacts, u: number): number | null {
  const e = f.series.estimates!;
  const [k, points, outs] = e.shape!;
  for (let c = 0; c < k; c++) for (let p = 0; p < points; p++) if (e.data[(c * points + p) * outs + u] !== 0) return f.series.checkpointBatches!.data[c] as number;
  return null;
}

function classesText(fs: RunFacts[]): string {
  const n = fs.length;
  const count = (c: string) => fs.filter((f) => cls(f) === c).length;
  const part = (c: string) => {
    const [lo, hi] = wilson(count(c), n);
    return `${count(c)} ${c} (${pct(lo)}–${pct(hi)})`;
  };
  return `${['learned', 'underfit', 'learned nothing'].map(part).join(', ')} of ${n}`;
}

/**
 * An honest timing of the first configurations of `facts` (one per configuration key, in order):
 * 10 repeats each of wall time walls[i] ms, reaching the target (after 0.3 ms, at batch 64) where
 * `reaches(i)`.
 */
function honestTiming(facts: readonly { run: { configKey: string; spec: unknown } }[], walls: number[], reaches: (i: number) => boolean) {
  const keys = [...new Set(facts.map((x) => x.run.configKey))];
  const config = (i: number, wall: number) => ({
    spec: facts.find((x) => x.run.configKey === keys[i])!.run.spec,
    kernel: 'js',
    batchesRun: 300,
    costsIdentical: true,
    repeats: Array.from({ length: 10 }, (_, r) => ({ usPerSample: { forward: 0.1, backward: 0.05, update: 0.01 }, wallMs: wall + r * 0.01, msToTarget: reaches(i) ? 0.3 : null, batchesToTarget: reaches(i) ? 64 : null, status: 'done', finalCost: 0.1 })),
  });
  return { keys, measurement: { configs: walls.map((w, i) => config(i, w)), repeats: 10, warmup: 2, targetMse: 0.01, clockOverheadUs: 0.05, totalMs: 100 } };
}

describe('analysis/reading of the init-mean preset', () => {
  let facts: RunFacts[];
  let text: string[];
  let zero: RunFacts[];
  let minus: RunFacts[];

  beforeAll(() => {
    facts = presetFacts('init-mean');
    text = readFindings(findings(facts, { names: new Map(facts.map((f) => [f.run.configKey, f.run.spec.initMean === 0 ? 'mean 0' : 'mean −eps'])) })).paragraphs;
    zero = facts.filter((f) => f.run.spec.initMean === 0);
    minus = facts.filter((f) => f.run.spec.initMean < 0);
  });

  it('states every class of both configurations with its Wilson interval', () => {
    expect(zero).toHaveLength(20);
    expect(text[0]).toContain(`r² = 1 − test MSE / ${n3(facts[0].run.baselineMse!)}, the best constant predictor’s MSE`);
    expect(text[0]).toContain(`mean 0: ${classesText(zero)}; mean −eps: ${classesText(minus)}.`);
  });

  it('gives each class’s r² range and the median test MSE', () => {
    const range = (fs: RunFacts[], c: string) => {
      const xs = fs.filter((f) => cls(f) === c).map(r2);
      const lo = Math.min(...xs);
      const hi = Math.max(...xs);
      return xs.length > 1 && lo !== hi ? `${c} ${n3(lo)} to ${n3(hi)}` : `${c} ${n3(lo)}`;
    };
    const classes = (fs: RunFacts[]) => ['learned', 'underfit', 'learned nothing'].filter((c) => fs.some((f) => cls(f) === c)).map((c) => range(fs, c)).join(', ');
    expect(text[1]).toBe(
      `r² by class, for the same 300 batches: mean 0: ${classes(zero)}; median test MSE ${n3(med(zero.map((f) => f.run.testMse!)))}; mean −eps: ${classes(minus)}; median test MSE ${n3(med(minus.map((f) => f.run.testMse!)))} (the best constant predictor’s MSE is ${n3(facts[0].run.baselineMse!)}).`,
    );
  });

  it('counts dead output units at init among the runs that learned and those that did not, which came back and when, with the base rate', () => {
    const dead = text[2];
    for (const [name, fs] of [
      ['mean 0', zero],
      ['mean −eps', minus],
    ] as const) {
      const withDead = fs.filter((f) => outputDead(f, 'atInit').length > 0);
      const by = (c: string) => withDead.filter((f) => cls(f) === c).length;
      const classes = ['learned', 'underfit', 'learned nothing'].filter((c) => by(c) > 0).map((c) => `${by(c)} ${c}`);
      const list = classes.length > 1 ? `${classes.slice(0, -1).join(', ')} and ${classes[classes.length - 1]}` : classes[0];
      let s = `${name}: ${withDead.length} of 20 runs had an output unit dead at init (${list})`;
      const back = withDead.flatMap((f) => outputDead(f, 'atInit').filter((u) => !outputDead(f, 'atEnd').includes(u)).map((u) => ({ f, u })));
      const backRuns = new Set(back.map((b) => b.f.run.id)).size;
      if (back.length) {
        const at = back.map(({ f, u }) => revivedAt(f, u)!).sort((a, b) => a - b);
        const when = at.length > 1 ? `${at.slice(0, -1).join(', ')} and ${at[at.length - 1]}` : String(at[0]);
        s += `; in ${backRuns} of them the unit came back (by batch ${when})`;
      } else s += '; none came back';
      const all = withDead.filter((f) => outputDead(f, 'atInit').length === 2).length;
      if (all) s += `; ${all} had every output unit dead, so no gradient reached any layer (a gradient norm of 0) and nothing moved`;
      const alive = fs.filter((f) => outputDead(f, 'atInit').length === 0);
      if (alive.length) s += `. Of the ${alive.length} run${alive.length === 1 ? '' : 's'} without one, ${alive.filter((f) => cls(f) === 'learned nothing').length} learned nothing`;
      expect(dead).toContain(`${s}.`);
    }
    // the runs with every output dead at init really had no gradient anywhere
    for (const f of facts.filter((x) => outputDead(x, 'atInit').length === 2)) expect(Array.from(f.series.gradNorms!.data as Float64Array).slice(2).every((g) => g === 0)).toBe(true);
    // the rule: every run that learned nothing ended with a dead output unit, and no other run did
    const nothing = facts.filter((f) => cls(f) === 'learned nothing');
    const endDead = facts.filter((f) => outputDead(f, 'atEnd').length > 0);
    expect(endDead.every((f) => cls(f) === 'learned nothing')).toBe(true);
    expect(dead).toContain(`${nothing.filter((f) => outputDead(f, 'atEnd').length > 0).length} of the ${nothing.length} run${nothing.length === 1 ? '' : 's'} that learned nothing ended with an output unit dead, and none of those that learned did.`);
    const initDead = facts.filter((f) => outputDead(f, 'atInit').length > 0);
    const revived = initDead.filter((f) => outputDead(f, 'atInit').some((u) => !outputDead(f, 'atEnd').includes(u))).length;
    expect(dead).toContain(
      `a run learned nothing exactly when an output unit was still dead at the end; a dead output unit at init made that likely (${initDead.filter((f) => cls(f) === 'learned nothing').length} of ${initDead.length}), not certain (${revived} came back).`,
    );
    expect(dead).toContain(`Dead hidden units at init → at the end (median over the runs, of 16): mean 0 ${n3(med(zero.map((f) => hiddenDead(f, 'atInit'))))} → ${n3(med(zero.map((f) => hiddenDead(f, 'atEnd'))))}, mean −eps ${n3(med(minus.map((f) => hiddenDead(f, 'atInit'))))} → ${n3(med(minus.map((f) => hiddenDead(f, 'atEnd'))))}`);
  });

  it('states the paired result, the batches to MSE 0.01 and the hidden-layer gradients from the runs', () => {
    const paired = text.find((p) => p.startsWith('Paired by seed'))!;
    const diffs = zero.map((a) => {
      const b = minus.find((x) => x.run.initSeed === a.run.initSeed && x.run.dataSeed === a.run.dataSeed)!;
      return a.run.testMse! - b.run.testMse!;
    });
    const wins = diffs.filter((d) => d < 0).length;
    const losses = diffs.filter((d) => d > 0).length;
    expect(paired).toContain(`mean 0 ends with the lower test MSE in ${wins} of 20 pairs, mean −eps in ${losses}${20 - wins - losses ? ` (${20 - wins - losses} ties)` : ''}.`);
    const target = text.find((p) => p.startsWith('Reaching MSE 0.01 in training'))!;
    const reached = zero.map((f) => toTarget(f, 0.01)).filter((x): x is number => x !== null);
    expect(target).toContain(`mean 0 in ${reached.length} of 20 runs, at a median batch ${n3(med(reached))}`);
    expect(target).toContain(`mean −eps in none of 20 within 300 batches`);
    const grad = text.find((p) => p.startsWith('Gradient norm'))!;
    const gz = zero.map(hiddenGrad);
    const gm = minus.map(hiddenGrad);
    expect(grad).toContain(`mean 0 ${n3(med(gz))} (${gz.filter((g) => g === 0).length} of 20 runs at 0), mean −eps ${n3(med(gm))} (${gm.filter((g) => g === 0).length} of 20 runs at 0)`);
  });

  it('names its one speed figure, sampled timing here, and says so', () => {
    const speed = text.filter((p) => p.startsWith('Speed ('));
    expect(speed).toHaveLength(1);
    expect(speed[0]).toMatch(/^Speed \(sampled timing: the runs’ own training times/);
    const a = med(zero.map((f) => f.run.trainMs!));
    const b = med(minus.map((f) => f.run.trainMs!));
    // the runs' own times, with why they are no race: a ratio of them blamed the configuration for
    // the trainer processes' warm-up ('mean 0 takes 3.8× the wall time of mean −eps'; honest timing: the same speed)
    expect(speed[0]).toBe(
      `Speed (sampled timing: the runs’ own training times, taken while other runs trained beside them; a sweep’s first runs also carry the trainer processes’ warm-up, so this is no fair comparison of the configurations’ speed; honest timing is: nnlab time, or “Time these configs” on the Compare page): median per run mean 0 ${n3(a)} ms, mean −eps ${n3(b)} ms.`,
    );
    expect(speed[0]).not.toMatch(/×/);
  });

  it('speaks MSE per sample only: the seed’s cost appears nowhere', () => {
    expect(text.join(' ')).not.toMatch(/\bcost\b/);
  });
});

describe('analysis/reading of the relu-vs-sigmoid preset', () => {
  let facts: RunFacts[];
  let relu: RunFacts[];
  let sigmoid: RunFacts[];
  let keys: string[];
  const nameMap = () => new Map(facts.map((f) => [f.run.configKey, f.run.spec.activation as string]));
  /** An honest timing of the two configurations (fixed numbers: what the reading says of it is the point). */
  const timing = () => {
    const config = (i: number, wall: number, toTarget: number | null) => ({
      spec: facts.find((f) => f.run.configKey === keys[i])!.run.spec,
      kernel: 'js',
      batchesRun: 300,
      costsIdentical: true,
      repeats: Array.from({ length: 10 }, (_, r) => ({ usPerSample: { forward: 0.1, backward: 0.05, update: 0.01 }, wallMs: wall + r * 0.01, msToTarget: toTarget, batchesToTarget: toTarget === null ? null : 64, status: 'done', finalCost: 0.1 })),
    });
    const measurement = { configs: [config(0, 1.5, 0.31), config(1, 4.2, null)], repeats: 10, warmup: 2, targetMse: 0.01, clockOverheadUs: 0.05, totalMs: 100 };
    return { summary: summarizeTiming(measurement as never), configKeys: keys };
  };
  beforeAll(() => {
    facts = presetFacts('relu-vs-sigmoid');
    keys = [...new Set(facts.map((f) => f.run.configKey))];
    relu = facts.filter((f) => f.run.spec.activation === 'relu');
    sigmoid = facts.filter((f) => f.run.spec.activation === 'sigmoid');
  });

  it('puts the outcome classes side by side: relu learns or learns nothing, sigmoid underfits, a nearly flat fit', () => {
    const text = readFindings(findings(facts, { names: nameMap() })).paragraphs;
    expect(text[0]).toContain(`relu: ${classesText(relu)}; sigmoid: ${classesText(sigmoid)}.`);
    const best = Math.max(...sigmoid.map(r2));
    expect(text[1]).toContain(`sigmoid: underfit ${n3(Math.min(...sigmoid.map(r2)))} to ${n3(best)} (a nearly flat fit: at best ${pct(best)} of the constant predictor’s error removed)`);
  });

  it('says the paired result as the paired panel does, with the wins counted from the pairs', () => {
    const f = findings(facts, { names: nameMap() });
    const paired = readFindings(f).paragraphs.find((p) => p.startsWith('Paired by seed'))!;
    const diffs = relu.map((a) => a.run.testMse! - sigmoid.find((b) => b.run.initSeed === a.run.initSeed)!.run.testMse!);
    expect(paired).toContain(`relu ends with the lower test MSE in ${diffs.filter((d) => d < 0).length} of 20 pairs, sigmoid in ${diffs.filter((d) => d > 0).length}.`);
    // bimodal relu against flat sigmoid: the median difference's interval spans 0, and the reading does not claim a winner
    expect(paired).toMatch(/includes 0: over these 20 pairs neither configuration clearly ends lower/);
  });

  it('states the hidden-layer gradients, their ratio, and why sigmoid’s are small', () => {
    const text = readFindings(findings(facts, { names: nameMap() })).paragraphs;
    const grad = text.find((p) => p.startsWith('Gradient norm'))!;
    const gr = med(relu.map(hiddenGrad));
    const gs = med(sigmoid.map(hiddenGrad));
    expect(grad).toContain(`relu ${n3(gr)}`);
    expect(grad).toContain(`sigmoid ${n3(gs)} — ${n3(gr / gs)}× smaller for sigmoid: a sigmoid’s slope is at most 1/4`);
    const target = text.find((p) => p.startsWith('Reaching MSE 0.01'))!;
    const reached = relu.map((f) => toTarget(f, 0.01)).filter((x): x is number => x !== null);
    expect(target).toBe(`Reaching MSE 0.01 in training (the first batch where the mean of the last 10 is at or below it): relu in ${reached.length} of 20 runs, at a median batch ${n3(med(reached))}; sigmoid in none of 20 within 300 batches.`);
  });

  it('gives one speed figure, the honest timing’s when there is one, named as such', () => {
    const text = readFindings(findings(facts, { names: nameMap(), timing: timing() })).paragraphs;
    const speed = text.filter((p) => p.startsWith('Speed ('));
    expect(speed).toHaveLength(1);
    // medians of 1.5 + 0.00…0.09 and 4.2 + 0.00…0.09 over 10 repeats: 1.545 and 4.245
    const a = med(Array.from({ length: 10 }, (_, r) => 1.5 + r * 0.01));
    const b = med(Array.from({ length: 10 }, (_, r) => 4.2 + r * 0.01));
    expect(speed[0]).toBe(
      `Speed (honest timing: 10 interleaved repeats after warm-up, one seed per configuration, run alone in the lab): sigmoid takes ${n3(b / a)}× the wall time of relu per run (median ${n3(b)} ms against ${n3(a)} ms); relu reaches MSE 0.01 after 0.31 ms (batch 64), sigmoid does not reach MSE 0.01 within 300 batches.`,
    );
    // a quiet machine (load average at most ¾ of the cpus) is not remarked on
    const quiet = readFindings(findings(facts, { names: nameMap(), timing: { ...timing(), environment: { cpus: 2, loadAverage: { start: 1.5, end: 1.2 } } } })).paragraphs;
    expect(quiet.find((p) => p.startsWith('Speed ('))).toBe(speed[0]);
  });

  it('says beside the honest timing’s ratio when the machine was busy, as the timing panel does (it gave 1.5× to 4× on a loaded machine without a word)', () => {
    const busy = { cpus: 2, loadAverage: { start: 14.05, end: 12 } };
    const speed = readFindings(findings(facts, { names: nameMap(), timing: { ...timing(), environment: busy } })).paragraphs.find((p) => p.startsWith('Speed ('))!;
    expect(speed).toMatch(/^Speed \(honest timing: 10 interleaved repeats after warm-up, one seed per configuration, run alone in the lab; the machine was busy, load average 14\.1 on 2 cpus, so these figures are rougher than on a quiet one\): sigmoid takes /);
  });

  it('offers 10× the batches, and once those runs exist says what more steps did', () => {
    const before = readFindings(findings(facts, { names: nameMap() }));
    expect(before.offerBatches).toBe(3000);
    expect(before.paragraphs[before.paragraphs.length - 1]).toMatch(/train these configurations with 10× the batches \(3000\), same seeds/);
    const longer = presetFacts('relu-vs-sigmoid', { batches: 3000 });
    const all = [...facts, ...longer];
    const after = readFindings(findings(all, { names: new Map(all.map((f) => [f.run.configKey, f.run.spec.activation as string])) }));
    expect(after.offerBatches).toBeNull();
    const more = after.paragraphs.find((p) => p.startsWith('With 10× the batches'))!;
    const lr = longer.filter((f) => f.run.spec.activation === 'relu');
    const ls = longer.filter((f) => f.run.spec.activation === 'sigmoid');
    const plain = (fs: RunFacts[]) => `${['learned', 'underfit', 'learned nothing'].map((c) => `${fs.filter((f) => cls(f) === c).length} ${c}`).join(', ')} of ${fs.length}`;
    expect(more).toBe(`With 10× the batches (3000): relu: ${plain(lr)}, median test MSE ${n3(med(lr.map((f) => f.run.testMse!)))}; sigmoid: ${plain(ls)}, median test MSE ${n3(med(ls.map((f) => f.run.testMse!)))}.`);
    // named as the CLI names them (the differing fields, batches included), each longer group by its own name: it read 'activation=relu batches=300: 12 learned…' of the 3000-batch runs
    const cli = readFindings(findings(all)).paragraphs.find((p) => p.startsWith('With 10× the batches'))!;
    expect(cli).toBe(
      `With 10× the batches (3000): activation=relu batches=3000: ${plain(lr)}, median test MSE ${n3(med(lr.map((f) => f.run.testMse!)))}; activation=sigmoid batches=3000: ${plain(ls)}, median test MSE ${n3(med(ls.map((f) => f.run.testMse!)))}.`,
    );
    // the 300-batch comparison is still what the first paragraphs read
    expect(after.paragraphs[0]).toContain(`relu: ${classesText(relu)}`);
  });
});

describe('analysis/reading of a sweep: across its configurations, not a paragraph each', () => {
  let facts: RunFacts[];
  let text: string[];
  /** The configurations in order of first appearance, with their runs, as config-diff names them. */
  let configs: { name: string; activation: string; initMean: number; runs: RunFacts[] }[];

  beforeAll(() => {
    facts = sweepFacts({ base: {}, grid: { activation: ['relu', 'tanh', 'sigmoid'], initMean: [0, '-eps'] }, replicates: 4 });
    text = readFindings(findings(facts)).paragraphs;
    configs = [];
    for (const f of facts) {
      const { activation, initMean } = f.run.spec;
      let c = configs.find((x) => x.activation === activation && x.initMean === initMean);
      if (!c) configs.push((c = { name: `activation=${activation} initMean=${initMean}`, activation, initMean, runs: [] }));
      c.runs.push(f);
    }
  });

  const count = (fs: RunFacts[], c: string) => fs.filter((f) => cls(f) === c).length;
  const failed = (fs: RunFacts[]) => count(fs, 'learned nothing') + count(fs, 'diverged');
  const share = (k: number, n: number) => `${Math.round((100 * k) / n)} %`;

  it('totals every class over the configurations, with the configurations where every seed learned', () => {
    expect(configs).toHaveLength(6);
    const n = facts.length;
    const learned = count(facts, 'learned');
    const underfit = count(facts, 'underfit');
    const nothing = failed(facts);
    const all = configs.filter((c) => count(c.runs, 'learned') === c.runs.length);
    const every = all.length ? `every seed learned in ${all.length} configuration${all.length === 1 ? '' : 's'}${all.length <= 3 ? ` (${all.map((c) => c.name).join('; ')})` : ''}` : 'no configuration learned on every seed';
    // underfit runs are counted too: before, 'learned' and 'learned nothing' left the sigmoid runs out of the total's parts
    expect(underfit).toBeGreaterThan(0);
    expect(text[0]).toBe(
      `Over 6 configurations and ${n} runs with an outcome (learned: r² ≥ 0.9): ${learned} learned (${share(learned, n)}), ${underfit} underfit (${share(underfit, n)}), ${nothing} learned nothing or diverged (${share(nothing, n)}); ${every}.`,
    );
  });

  it('says which fields matter: the share that learned at each value, the largest spread first', () => {
    const effect = (field: 'activation' | 'initMean') => {
      const values = [...new Set(configs.map((c) => c[field]))];
      const shares = values.map((v) => {
        const fs = configs.filter((c) => c[field] === v).flatMap((c) => c.runs);
        return { v, k: count(fs, 'learned'), n: fs.length };
      });
      const spread = Math.max(...shares.map((s) => s.k / s.n)) - Math.min(...shares.map((s) => s.k / s.n));
      return { spread, text: `${field} ${shares.map((s) => `${s.v} ${share(s.k, s.n)}`).join(', ')}` };
    };
    const effects = [effect('activation'), effect('initMean')].sort((a, b) => b.spread - a.spread);
    expect(text[1]).toBe(`Share of runs that learned by field, largest effect first: ${effects.map((e) => e.text).join('; ')}.`);
  });

  it('ties the relu runs that learned nothing to dead output units, with the base rate at init', () => {
    const relu = facts.filter((f) => f.run.spec.activation === 'relu');
    const nothing = relu.filter((f) => cls(f) === 'learned nothing');
    const initDead = relu.filter((f) => outputDead(f, 'atInit').length > 0);
    expect(text).toContain(
      `Of the ${nothing.length} relu runs that learned nothing, ${nothing.filter((f) => outputDead(f, 'atEnd').length > 0).length} ended with an output unit dead (a relu output below 0 at every input: it outputs 0 and gets no gradient); ${initDead.length} relu runs had one dead at init, and ${initDead.filter((f) => cls(f) === 'learned nothing').length} of those learned nothing.`,
    );
  });

  it('names the configurations that mostly underfit and those where runs fail most, and offers more steps', () => {
    const under = configs.filter((c) => 2 * count(c.runs, 'underfit') >= c.runs.length);
    expect(under.map((c) => c.activation)).toEqual(['sigmoid', 'sigmoid']);
    expect(text).toContain(`Mostly underfit (better than a constant, short of learned): ${under.map((c) => `${c.name} (${count(c.runs, 'underfit')} of ${c.runs.length}, median r² ${n3(med(c.runs.map(r2)))})`).join('; ')}.`);
    const failing = configs
      .filter((c) => failed(c.runs) > 0)
      .sort((a, b) => failed(b.runs) / b.runs.length - failed(a.runs) / a.runs.length)
      .slice(0, 3);
    expect(text).toContain(`Where runs fail most: ${failing.map((c) => `${c.name} (${failed(c.runs)} of ${c.runs.length} learned nothing or diverged)`).join('; ')}.`);
    expect(text[text.length - 1]).toBe('Underfit runs may only need more steps: train these configurations with 10× the batches (3000), same seeds, to see.');
    // one reading across the sweep: no paragraph per configuration, no paired comparison of two
    expect(text.some((p) => p.startsWith('Outcomes (') || p.startsWith('Paired by seed'))).toBe(false);
  });
});

// ---- classification: the same readings in its own score (skill, test accuracy, test error), never MSE or r²

/** skill = (accuracy − m) / (1 − m), m what answering the training set's majority class scores on the run's test points. */
const skill = (f: RunFacts) => ((f.run.testAccuracy as number) - (f.run.majorityShare as number)) / (1 - (f.run.majorityShare as number));
const clsK = (f: RunFacts, at = 0.9) => (f.run.status === 'diverged' || f.run.testAccuracy === null ? 'diverged' : skill(f) >= at - 1e-12 ? 'learned' : skill(f) > 0 ? 'underfit' : 'learned nothing');
const pc = (x: number) => `${n3(100 * x)} %`;
/** Hidden layers (1-based) with every unit dead. */
const wholeDead = (f: RunFacts, when: 'atInit' | 'atEnd') =>
  f.run.spec.shape.slice(1, -1).flatMap((units, l) => ((f.run.diagnostics![when].dead[l] as number[]).length === units ? [l + 1] : []));
function classesTextK(fs: RunFacts[]): string {
  const count = (c: string) => fs.filter((f) => clsK(f) === c).length;
  return `${['learned', 'underfit', 'learned nothing'].map((c) => `${count(c)} ${c} (${pct(wilson(count(c), fs.length)[0])}–${pct(wilson(count(c), fs.length)[1])})`).join(', ')} of ${fs.length}`;
}
const andList = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);
const byClass = (fs: RunFacts[]) => andList(['learned', 'underfit', 'learned nothing', 'diverged'].filter((c) => fs.some((f) => clsK(f) === c)).map((c) => `${fs.filter((f) => clsK(f) === c).length} ${c}`));
const span = (xs: number[]) => (xs.length > 1 && n3(Math.min(...xs)) !== n3(Math.max(...xs)) ? `${n3(Math.min(...xs))} to ${n3(Math.max(...xs))}` : n3(xs[0]));

describe('analysis/reading of the circle-init-mean preset (classification)', () => {
  let facts: RunFacts[];
  let text: string[];
  let zero: RunFacts[];
  let minus: RunFacts[];

  beforeAll(() => {
    facts = presetFacts('circle-init-mean');
    text = readFindings(findings(facts, { names: new Map(facts.map((f) => [f.run.configKey, f.run.spec.initMean === 0 ? 'mean 0' : 'mean −eps'])) })).paragraphs;
    zero = facts.filter((f) => f.run.spec.initMean === 0);
    minus = facts.filter((f) => f.run.spec.initMean < 0);
  });

  it('judges by skill on the held-out points, with the majority baseline of every run’s own test set', () => {
    expect(zero).toHaveLength(20);
    expect(facts.every((f) => f.run.kind === 'classification' && f.run.spec.task === 'circle')).toBe(true);
    const shares = facts.map((f) => f.run.majorityShare!);
    // a test set per data seed: the baseline is a range, not the first run's
    expect(Math.min(...shares)).toBeLessThan(Math.max(...shares));
    expect(text[0]).toContain(`skill = (test accuracy − m) / (1 − m), m what always answering the training set’s majority class scores on the held-out test points (m ${pc(Math.min(...shares))} to ${pc(Math.max(...shares))} over the runs’ test sets); learned: skill ≥ 0.9`);
    expect(text[0]).toContain(`mean 0: ${classesTextK(zero)}; mean −eps: ${classesTextK(minus)}.`);
  });

  it('gives each class’s skill range and the median test accuracy with its range', () => {
    const classes = (fs: RunFacts[]) =>
      ['learned', 'underfit', 'learned nothing'].filter((c) => fs.some((f) => clsK(f) === c)).map((c) => `${c} ${span(fs.filter((f) => clsK(f) === c).map(skill))}`).join(', ');
    const acc = (fs: RunFacts[]) => {
      const xs = fs.map((f) => f.run.testAccuracy!);
      return `median test accuracy ${pc(med(xs))} (${pc(Math.min(...xs))} to ${pc(Math.max(...xs))})`;
    };
    expect(text[1]).toBe(`Skill by class, for the same 300 batches: mean 0: ${classes(zero)}; ${acc(zero)}; mean −eps: ${classes(minus)}; ${acc(minus)}.`);
  });

  it('names an honest timing’s target in the runs’ loss (it read “reaches a loss of 0.01 per sample” of cross-entropy runs)', () => {
    const { keys, measurement } = honestTiming(facts, [1.5, 1.5], (i) => i === 0);
    const names = new Map(facts.map((f) => [f.run.configKey, f.run.spec.initMean === 0 ? 'mean 0' : 'mean −eps']));
    const speed = readFindings(findings(facts, { names, timing: { summary: summarizeTiming(measurement as never), configKeys: keys } })).paragraphs.find((p) => p.startsWith('Speed ('))!;
    expect(speed).toContain('; mean 0 reaches cross-entropy 0.01 per sample after 0.3 ms (batch 64), mean −eps does not reach cross-entropy 0.01 per sample within 300 batches.');
  });

  it('ties the failures to whole hidden layers dead at init, counted per configuration, with what their skill means', () => {
    const dead = text.find((p) => p.startsWith('A relu hidden layer with every unit dead'))!;
    expect(dead).toBeDefined();
    // softmax outputs never die: no sentence about dead output units
    expect(dead).not.toMatch(/output unit/);
    const withLayer = minus.filter((f) => wholeDead(f, 'atInit').length > 0);
    expect(withLayer.length).toBeGreaterThan(0);
    for (const [name, fs] of [
      ['mean 0', zero],
      ['mean −eps', minus],
    ] as const) {
      const atInit = fs.filter((f) => wholeDead(f, 'atInit').length > 0);
      const atEnd = fs.filter((f) => wholeDead(f, 'atEnd').length > 0);
      let s = `${name}: ${atInit.length} of 20 runs had a hidden layer wholly dead at init`;
      if (atInit.length) {
        const layers = [1, 2].filter((l) => atInit.some((f) => wholeDead(f, 'atInit').includes(l))).map((l) => `layer ${l} of 8 units in ${atInit.filter((f) => wholeDead(f, 'atInit').includes(l)).length}`);
        s += ` (${andList(layers)}; ${byClass(atInit)})`;
      }
      s += `, ${atEnd.length} at the end`;
      if (atEnd.length) s += ` (${byClass(atEnd)}); their skill: ${span(atEnd.map(skill))}`;
      expect(dead).toContain(`${s}.`);
      // a wholly dead layer never comes back under plain SGD without a penalty: no gradient reaches it
      expect(atInit.every((f) => wholeDead(f, 'atEnd').length > 0)).toBe(true);
    }
    // every run that ended with a dead layer is a constant answer: no better than about the baseline, whatever its class
    for (const f of facts.filter((x) => wholeDead(x, 'atEnd').length > 0)) expect(skill(f)).toBeLessThan(0.2);
    const hidden = (fs: RunFacts[], when: 'atInit' | 'atEnd') => n3(med(fs.map((f) => hiddenDead(f, when))));
    expect(dead).toContain(`Dead hidden units at init → at the end (median over the runs, of 16): mean 0 ${hidden(zero, 'atInit')} → ${hidden(zero, 'atEnd')}, mean −eps ${hidden(minus, 'atInit')} → ${hidden(minus, 'atEnd')}`);
  });

  it('pairs the runs on test error (1 − accuracy), reaches a cross-entropy target, and counts zero gradients', () => {
    const paired = text.find((p) => p.startsWith('Paired by seed'))!;
    expect(paired).toMatch(/^Paired by seed \(test error, 1 − accuracy\): /);
    const diffs = zero.map((a) => {
      const b = minus.find((x) => x.run.initSeed === a.run.initSeed && x.run.dataSeed === a.run.dataSeed)!;
      return 1 - a.run.testAccuracy! - (1 - b.run.testAccuracy!);
    });
    const wins = diffs.filter((d) => d < 0).length;
    const losses = diffs.filter((d) => d > 0).length;
    expect(paired).toContain(`mean 0 ends with the lower test error in ${wins} of 20 pairs, mean −eps in ${losses}${20 - wins - losses ? ` (${20 - wins - losses} ties)` : ''}.`);
    const target = text.find((p) => p.startsWith('Reaching cross-entropy 0.01 per sample in training'))!;
    const part = (name: string, fs: RunFacts[]) => {
      const reached = fs.map((f) => toTarget(f, 0.01)).filter((x): x is number => x !== null);
      return reached.length ? `${name} in ${reached.length} of 20 runs, at a median batch ${n3(med(reached))}` : `${name} in none of 20 within 300 batches`;
    };
    expect(target).toContain(`${part('mean 0', zero)}; ${part('mean −eps', minus)}.`);
    const grad = text.find((p) => p.startsWith('Gradient norm'))!;
    const gz = zero.map(hiddenGrad);
    const gm = minus.map(hiddenGrad);
    const zeros = (g: number[]) => (g.some((x) => x === 0) ? ` (${g.filter((x) => x === 0).length} of 20 runs at 0)` : '');
    expect(grad).toContain(`mean 0 ${n3(med(gz))}${zeros(gz)}, mean −eps ${n3(med(gm))}${zeros(gm)}`);
    // the runs with a layer dead from init have no gradient in the first hidden layer at all
    for (const f of minus.filter((x) => wholeDead(x, 'atInit').length)) expect(hiddenGrad(f)).toBe(0);
  });

  it('speaks the classification’s units only: no test MSE, no r², no cost', () => {
    const all = text.join(' ');
    expect(all).not.toMatch(/MSE|r²|\bcost\b/);
  });
});

describe('analysis/reading of the spiral-relu-vs-sigmoid preset (classification)', () => {
  let facts: RunFacts[];
  let text: string[];
  let relu: RunFacts[];
  let sigmoid: RunFacts[];

  beforeAll(() => {
    // 6 of the preset's 20 seeds: the same configurations, fewer runs to train in a test
    facts = sweepFacts({ ...PRESETS['spiral-relu-vs-sigmoid'].sweep, replicates: 6 });
    text = readFindings(findings(facts, { names: new Map(facts.map((f) => [f.run.configKey, f.run.spec.activation as string])) })).paragraphs;
    relu = facts.filter((f) => f.run.spec.activation === 'relu');
    sigmoid = facts.filter((f) => f.run.spec.activation === 'sigmoid');
  });

  it('puts the classes side by side: relu learns spiral in most seeds, sigmoid underfits it in every one', () => {
    expect(text[0]).toContain(`relu: ${classesTextK(relu)}; sigmoid: ${classesTextK(sigmoid)}.`);
    expect(relu.filter((f) => clsK(f) === 'learned').length).toBeGreaterThan(relu.length / 2);
    expect(sigmoid.every((f) => clsK(f) === 'underfit')).toBe(true);
  });

  it('says the paired result on test error with the wins counted from the pairs', () => {
    const paired = text.find((p) => p.startsWith('Paired by seed (test error, 1 − accuracy)'))!;
    const diffs = relu.map((a) => 1 - a.run.testAccuracy! - (1 - sigmoid.find((b) => b.run.initSeed === a.run.initSeed)!.run.testAccuracy!));
    expect(paired).toContain(`relu ends with the lower test error in ${diffs.filter((d) => d < 0).length} of 6 pairs, sigmoid in ${diffs.filter((d) => d > 0).length}.`);
  });

  it('explains sigmoid’s small gradients by its hidden layers, not by a sigmoid output layer it does not have', () => {
    const grad = text.find((p) => p.startsWith('Gradient norm'))!;
    const gr = med(relu.map(hiddenGrad));
    const gs = med(sigmoid.map(hiddenGrad));
    expect(grad).toContain(`relu ${n3(gr)}, sigmoid ${n3(gs)} — ${n3(gr / gs)}× smaller for sigmoid: a sigmoid’s slope is at most 1/4 (less where it saturates), and the error crosses 1 more sigmoid layer on its way back to the first`);
    expect(sigmoid[0].run.spec.outputActivation).toBe('softmax');
    expect(grad).not.toMatch(/output layer is a sigmoid/);
  });

  it('speaks the classification’s units only', () => {
    expect(text.join(' ')).not.toMatch(/MSE|r²|\bcost\b/);
  });
});

describe('analysis/reading number ranges', () => {
  it('writes a class’s r² range as one value when its ends round alike (it read “learned 1 to 1” of r² 0.99998 and 0.99999)', () => {
    // real runs, their test MSE set so that the learned ones' r² are 0.99998 and 0.99999 and the sigmoid ones' 0.5 and 0.6
    const facts = sweepFacts({ base: {}, grid: { activation: ['relu', 'sigmoid'] }, replicates: 2 });
    const r2s = [0.99998, 0.99999, 0.5, 0.6];
    facts.forEach((f, i) => {
      f.run.status = 'done';
      f.run.testMse = (1 - r2s[i]) * f.run.baselineMse!;
    });
    const scores = readFindings(findings(facts)).paragraphs.find((p) => p.startsWith('r² by class'))!;
    expect(scores).toContain('activation=relu: learned 1;');
    expect(scores).toContain('activation=sigmoid: underfit 0.5 to 0.6');
  });
});

describe('analysis/reading of targets out of the output layer’s reach', () => {
  /** The test targets below 0 and the lowest, counted here from the stored series. */
  const below = (f: RunFacts) => {
    const t = Array.from(f.series.testTargets!.data as Float64Array);
    return { n: t.length, below: t.filter((v) => v < 0).length, min: Math.min(...t) };
  };

  it('says once, for the relu configurations only, that their output layer never goes below the target (a sweep read “learned nothing” of x^2 − 1 without a word)', () => {
    const facts = sweepFacts({ base: { task: 'expression', target: 'x^2 - 1', batches: 40 }, grid: { activation: ['relu', 'tanh'], learningRate: [0.5, 1] }, replicates: 2 });
    const relu = facts.filter((f) => f.run.spec.activation === 'relu');
    expect(relu).toHaveLength(4);
    // every relu run has the one test grid: its count is of one set
    const b = below(relu[0]);
    for (const f of relu) expect(below(f)).toEqual(b);
    expect(b.below).toBeGreaterThan(0);
    const paragraphs = readFindings(findings(facts)).paragraphs;
    const reach = paragraphs.filter((p) => /out of (its )?reach/i.test(p));
    expect(reach).toEqual([
      `Out of reach: activation=relu learningRate=0.5 and activation=relu learningRate=1 (4 runs): the output layer is relu (the seed’s rule: the hidden activation), which never goes below 0, but the target x^2 - 1 reaches ${n3(b.min)} (${b.below} of ${b.n} test points are out of its reach): no weights can fit those; a linear output layer can reach them (--output-activation linear, or “Output layer: linear” in New run).`,
    ]);
  });

  it('counts one run as one run in the dead-output paragraph (it read "Of the 1 runs without one" and "1 of the 1 runs that learned nothing")', () => {
    // relu vs sigmoid, 3 seeds: at the seed's default seeds one relu run has no output unit dead at init, and one learns nothing
    const facts = sweepFacts({ base: { batches: 3000 }, grid: { activation: ['relu', 'sigmoid'] }, replicates: 3 });
    const dead = readFindings(findings(facts)).paragraphs.find((p) => p.startsWith('A relu output unit'))!;
    expect(dead).toContain('. Of the 1 run without one, 0 learned nothing.');
    expect(dead).toContain(' 1 of the 1 run that learned nothing ended with an output unit dead');
    expect(dead).not.toMatch(/\b1 runs\b/);
  });

  it('offers no more steps where the underfit configurations are out of reach: more batches cannot move a relu output below 0 (it offered 10× the batches of wave’s seed network)', () => {
    const facts = sweepFacts({ base: { task: 'wave', outputActivation: 'seed' }, grid: {}, replicates: 2 });
    const f = findings(facts);
    // the precondition: wave's relu output mostly underfits (better than a constant, short of learned)
    expect(2 * f.groups[0].outcomes.counts.underfit).toBeGreaterThanOrEqual(f.groups[0].outcomes.n);
    const r = readFindings(f);
    expect(r.paragraphs.some((p) => p.startsWith('Out of reach (2 runs)'))).toBe(true);
    expect(r.offerBatches).toBeNull();
    expect(r.paragraphs.join('\n')).not.toMatch(/more steps/);
  });

  it('names no configuration when there is one, and says nothing where every target is in reach (a linear output; the seed’s sin and cos)', () => {
    const facts = sweepFacts({ base: { task: 'expression', target: 'x - 0.5', batches: 20, outputActivation: 'sigmoid' }, grid: {}, replicates: 2 });
    const b = below(facts[0]);
    expect(readFindings(findings(facts)).paragraphs.filter((p) => p.includes('reach'))).toEqual([
      `Out of reach (2 runs): the output layer is sigmoid, which stays between 0 and 1, but the target x - 0.5 reaches ${n3(b.min)} (${b.below} of ${b.n} test points are out of its reach): no weights can fit those; a linear output layer can reach them (--output-activation linear, or “Output layer: linear” in New run).`,
    ]);
    const linear = sweepFacts({ base: { task: 'expression', target: 'x^2 - 1', batches: 20, outputActivation: 'linear' }, grid: { activation: ['relu', 'sigmoid'] }, replicates: 2 });
    expect(readFindings(findings(linear)).paragraphs.join('\n')).not.toMatch(/reach/);
    const seed = sweepFacts({ base: { batches: 20 }, grid: { activation: ['relu', 'sigmoid', 'tanh'] } });
    expect(readFindings(findings(seed)).paragraphs.join('\n')).not.toMatch(/reach/);
  });
});

describe('analysis/reading of longer runs that did not all end', () => {
  it('says beside “with more batches” the runs not counted, and none with an outcome as such (it read “0 learned, 0 underfit, 0 learned nothing of 0” of interrupted runs)', () => {
    const facts = sweepFacts({ base: {}, grid: { activation: ['relu', 'sigmoid'], batches: [20, 40] }, replicates: 2 });
    // the longer sigmoid runs and one longer relu run were stopped (Ctrl-C): interrupted, no outcome
    for (const f of facts) {
      if (f.run.spec.batches === 40 && (f.run.spec.activation === 'sigmoid' || f.run.spec.initSeed === 3)) {
        f.run.status = 'interrupted';
        f.run.testMse = null;
      }
    }
    const more = readFindings(findings(facts)).paragraphs.find((p) => p.startsWith('With 2× the batches'))!;
    const kept = facts.find((f) => f.run.spec.batches === 40 && f.run.spec.activation === 'relu' && f.run.status === 'done')!;
    expect(more).toBe(`With 2× the batches (40): activation=relu batches=40: ${['learned', 'underfit', 'learned nothing'].map((c) => `${cls(kept) === c ? 1 : 0} ${c}`).join(', ')} of 1 (1 not counted: interrupted), median test MSE ${n3(kept.run.testMse!)}; activation=sigmoid batches=40: no run with an outcome (2 not counted: interrupted).`);
  });

  it('says of a configuration none of whose runs ended that none has an outcome, not that none has a finite score (it read “no finite r²”, as of diverged runs)', () => {
    // found by trying: a sweep of relu and tanh, Ctrl-C before any tanh run ended
    for (const [task, word] of [['sincos', 'r²'], ['circle', 'Skill']] as const) {
      const facts = sweepFacts({ base: { task, batches: 20 }, grid: { activation: ['relu', 'tanh'] }, replicates: 2 });
      for (const f of facts) {
        if (f.run.spec.activation === 'tanh') {
          f.run.status = 'interrupted';
          f.run.testMse = null;
          f.run.testAccuracy = null;
        }
      }
      const scores = readFindings(findings(facts)).paragraphs.find((p) => p.startsWith(`${word} by class`))!;
      expect(scores, task).toMatch(/; activation=tanh: no run with an outcome \(2 not counted: interrupted\)[;. ]/);
      expect(scores, task).not.toMatch(/no finite/);
    }
  });
});


// ---- runs of different losses (and kinds): no figure mixes their units

describe('analysis/reading of a sweep over task (sincos: sse and test MSE; circle: cross-entropy and test accuracy)', () => {
  let facts: RunFacts[];
  let text: string[];
  let f: Findings;
  beforeAll(() => {
    facts = sweepFacts({ base: { learningRate: 0.1 }, grid: { task: ['sincos', 'circle'] }, replicates: 3 });
    // named by the swept field, as nnlab sweep names them
    f = analyse(facts, { swept: ['task'] }).findings;
    text = readFindings(f).paragraphs;
  });

  it('pairs no regression with a classification: test MSE and test error are different measures (it read “test MSE per sample A − B” of sincos against circle)', () => {
    expect(f.paired).toBeNull();
    expect(text.some((p) => p.startsWith('Paired by seed ('))).toBe(false);
    expect(text).toContain('Not paired by seed: task=sincos is scored by test MSE per sample and task=circle by test error (1 − accuracy); a difference of the two means nothing.');
  });

  it('defines each kind’s score by its own baseline, and gives each configuration its own kind’s scores (it read “task=circle: no finite r² (the best constant predictor’s MSE is 0.0806)”)', () => {
    const outcomes = text.find((p) => p.startsWith('Outcomes ('))!;
    expect(outcomes).toContain('r² = 1 − test MSE / 0.0806, the best constant predictor’s MSE, on the task’s test grid (task=sincos)');
    expect(outcomes).toContain('skill = (test accuracy − m) / (1 − m), m what always answering the training set’s majority class scores on the held-out test points');
    expect(outcomes).toContain('(task=circle)');
    expect(outcomes).not.toContain('r² or skill = 1 − test MSE');
    const circle = facts.filter((x) => x.run.spec.task === 'circle');
    const r2 = text.find((p) => p.startsWith('r² by class'))!;
    expect(r2).not.toContain('task=circle');
    const skillP = text.find((p) => p.startsWith('Skill by class'))!;
    expect(skillP).toContain(`task=circle: learned ${span(circle.map(skill))}`);
    expect(skillP).not.toContain('task=sincos');
  });

  it('compares training losses only within one loss: no target reached in “MSE” by a cross-entropy run, no gradient ratio across losses', () => {
    expect(text.some((p) => p.startsWith('Reaching '))).toBe(false);
    expect(text.some((p) => p.includes('× smaller for'))).toBe(false);
    expect(text).toContain('Not compared across losses (the training loss, the loss reached in training, the gradients): task=sincos trains on sse (squared error) and task=circle on cross-entropy, different units.');
  });

  it('gives an honest timing’s wall times across losses but no time to the target, which is in each loss’s unit (it read “task=circle reaches MSE 0.01 after …” of a cross-entropy)', () => {
    const { keys, measurement } = honestTiming(facts, [1.5, 4.2], () => true);
    const names = new Map(facts.map((x) => [x.run.configKey, `task=${x.run.spec.task}`]));
    const speed = readFindings(findings(facts, { names, timing: { summary: summarizeTiming(measurement as never), configKeys: keys } })).paragraphs.find((p) => p.startsWith('Speed ('))!;
    expect(speed).toMatch(/task=circle takes 2\.\d+× the wall time of task=sincos per run/);
    expect(speed).not.toContain('reaches');
    expect(speed).not.toContain('MSE');
  });
});

describe('analysis/reading of a sweep over shape (its configurations have different numbers of hidden units)', () => {
  it('counts each configuration’s dead hidden units of its own hidden units (it read “of 16” of the 4-unit network too: the first configuration’s count)', () => {
    const facts = sweepFacts({ base: { activation: 'relu', batches: 60 }, grid: { shape: [[1, 16, 2], [1, 4, 2]] }, replicates: 8 });
    const text = readFindings(analyse(facts, { swept: ['shape'] }).findings).paragraphs;
    const dead = text.find((p) => p.includes('Dead hidden units at init'))!;
    expect(dead).toMatch(/Dead hidden units at init → at the end \(median over the runs\): shape=\[1,16,2\] \S+ → \S+ of 16, shape=\[1,4,2\] \S+ → \S+ of 4[.;]/);
    expect(dead).not.toContain('of 16)');
  });
});
