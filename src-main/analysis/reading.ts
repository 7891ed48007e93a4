/**
 * The reading of a comparison: plain sentences generated from its findings (findings.ts), each
 * backed by a figure on the same page — the outcome classes (the replicate table), the r² ranges
 * (the test-MSE strip), dead output units at init among the runs that learned and those that did
 * not (the diagnostics table), the paired comparison (its panel), batches to a target MSE and the
 * hidden-layer gradient norms (their charts), one speed figure (honest timing when there is one,
 * the runs' sampled times otherwise, named as such), what more batches did, and for a sweep which
 * fields matter and where runs fail (the stability map). One unit throughout, the runs' kind's:
 * test MSE per sample and r² for regression; test accuracy, skill, test error (1 − accuracy) and
 * the loss per sample for classification (whose outputs never die: there it is whole hidden layers
 * dead at init that stop a run). The CLI prints the same sentences under its tables. Pure (no
 * Node, no DOM).
 */
import type { Findings, GroupFindings } from './findings';
import { num } from './format';

/** "1 run", "3 runs". */
const runsText = (n: number): string => `${n} run${n === 1 ? '' : 's'}`;
import { METRIC_WORDS, notCountedText, OUTCOME_WORDS, type Outcome, outcomeText } from './outcome';
import { pairedReading } from './paired';
import { valueText } from './config-diff';
import { outOfReachText } from './output-reach';
import { byLoss, LOSS_WORDS, targetLoss, targetWords } from './units';

export interface Reading {
  /** Paragraphs, in order. */
  paragraphs: string[];
  /**
   * Batches to offer as "train these with 10× the batches" (some configuration underfit and no
   * longer runs are in the comparison yet); null when there is nothing to offer.
   */
  offerBatches: number | null;
}

const pct = (k: number, n: number) => `${Math.round((100 * k) / Math.max(1, n))} %`;
const ratio = (a: number, b: number) => (a >= b ? a / b : b / a);
const list = (xs: readonly string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/** "r² 0.92–0.995" for a class's range, or the single value. */
function range(s: { min: number; max: number; n: number } | undefined): string {
  if (!s) return '';
  // as written: two values that round alike read as one ('learned 1 to 1' of r² 0.99998 and 0.99999)
  return s.n > 1 && num(s.min) !== num(s.max) ? `${num(s.min)} to ${num(s.max)}` : num(s.min);
}

/** The score's name in the configurations' kind: r² (regression), skill (classification). */
const scoreWord = (f: Findings) => (f.groups.every((g) => g.kind === 'classification') ? METRIC_WORDS.skill : f.groups.every((g) => g.kind === 'regression') ? METRIC_WORDS.r2 : 'r² or skill');
/** Whether the configurations are classifications (their loss per sample is not an MSE). */
const classifying = (f: Findings) => f.groups.length > 0 && f.groups.every((g) => g.kind === 'classification');
const pctOf = (x: number) => `${num(100 * x)} %`;
/** ", m = 46 %" (one test set), or ", m 44 % to 53 % over the runs’ test sets" (a test set per data seed). */
function majorityText(f: Findings): string {
  const shares = f.groups.flatMap((g) => (g.majorityShare ? [g.majorityShare] : []));
  if (!shares.length) return '';
  const lo = Math.min(...shares.map((s) => s.min));
  const hi = Math.max(...shares.map((s) => s.max));
  return lo === hi ? ` (m = ${pctOf(lo)})` : ` (m ${pctOf(lo)} to ${pctOf(hi)} over the runs’ test sets)`;
}

/** The regression configurations' constant predictor's MSE where they agree on one (null: none, or several). */
function regressionBaseline(f: Findings): number | null {
  const b = [...new Set(f.groups.filter((g) => g.kind === 'regression').map((g) => g.baselineMse))];
  return b.length === 1 ? b[0] : null;
}

/** The configurations of one kind by name, to say which a definition is of: "task=sincos". */
const namesOfKind = (f: Findings, kind: GroupFindings['kind']) => list(f.groups.filter((g) => g.kind === kind).map((g) => g.name));

function outcomesParagraph(f: Findings): string {
  const metric = scoreWord(f);
  const baseline = regressionBaseline(f);
  const r2 = `${METRIC_WORDS.r2} = 1 − test MSE / ${baseline ? `${num(baseline)}, ` : ''}the best constant predictor’s MSE, on the task’s test grid`;
  const skill = `${METRIC_WORDS.skill} = (test accuracy − m) / (1 − m), m what always answering the training set’s majority class scores on the held-out test points${majorityText(f)}`;
  // a regression beside a classification: each score defined by its own baseline, saying whose it is
  const mixed = !classifying(f) && f.groups.some((g) => g.kind === 'classification');
  const what = mixed ? `${r2} (${namesOfKind(f, 'regression')}); ${skill} (${namesOfKind(f, 'classification')})` : classifying(f) ? skill.replace(METRIC_WORDS.skill, metric) : r2.replace(METRIC_WORDS.r2, metric);
  const def = `Outcomes (${what}; learned: ${metric} ≥ ${f.learnedAt}, underfit: 0 < ${metric} < ${f.learnedAt}, learned nothing: ${metric} ≤ 0; 95 % Wilson intervals)`;
  const parts = f.groups.map((g) => {
    const extra = [notCountedText(g.outcomes), g.outcomes.pending ? `${g.outcomes.pending} still training` : null].filter(Boolean);
    return `${g.name}: ${outcomeText(g.outcomes, { intervals: true })}${extra.length ? ` (${extra.join('; ')})` : ''}`;
  });
  return `${def}: ${parts.join('; ')}.`;
}

/** A configuration without a score to give: none of its runs ended (interrupted, cancelled), or every one diverged. */
function noScore(g: Findings['groups'][number], metric: string): string {
  if (g.outcomes.n) return `no finite ${metric}`;
  const stopped = notCountedText(g.outcomes);
  return `no run with an outcome${stopped ? ` (${stopped})` : ''}`;
}

/**
 * "relu: learned r² 0.921 to 0.995, learned nothing −11.4 to −2.42; …" with the median test MSE,
 * and "Skill by class…" with the median test accuracy: a paragraph per kind among the
 * configurations, each of its own configurations.
 */
function scoresParagraphs(f: Findings): string[] {
  const kinds = (['regression', 'classification'] as const).filter((k) => f.groups.some((g) => g.kind === k));
  return kinds.flatMap((kind) => scoresParagraph({ ...f, groups: f.groups.filter((g) => g.kind === kind) }) ?? []);
}

function scoresParagraph(f: Findings): string | null {
  if (classifying(f)) {
    const parts = f.groups.map((g) => {
      const classes = (['learned', 'underfit', 'learned-nothing'] as Outcome[]).filter((c) => g.scoreByOutcome[c]).map((c) => `${OUTCOME_WORDS[c]} ${range(g.scoreByOutcome[c])}`);
      const acc = g.testAccuracy ? `; median test accuracy ${pctOf(g.testAccuracy.median)}${g.testAccuracy.n > 1 ? ` (${pctOf(g.testAccuracy.min)} to ${pctOf(g.testAccuracy.max)})` : ''}` : '';
      return `${g.name}: ${classes.join(', ') || noScore(g, 'skill')}${acc}`;
    });
    if (!parts.length) return null;
    return `Skill by class, for the same ${f.groups[0].spec.batches} batches: ${parts.join('; ')}.`;
  }
  const parts = f.groups.map((g) => {
    const classes = (['learned', 'underfit', 'learned-nothing'] as Outcome[]).filter((c) => g.r2ByOutcome[c]).map((c) => `${OUTCOME_WORDS[c]} ${range(g.r2ByOutcome[c])}`);
    const mse = g.testMse ? `; median test MSE ${num(g.testMse.median)}` : '';
    // a fit that removed little of the constant's error is nearly flat, whatever its class
    const flat = g.r2 && g.r2.max < 0.5 && g.r2.max > 0 ? ` (a nearly flat fit: at best ${pct(g.r2.max, 1)} of the constant predictor’s error removed)` : '';
    return `${g.name}: ${classes.join(', ') || noScore(g, 'r²')}${flat}${mse}`;
  });
  if (!parts.length) return null;
  const baseline = f.groups[0].baselineMse;
  return `r² by class, for the same ${f.groups[0].spec.batches} batches: ${parts.join('; ')}${baseline ? ` (the best constant predictor’s MSE is ${num(baseline)})` : ''}.`;
}

/**
 * Whole hidden layers dead: a relu layer with every unit below 0 at every probe point outputs 0
 * there, so nothing below it gets a gradient and everything above it sees the same input: the
 * network answers the same at every probe point. None when no run had one (at init or the end).
 */
function wholeLayerSentences(f: Findings): string[] {
  if (!f.groups.some((g) => g.dead && (g.dead.wholeLayerAtInit.runs || g.dead.wholeLayerAtEnd.runs))) return [];
  // every configuration that can have one, so a count has its comparison beside it
  const gs = f.groups.filter((g) => g.dead);
  const out = [
    'A relu hidden layer with every unit dead (below 0 at every probe point) outputs 0 at all of them: no gradient reaches the layers below it, and the layers above it see the same input everywhere, so the network gives the same output at every probe point.',
  ];
  for (const g of gs) {
    const d = g.dead!;
    const classes = (by: Record<Outcome, number>) => list((['learned', 'underfit', 'learned-nothing', 'diverged'] as Outcome[]).filter((c) => by[c] > 0).map((c) => `${by[c]} ${OUTCOME_WORDS[c]}`));
    const which = d.layers.filter((l) => l.wholeAtInit.runs).map((l) => `layer ${l.layer} of ${l.units} units in ${l.wholeAtInit.runs}`);
    let s = `${g.name}: ${d.wholeLayerAtInit.runs} of ${d.n} runs had a hidden layer wholly dead at init`;
    if (d.wholeLayerAtInit.runs) s += ` (${list(which)}; ${classes(d.wholeLayerAtInit)})`;
    s += `, ${d.wholeLayerAtEnd.runs} at the end`;
    if (d.wholeLayerAtEnd.runs) {
      s += ` (${classes(d.wholeLayerAtEnd)})`;
      const k = d.wholeLayerAtEndScore;
      if (k) s += `; their ${g.kind === 'classification' ? METRIC_WORDS.skill : METRIC_WORDS.r2}: ${range(k)}`;
    }
    out.push(`${s}.`);
  }
  // a same-everywhere answer can still sit just above the baseline: say what its class means
  if (gs.some((g) => g.kind === 'classification' && g.dead!.wholeLayerAtEnd.underfit)) {
    out.push('A network that gives one answer everywhere scores the share of the class it answers: where that is not the training set’s majority class, its skill can be just above 0, so it counts as underfit though it learned nothing of the input.');
  }
  return out;
}

function deadParagraph(f: Findings): string | null {
  const layerSentences = wholeLayerSentences(f);
  const withDead = f.groups.filter((g) => g.dead && g.dead.outputDeadAtInit.runs > 0);
  if (!withDead.length && !layerSentences.length) return null;
  const sentences: string[] = withDead.length ? outputSentences(f) : [];
  sentences.push(...layerSentences);
  const hidden = f.groups.filter((g) => g.dead?.hiddenDeadAtInit && g.dead.hiddenUnits);
  if (hidden.length) {
    // of one count where the configurations share it, else each its own (a sweep over shape or task)
    const counts = new Set(hidden.map((g) => g.dead!.hiddenUnits));
    const of = (g: GroupFindings) => (counts.size > 1 ? ` of ${g.dead!.hiddenUnits}` : '');
    sentences.push(
      `Dead hidden units at init → at the end (median over the runs${counts.size === 1 ? `, of ${hidden[0].dead!.hiddenUnits}` : ''}): ${hidden.map((g) => `${g.name} ${num(g.dead!.hiddenDeadAtInit!.median)} → ${num(g.dead!.hiddenDeadAtEnd!.median)}${of(g)}`).join(', ')}${hidden.some((g) => g.dead!.allHiddenDeadAtInit) ? `; every hidden unit dead at init in ${list(hidden.filter((g) => g.dead!.allHiddenDeadAtInit).map((g) => `${g.dead!.allHiddenDeadAtInit} run${g.dead!.allHiddenDeadAtInit === 1 ? '' : 's'} at ${g.name}`))}` : ''}.`,
    );
  }
  return sentences.join(' ');
}

/** Dead relu output units: at init, which came back, and the rule as the runs show it. */
function outputSentences(f: Findings): string[] {
  const sentences: string[] = [
    'A relu output unit whose pre-activation is below 0 at every input outputs 0 and gets no gradient through itself; it can come back only if the hidden layer it reads moves, under the other output’s gradient.',
  ];
  for (const g of f.groups) {
    const d = g.dead;
    if (!d) continue;
    const di = d.outputDeadAtInit;
    const alive = d.outputAliveAtInit;
    let s = `${g.name}: ${di.runs} of ${d.n} runs had an output unit dead at init`;
    if (di.runs) {
      const classes = (['learned', 'underfit', 'learned-nothing', 'diverged'] as Outcome[]).filter((c) => di[c] > 0).map((c) => `${di[c]} ${OUTCOME_WORDS[c]}`);
      s += ` (${list(classes)})`;
      const back = d.revived;
      if (back.units) {
        const when = back.atBatch.filter((b): b is number => b !== null);
        s += `; in ${back.runs} of them ${back.units === back.runs ? 'the unit' : `${back.units} units`} came back${when.length ? ` (by batch ${list(when.map(String))})` : ''}`;
      } else s += '; none came back';
      if (d.allOutputsDeadAtInit) s += `; ${d.allOutputsDeadAtInit} had every output unit dead, so no gradient reached any layer (a gradient norm of 0) and nothing moved`;
    }
    if (alive.runs) s += `. Of the ${runsText(alive.runs)} without one, ${alive['learned-nothing'] + alive.diverged} learned nothing`;
    sentences.push(`${s}.`);
  }
  // the rule, as the data show it
  const nothing = f.groups.reduce((a, g) => a + (g.dead ? g.dead.outputDeadAtEnd['learned-nothing'] : 0), 0);
  const deadAtEnd = f.groups.reduce((a, g) => a + (g.dead ? g.dead.outputDeadAtEnd.runs : 0), 0);
  const totalNothing = f.groups.reduce((a, g) => a + (g.dead ? g.outcomes.counts['learned-nothing'] : 0), 0);
  const learnedWithDead = f.groups.reduce((a, g) => a + (g.dead ? g.dead.outputDeadAtEnd.learned : 0), 0);
  const deadInit = f.groups.reduce((a, g) => a + (g.dead?.outputDeadAtInit.runs ?? 0), 0);
  const deadInitNothing = f.groups.reduce((a, g) => a + (g.dead?.outputDeadAtInit['learned-nothing'] ?? 0), 0);
  const revived = f.groups.reduce((a, g) => a + (g.dead?.revived.runs ?? 0), 0);
  if (totalNothing) {
    // "exactly when": every run that learned nothing had a dead output at the end, and every run with one learned nothing
    const exact = nothing === totalNothing && deadAtEnd === nothing;
    sentences.push(
      `${nothing} of the ${runsText(totalNothing)} that learned nothing ended with an output unit dead${learnedWithDead ? `, and so did ${learnedWithDead} that learned` : ', and none of those that learned did'}.` +
        (exact && deadInit
          ? ` As the data show it: a run learned nothing exactly when an output unit was still dead at the end; a dead output unit at init made that likely (${deadInitNothing} of ${deadInit}), not certain${revived ? ` (${revived} came back)` : ''}.`
          : ''),
    );
  }
  return sentences;
}

/** The measure a configuration is scored in, in words. */
const MEASURE_WORDS: Record<GroupFindings['kind'], string> = { regression: 'test MSE per sample', classification: 'test error (1 − accuracy)' };

/** Two configurations with the same seeds that are not paired: scored in two measures. */
function notPairedSentence(a: GroupFindings, b: GroupFindings): string {
  return `Not paired by seed: ${a.name} is scored by ${MEASURE_WORDS[a.kind]} and ${b.name} by ${MEASURE_WORDS[b.kind]}; a difference of the two means nothing.`;
}

/** What is left uncompared where the configurations train on different losses, and whose loss is which. */
function acrossLossesSentence(losses: readonly { loss: GroupFindings['spec']['loss']; items: GroupFindings[] }[]): string {
  const whose = losses.map((l, i) => `${list(l.items.map((g) => g.name))}${i === 0 ? (l.items.length === 1 ? ' trains' : ' train') : ''} on ${l.loss}${l.loss === 'sse' ? ` (${LOSS_WORDS.sse})` : ''}`);
  return `Not compared across losses (the training loss, the loss reached in training, the gradients): ${list(whose)}, different units.`;
}

function targetParagraph(f: Findings): string | null {
  const gs = f.groups.filter((g) => g.toTarget.n > 0);
  if (gs.length < 2) return null;
  // one loss here (readFindings): the target is read, and named, in it
  const target = targetWords(targetLoss(gs.map((g) => g.spec.loss))).at(num(f.targetMse));
  const parts = gs.map((g) =>
    g.toTarget.reached
      ? `${g.name} in ${g.toTarget.reached} of ${g.toTarget.n} runs, at a median batch ${num(g.toTarget.batches!.median)}`
      : `${g.name} in none of ${g.toTarget.n} within ${g.spec.batches} batches`,
  );
  return `Reaching ${target} in training (the first batch where the mean of the last 10 is at or below it): ${parts.join('; ')}.`;
}

function gradientParagraph(f: Findings): string | null {
  const gs = f.groups.filter((g) => g.hiddenGrad);
  if (gs.length < 2) return null;
  const parts = gs.map((g) => `${g.name} ${num(g.hiddenGrad!.median)}${g.hiddenGrad!.zeros ? ` (${g.hiddenGrad!.zeros} of ${g.hiddenGrad!.n} runs at 0)` : ''}`);
  let s = `Gradient norm of the first hidden layer over training (median over the checkpoints, then over the runs): ${parts.join(', ')}`;
  const [a, b] = gs;
  const ga = a.hiddenGrad!.median;
  const gb = b.hiddenGrad!.median;
  if (gs.length === 2 && ga > 0 && gb > 0 && Number.isFinite(ga) && Number.isFinite(gb) && ratio(ga, gb) >= 2) {
    const [small, large] = ga < gb ? [a, b] : [b, a];
    s += ` — ${num(ratio(ga, gb))}× smaller for ${small.name}`;
    if (small.spec.activation === 'sigmoid' && large.spec.activation !== 'sigmoid') {
      const hiddenLayers = small.spec.shape.length - 2;
      const outputToo = small.spec.outputActivation === 'seed';
      const through = outputToo
        ? 'and in the seed’s output mode the output layer is a sigmoid too'
        : hiddenLayers > 1
          ? `and the error crosses ${hiddenLayers - 1} more sigmoid layer${hiddenLayers > 2 ? 's' : ''} on its way back to the first`
          : null;
      s += `: a sigmoid’s slope is at most 1/4 (less where it saturates)${through ? `, ${through}, so the error reaching the first hidden layer shrinks at each layer and` : ', so'} at the same learning rate the first hidden layer hardly moves`;
    }
  }
  return `${s}.`;
}

function speedParagraph(f: Findings): string | null {
  const t = f.timing;
  if (!t) return null;
  const known = f.groups.map((g, i) => ({ g, ms: t.wallMs[i] })).filter((x): x is { g: GroupFindings; ms: number } => x.ms !== null && x.ms > 0);
  if (known.length < 2) return null;
  if (t.kind === 'sampled') {
    // the runs' own times are no race between the configurations: a sweep trains one configuration's
    // seeds after another's, and its first runs carry the trainer processes' warm-up (the init-mean
    // preset's read 'mean 0 takes 2×' and, in the app, '3.8× the wall time of mean −eps', where honest
    // timing of the two measures 1.6 and 2.2 ms per run), so no ratio is drawn from them
    return `Speed (sampled timing: the runs’ own training times, taken while other runs trained beside them; a sweep’s first runs also carry the trainer processes’ warm-up, so this is no fair comparison of the configurations’ speed; honest timing is: nnlab time, or “Time these configs” on the Compare page): median per run ${known.map((x) => `${x.g.name} ${num(x.ms)} ms`).join(', ')}.`;
  }
  const [a, ...rest] = known;
  // a busy machine is said here as the panel says it: the ratio is rougher than on a quiet one
  const busy = t.busy ? `; the machine was busy, load average ${num(t.busy.load)} on ${t.busy.cpus} cpus, so these figures are rougher than on a quiet one` : '';
  const how = `honest timing: ${t.repeats} interleaved repeats after warm-up, one seed per configuration, run alone in the lab${busy}`;
  // the slower configuration first, so the ratio reads as "k× the wall time" with k ≥ 1
  const ratios = rest.map((b) => {
    if (Math.abs(b.ms / a.ms - 1) < 0.05) return `${b.g.name} and ${a.g.name} take about the same wall time per run (median ${num(b.ms)} ms against ${num(a.ms)} ms)`;
    const [slow, fast] = b.ms > a.ms ? [b, a] : [a, b];
    return `${slow.g.name} takes ${num(slow.ms / fast.ms)}× the wall time of ${fast.g.name} per run (median ${num(slow.ms)} ms against ${num(fast.ms)} ms)`;
  });
  let s = `Speed (${how}): ${ratios.join('; ')}`;
  // the time to a target is in each loss's unit (a cross-entropy of 0.01 is no MSE of 0.01): one loss only
  if (t.kind === 'honest' && byLoss(f.groups, (g) => g.spec.loss).length === 1) {
    const target = targetWords(targetLoss(f.groups.map((g) => g.spec.loss))).at(num(t.targetMse));
    const reach = f.groups.map((g, i) => (t.msToTarget[i] !== null ? `${g.name} reaches ${target} after ${num(t.msToTarget[i])} ms (batch ${t.batchesToTarget[i]})` : `${g.name} does not reach ${target} within ${g.spec.batches} batches`));
    s += `; ${reach.join(', ')}`;
  }
  return `${s}.`;
}

function moreParagraph(f: Findings): string | null {
  if (!f.more.length) return null;
  return f.more
    .map((m) => {
      // each by its own name: where the names carry batches, the shorter runs' name would say 300 of the 3000-batch runs
      const score = (g: GroupFindings) => (g.kind === 'classification' ? (g.testAccuracy ? `, median test accuracy ${pctOf(g.testAccuracy.median)}` : '') : g.testMse ? `, median test MSE ${num(g.testMse.median)}` : '');
      // what was not counted is said beside the counts, as the outcomes paragraph says it ("0 … of 0" alone read as runs that ran)
      const extra = (g: GroupFindings) => {
        const e = [notCountedText(g.outcomes), g.outcomes.pending ? `${g.outcomes.pending} still training` : null].filter(Boolean);
        return e.length ? ` (${e.join('; ')})` : '';
      };
      const parts = m.groups.flatMap((g) => (g ? [`${g.name}: ${g.outcomes.n ? outcomeText(g.outcomes) : 'no run with an outcome'}${extra(g)}${score(g)}`] : []));
      const times = m.batches / f.groups[0].spec.batches;
      return `With ${Number.isInteger(times) ? `${times}× the batches` : 'more batches'} (${m.batches}): ${parts.join('; ')}.`;
    })
    .join(' ');
}

/** Where a reader chooses a linear output layer: the CLI's flag and the New run form's field. */
const LINEAR_OUTPUT_HOW = '--output-activation linear, or “Output layer: linear” in New run';

/**
 * Targets out of the output layer's reach, said once for the configurations it concerns (those
 * with the same sentence together, with the runs whose test sets were read): their verdict is the
 * output layer's range, not the learning's. "Out of reach" as the New run form's preview says it.
 */
function outOfReachParagraph(f: Findings): string | null {
  const concerned = f.configs.filter((g) => g.outOfReach);
  if (!concerned.length) return null;
  const bySentence = new Map<string, GroupFindings[]>();
  for (const g of concerned) {
    const text = outOfReachText(g.outOfReach!.reach, LINEAR_OUTPUT_HOW);
    bySentence.set(text, [...(bySentence.get(text) ?? []), g]);
  }
  const counted = (gs: readonly GroupFindings[]) => runsText(gs.reduce((a, g) => a + g.outOfReach!.runs, 0));
  // one configuration (a comparison of its replicates) needs no name
  if (f.configs.length === 1) return `Out of reach (${counted(concerned)}): ${[...bySentence.keys()][0]}.`;
  return `Out of reach: ${[...bySentence].map(([text, gs]) => `${list(gs.map((g) => g.name))} (${counted(gs)}): ${text}`).join('; ')}.`;
}

/** A sweep's reading: totals, which fields matter, where runs fail — across the configurations, not one paragraph each. */
function sweepParagraphs(f: Findings): string[] {
  const total = f.groups.reduce(
    (a, g) => ({
      n: a.n + g.outcomes.n,
      learned: a.learned + g.outcomes.counts.learned,
      underfit: a.underfit + g.outcomes.counts.underfit,
      nothing: a.nothing + g.outcomes.counts['learned-nothing'] + g.outcomes.counts.diverged,
    }),
    { n: 0, learned: 0, underfit: 0, nothing: 0 },
  );
  const allLearned = f.groups.filter((g) => g.outcomes.n && g.outcomes.counts.learned === g.outcomes.n);
  const everySeed = allLearned.length
    ? `every seed learned in ${allLearned.length} configuration${allLearned.length === 1 ? '' : 's'}${allLearned.length <= 3 ? ` (${allLearned.map((g) => g.name).join('; ')})` : ''}`
    : 'no configuration learned on every seed';
  const out = [
    `Over ${f.groups.length} configurations and ${total.n} runs with an outcome (learned: ${scoreWord(f)} ≥ ${f.learnedAt}): ${total.learned} learned (${pct(total.learned, total.n)}), ${total.underfit} underfit (${pct(total.underfit, total.n)}), ${total.nothing} learned nothing or diverged (${pct(total.nothing, total.n)}); ${everySeed}.`,
  ];
  const effects = f.effects.map((e) => {
    const shares = e.values.map((v) => v.learned / Math.max(1, v.n));
    const spread = Math.max(...shares) - Math.min(...shares);
    return { e, spread };
  });
  effects.sort((x, y) => y.spread - x.spread);
  if (effects.length) {
    out.push(
      `Share of runs that learned by field, largest effect first: ${effects.map(({ e }) => `${e.field} ${e.values.map((v) => `${valueText(v.value)} ${pct(v.learned, v.n)}`).join(', ')}`).join('; ')}.`,
    );
  }
  const dead = f.groups.filter((g) => g.dead);
  if (dead.length) {
    const nothing = dead.reduce((a, g) => a + g.outcomes.counts['learned-nothing'], 0);
    const withDead = dead.reduce((a, g) => a + g.dead!.outputDeadAtEnd['learned-nothing'], 0);
    const deadInit = dead.reduce((a, g) => a + g.dead!.outputDeadAtInit.runs, 0);
    const deadInitNothing = dead.reduce((a, g) => a + g.dead!.outputDeadAtInit['learned-nothing'], 0);
    // a relu output unit can die only where the output layer is a relu too (the seed's output mode)
    const reluOut = dead.filter((g) => g.spec.outputActivation === 'seed');
    const outNothing = reluOut.reduce((a, g) => a + g.outcomes.counts['learned-nothing'], 0);
    if (outNothing) out.push(`Of the ${outNothing} relu runs that learned nothing${reluOut.length < dead.length ? ' with a relu output layer' : ''}, ${withDead} ended with an output unit dead (a relu output below 0 at every input: it outputs 0 and gets no gradient); ${deadInit} relu runs had one dead at init, and ${deadInitNothing} of those learned nothing.`);
    const layerEnd = dead.reduce((a, g) => a + g.dead!.wholeLayerAtEnd.runs, 0);
    if (nothing && layerEnd) {
      const layerNothing = dead.reduce((a, g) => a + g.dead!.wholeLayerAtEnd['learned-nothing'], 0);
      const layerInit = dead.reduce((a, g) => a + g.dead!.wholeLayerAtInit.runs, 0);
      out.push(`Of the ${nothing} relu runs that learned nothing, ${layerNothing} ended with a hidden layer wholly dead (every unit below 0 at every probe point: the network gives the same output everywhere); ${layerEnd} relu runs ended with one, ${layerInit} had one at init.`);
    }
  }
  const worst = [...f.groups].filter((g) => g.outcomes.n).sort((a, b) => (b.outcomes.counts['learned-nothing'] + b.outcomes.counts.diverged) / b.outcomes.n - (a.outcomes.counts['learned-nothing'] + a.outcomes.counts.diverged) / a.outcomes.n);
  const failing = worst.filter((g) => g.outcomes.counts['learned-nothing'] + g.outcomes.counts.diverged > 0).slice(0, 3);
  const under = [...f.groups].filter((g) => g.outcomes.n && 2 * g.outcomes.counts.underfit >= g.outcomes.n);
  if (under.length) out.push(`Mostly underfit (better than a constant, short of learned): ${under.map((g) => `${g.name} (${g.outcomes.counts.underfit} of ${g.outcomes.n}, median ${scoreWord(f)} ${num(g.score?.median)})`).join('; ')}.`);
  if (failing.length) out.push(`Where runs fail most: ${failing.map((g) => `${g.name} (${g.outcomes.counts['learned-nothing'] + g.outcomes.counts.diverged} of ${g.outcomes.n} learned nothing or diverged)`).join('; ')}.`);
  return out;
}

/** The reading of the findings; empty until some configuration has runs with an outcome. */
export function readFindings(f: Findings): Reading {
  const paragraphs: string[] = [];
  const judged = f.groups.filter((g) => g.outcomes.n > 0);
  if (!judged.length) return { paragraphs, offerBatches: null };
  if (f.groups.length > 2) {
    paragraphs.push(...sweepParagraphs(f));
  } else {
    paragraphs.push(outcomesParagraph(f));
    paragraphs.push(...scoresParagraphs(f));
  }
  const reach = outOfReachParagraph(f);
  if (reach) paragraphs.push(reach);
  if (f.groups.length <= 2) {
    // two configurations side by side: the mechanism, the paired result, reaching a target, gradients, speed
    const dead = deadParagraph(f);
    if (dead) paragraphs.push(dead);
    if (f.paired) {
      const measure = f.paired.comparison.measure === 'test error' ? 'test error, 1 − accuracy' : 'test MSE per sample';
      paragraphs.push(`Paired by seed (${measure}): ${pairedReading(f.groups[f.paired.a].name, f.groups[f.paired.b].name, f.paired.comparison)}`);
    }
    if (f.notPaired) paragraphs.push(notPairedSentence(f.groups[f.notPaired.a], f.groups[f.notPaired.b]));
    // the training loss, the loss reached and the gradients are in the loss's unit: compared within one loss only
    const losses = byLoss(f.groups, (g) => g.spec.loss);
    if (losses.length > 1) paragraphs.push(acrossLossesSentence(losses));
    for (const p of losses.length > 1 ? [speedParagraph(f)] : [targetParagraph(f), gradientParagraph(f), speedParagraph(f)]) if (p) paragraphs.push(p);
  }
  const more = moreParagraph(f);
  if (more) paragraphs.push(more);
  // more steps are the question where underfit is what a configuration mostly does — unless its
  // targets are out of its output layer's reach: no number of steps fits those
  const underfit = f.groups.some((g) => g.outcomes.n > 0 && 2 * g.outcomes.counts.underfit >= g.outcomes.n && !g.outOfReach);
  const offerBatches = underfit && !f.more.length ? f.groups[0].spec.batches * 10 : null;
  if (offerBatches) paragraphs.push(`Underfit runs may only need more steps: train these configurations with 10× the batches (${offerBatches}), same seeds, to see.`);
  if (f.notCounted) paragraphs.push(`${runsText(f.notCounted)} not counted in any rate (cancelled, interrupted or ended in an error: the machinery’s, not the configuration’s).`);
  return { paragraphs, offerBatches };
}
