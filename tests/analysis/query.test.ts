import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcomeOf } from '../../src-main/analysis/outcome';
import { checkExperimentNames, filterRuns, matches, parseQuery, pointAt, pushdown, type Query, QueryError } from '../../src-main/analysis/query';
import { QUERY_MAX_LENGTH } from '../../src-main/limits';
import { createRunFields } from '../../src-main/analysis/run-fields';
import type { RunSummary } from '../../src-main/db/types';
import { specChoices } from '../../src-main/trainer/spec';
import { storedRuns, type StoredRuns } from './helpers/stored-runs';

const fields = createRunFields(specChoices());
const q = (text: string): Query => parseQuery(text, fields);
let fx: StoredRuns;
let runs: RunSummary[];
const ids = (text: string, ctx = {}) => filterRuns(runs, q(text), ctx).map((r) => r.id).sort((a, b) => a - b);
/** The same selection written directly against the summaries, as independent code. */
const idsWhere = (pred: (r: RunSummary) => boolean) => runs.filter(pred).map((r) => r.id).sort((a, b) => a - b);
const r2 = (r: RunSummary) => (r.testMse !== null && r.baselineMse !== null && r.kind === 'regression' ? 1 - r.testMse / r.baselineMse : null);

function refusal(text: string): QueryError {
  try {
    q(text);
  } catch (e) {
    if (e instanceof QueryError) return e;
    throw e;
  }
  throw new Error(`'${text}' parsed`);
}

describe('analysis/query', () => {
  beforeAll(() => {
    fx = storedRuns();
    runs = fx.runs;
  });
  afterAll(() => fx.close());

  it('selects what the issue’s three queries say, checked against the summaries by other code', () => {
    expect(ids('activation = relu and r2 < 0.5')).toEqual(idsWhere((r) => r.spec.activation === 'relu' && r.status === 'done' && r2(r) !== null && r2(r)! < 0.5));
    expect(ids('activation = relu and r2 < 0.5').length).toBeGreaterThan(0);
    expect(ids('tag:baseline')).toEqual(idsWhere((r) => r.tags.includes('baseline')));
    expect(ids('tag:baseline')).toHaveLength(2);
    expect(ids(`experiment = ${fx.experimentId}`)).toEqual(idsWhere((r) => r.experimentId === fx.experimentId));
    expect(ids(`experiment = ${fx.experimentId}`)).toHaveLength(5);
  });

  it('takes every spec field by its key or its flag’s name, in any case and with - or _', () => {
    const lr = idsWhere((r) => r.spec.learningRate === 0.5);
    expect(lr).toHaveLength(2);
    for (const t of ['learningRate = 0.5', 'lr = 0.5', 'LR=0.5', 'learning_rate == 0.5', 'lr:0.5']) expect(ids(t), t).toEqual(lr);
    const minus = idsWhere((r) => r.spec.initMean < 0);
    for (const t of ['initMean < 0', 'init-mean < 0', 'init_mean<0', 'mean < 0', 'initmean = -eps', 'initMean = −eps', 'initMean in (-0.1, -0.5)']) expect(ids(t), t).toEqual(minus);
    expect(ids('initMean = -0.1')).toEqual(idsWhere((r) => r.spec.initMean === -0.1));
    expect(ids('seed = 3')).toEqual(idsWhere((r) => r.spec.initSeed === 3));
    expect(ids('shape = [2, 8, 8, 2]')).toEqual(idsWhere((r) => r.spec.task === 'circle' || r.spec.task === 'xor'));
    expect(ids('shape = 1-16-2')).toEqual(idsWhere((r) => r.spec.shape.join() === '1,16,2'));
    expect(ids('shape in (1-16-2, [2, 8, 8, 2])')).toEqual(idsWhere((r) => ['1,16,2', '2,8,8,2'].includes(r.spec.shape.join())));
    expect(ids('optimizer != sgd')).toEqual(idsWhere((r) => r.spec.optimizer !== 'sgd'));
    expect(ids('activation in [sigmoid, TANH]')).toEqual(idsWhere((r) => ['sigmoid', 'tanh'].includes(r.spec.activation)));
    expect(ids('activation not in (relu)')).toEqual(idsWhere((r) => r.spec.activation !== 'relu'));
  });

  it('reads scores in their units: accuracy as a share or a percentage, r² and skill from the outcome classes', () => {
    const acc = idsWhere((r) => r.testAccuracy !== null && r.testAccuracy >= 0.9);
    expect(ids('testAccuracy >= 0.9')).toEqual(acc);
    expect(ids('accuracy >= 90%')).toEqual(acc);
    expect(ids('skill > 0')).toEqual(idsWhere((r) => { const o = outcomeOf(r); return o?.score.metric === 'skill' && o.score.value! > 0; }));
    for (const o of ['learned', 'underfit', 'learned-nothing', 'diverged'] as const) {
      expect(ids(`outcome = ${o}`)).toEqual(idsWhere((r) => outcomeOf(r)?.outcome === o));
    }
    expect(ids('outcome = "learned nothing"')).toEqual(ids('outcome = learned_nothing'));
    expect(ids('outcome = learned-nothing').length).toBeGreaterThan(0);
    // a diverged run's r² is −∞: below every bound, and found as -inf
    expect(ids('r2 = -inf')).toEqual(ids('outcome = diverged'));
    expect(ids('outcome = diverged')).toHaveLength(1);
  });

  it('reads values as the runs list writes them: learned nothing unquoted, a UTC date or time for created, a time with its unit', () => {
    // "outcome = learned nothing" read as outcome = learned and a search for "nothing": no run
    expect(ids('outcome = learned nothing')).toEqual(ids('outcome = learned-nothing'));
    expect(ids('outcome != learned nothing and outcome = learned')).toEqual(ids('outcome = learned'));
    expect(ids('outcome in (learned nothing, diverged)')).toEqual(idsWhere((r) => ['learned-nothing', 'diverged'].includes(outcomeOf(r)?.outcome ?? '')));
    // "created > 2026-12-04" said "created is a number"
    const times = runs.map((r) => r.createdAt).sort((a, b) => a - b);
    const mid = times[Math.floor(times.length / 2)];
    const text = new Date(mid).toISOString().slice(0, 19).replace('T', ' ');
    expect(ids(`created >= "${text}"`)).toEqual(idsWhere((r) => r.createdAt >= Math.floor(mid / 1000) * 1000));
    expect(ids(`created >= "${text.replace(' ', 'T')}Z"`)).toEqual(ids(`created >= "${text}"`));
    const day = text.slice(0, 10);
    expect(ids(`created >= ${day}`)).toEqual(idsWhere((r) => r.createdAt >= Date.parse(`${day}T00:00:00Z`)));
    expect(ids(`created < ${day}`)).toEqual(idsWhere((r) => r.createdAt < Date.parse(`${day}T00:00:00Z`)));
    expect(refusal('created > 2026-13-40').reason).toBe('created is a date or time in UTC, as runs list shows it: 2026-12-04, "2026-12-04 18:53" (or ms since 1970)');
    // "time < 20ms" said "trainMs is a number"
    expect(ids('time < 20ms')).toEqual(ids('time < 20'));
    expect(ids('time < 0.02s')).toEqual(ids('time < 20'));
    expect(refusal('time < 20kg').reason).toBe('trainMs is a number (in ms: 20, 20ms or 0.02s)');
  });

  it('leaves runs without a value out of a comparison and of its negation (unknown, as SQL’s NULL)', () => {
    const finished = idsWhere((r) => r2(r) !== null || r.status === 'diverged');
    const below = ids('r2 < 0.5');
    const notBelow = ids('not r2 < 0.5');
    expect(below.filter((id) => notBelow.includes(id))).toEqual([]);
    expect([...below, ...notBelow].sort((a, b) => a - b)).toEqual(idsWhere((r) => r.kind === 'regression' && outcomeOf(r) !== null));
    expect(notBelow.length).toBeGreaterThan(0);
    expect(finished.length).toBeLessThan(runs.length);
    // unknown or true is true; unknown and false is false
    const queued = runs.find((r) => r.status === 'queued')!;
    expect(matches(q('r2 < 0.5 or status = queued'), queued)).toBe(true);
    expect(matches(q('r2 < 0.5 and status = queued'), queued)).toBe(false);
    // a task parameter the task does not read: sincos has no noise
    expect(ids('noise = 0')).toEqual(idsWhere((r) => r.spec.task === 'circle' || r.spec.task === 'xor'));
  });

  it('combines with and, or, not and brackets, and takes and as read between two conditions', () => {
    expect(ids('activation = sigmoid or activation = tanh')).toEqual(ids('activation in (sigmoid, tanh)'));
    expect(ids('activation = sigmoid task = sincos')).toEqual(ids('activation = sigmoid and task = sincos'));
    expect(ids('not (activation = relu or activation = sigmoid)')).toEqual(idsWhere((r) => !['relu', 'sigmoid'].includes(r.spec.activation)));
    expect(ids('activation = relu AND NOT tag:baseline')).toEqual(idsWhere((r) => r.spec.activation === 'relu' && !r.tags.includes('baseline')));
    expect(ids('(status = done) && (lr > 1 || lr < 0.1)')).toEqual(idsWhere((r) => r.status === 'done' && (r.spec.learningRate > 1 || r.spec.learningRate < 0.1)));
    expect(ids('')).toHaveLength(runs.length);
    expect(ids('   ')).toHaveLength(runs.length);
  });

  it('searches the spec’s values, notes, tags and error text with a bare word or quoted text, and finds a run by #number', () => {
    expect(ids('retry')).toEqual(idsWhere((r) => r.notes.includes('retry')));
    expect(ids('"smaller step"')).toEqual(idsWhere((r) => r.notes.includes('smaller step')));
    expect(ids('notes ~ SEED')).toEqual(idsWhere((r) => r.notes === 'the seed'));
    expect(ids('notes:seed')).toEqual(ids('notes ~ seed'));
    expect(ids('adam')).toEqual(idsWhere((r) => r.spec.optimizer === 'adam' || r.tags.includes('adam')));
    expect(ids(`#${runs[3].id}`)).toEqual([runs[3].id]);
    // tags are user words: matched ignoring case, as the store matches them (found by trying: tag:Baseline matched no run tagged baseline)
    expect(ids('tag:Baseline')).toEqual(ids('tag:baseline'));
    expect(ids('tag:BASELINE')).toHaveLength(2);
    expect(ids('tag != Baseline')).toEqual(ids('not tag:baseline'));
    expect(ids('tag:Über')).toHaveLength(1);
    expect(ids('tag:über')).toEqual(ids('tag:Über'));
    expect(ids('tags ~ über')).toHaveLength(1);
  });

  it('reads curly quotes as quotes: text pasted from a document, “…” and ‘…’, as "…" and \'…\'', () => {
    // found by trying: notes:“smaller step” searched for the words “smaller and step”, and matched nothing
    expect(ids('notes:“smaller step”')).toEqual(ids('notes:"smaller step"'));
    expect(ids('notes:“smaller step”')).toHaveLength(1);
    expect(ids('notes ~ ‘smaller step’')).toEqual(ids("notes ~ 'smaller step'"));
    expect(ids('„smaller step“')).toEqual(ids('"smaller step"'));
    expect(ids('“smaller step“ or tag:baseline')).toEqual(ids('"smaller step" or tag:baseline'));
    // a straight quote inside curly ones is text, and an apostrophe inside a word stays in the word
    expect(parseQuery('notes ~ “a "b" c”', fields).root).toMatchObject({ value: { type: 'text', value: 'a "b" c' } });
    expect(parseQuery('notes ~ don’t', fields).root).toMatchObject({ value: { type: 'text', value: 'don’t' } });
    const e = refusal('notes ~ “unclosed');
    expect({ token: e.token, position: e.position }).toEqual({ token: '“unclosed', position: 8 });
    expect(e.message).toMatch(/quoted text is never closed/);
  });

  it('finds an experiment by name as well as by number', () => {
    const experiments = new Map([[fx.experimentId, { id: fx.experimentId, name: 'init-mean' }]]);
    expect(ids('experiment = "init-mean"', { experiments })).toEqual(ids(`experiment = ${fx.experimentId}`));
    expect(ids('experiment != "init-mean"', { experiments })).toEqual(idsWhere((r) => r.experimentId !== null && r.experimentId !== fx.experimentId));
  });

  it('says no experiment is named so, pointing at the name, where the lab has no experiment of that name', () => {
    // found by trying: `--where "experiment = x"` said "no runs match", as if experiment x had no runs
    const experiments = [{ id: 1, name: 'mixed one' }, { id: 2, name: 'its "quoted" — ünï' }];
    const unknown = (text: string, known = experiments) => {
      try {
        checkExperimentNames(q(text), known);
      } catch (e) {
        if (e instanceof QueryError) return e;
        throw e;
      }
      throw new Error(`'${text}' passed`);
    };
    const e = unknown('activation = relu and experiment = mixed');
    expect([e.position, e.token]).toEqual([35, 'mixed']);
    expect(e.message).toBe(`'mixed' at column 36: no experiment is named 'mixed' (the experiments: #1 'mixed one', #2 'its "quoted" — ünï')`);
    expect(unknown('exp in (1, "mixed onr")').message).toMatch(/no experiment is named 'mixed onr' \(did you mean 'mixed one'\?\)$/);
    expect(unknown('experiment != x', []).message).toMatch(/no experiment is named 'x' \(this lab has no experiments yet\)$/);
    // names as the query compares them: ignoring case; numbers are not names
    for (const text of ['experiment = "MIXED ONE"', 'experiment = 3', 'experiment != "its \\"quoted\\" — ünï"', 'activation = relu']) expect(() => checkExperimentNames(q(text), experiments), text).not.toThrow();
  });

  it('points at the token of every error, with its position', () => {
    const cases: [string, string, number, RegExp][] = [
      ['activaton = relu', 'activaton', 0, /unknown field \(did you mean activation\?\)/],
      ['activation = rellu', 'rellu', 13, /activation is one of relu, sigmoid, .*\(did you mean relu\?\)/],
      ['lr < fast', 'fast', 5, /learningRate is a number/],
      ['initMean = eps2', 'eps2', 11, /initMean is a number \(or eps, -eps\)/],
      ['activation < relu', '<', 11, /activation is one of a few words: compare it with = !=/],
      ['r2 ~ 0.5', '~', 3, /r2 is a number: compare it with = != < <= > >=/],
      ['activation = relu and', 'and', 18, /'and' needs a condition after it/],
      ['activation = relu or or lr = 1', 'or', 21, /'or' needs a condition after it/],
      ['(activation = relu', '', 18, /expected '\)' to close the '\(' at column 1/],
      ['activation = relu)', ')', 17, /this '\)' closes no '\('/],
      ['notes ~ "unclosed', '"unclosed', 8, /quoted text is never closed/],
      ['activation relu', 'relu', 11, /expected =, !=, <, <=, >, >=, ~ or in after the field activation/],
      ['activation', 'activation', 0, /expected =, .* after the field activation/],
      ['= relu', '=', 0, /'=' needs a field before it/],
      ['lr = ', '', 5, /expected a value for learningRate/],
      ['activation in relu', 'relu', 14, /expected a list after in/],
      ['lr in (1 2)', '2', 9, /expected ',' or '\)' in the list/],
      ['shape = [1, x]', 'x', 12, /a layer width is a whole number/],
      // it said "expected and, or or the end of the query" at the comma
      ['shape = 1,16,2', ',', 9, /a shape with commas goes in brackets or quotes: \[1, 16, 2\] or "1,16,2" \(or 1-16-2\)$/],
      ['lr = (1)', '(', 5, /a list goes with in/],
      ['()', ')', 1, /empty brackets/],
      ['lr ! 1', '!', 3, /'!' goes with '=' or '~'/],
      ['group by activation', 'activation', 9, /expected =, .* after the field activation/],
      // found by trying: these read as "the name does not contain" and kept every run of another experiment
      ['experiment > "zzz"', '>', 11, /an experiment's name is compared with = or != \(its number with < <= > >= too\)/],
      ['exp <= mixed', '<=', 4, /an experiment's name is compared with = or !=/],
    ];
    for (const [text, token, position, reason] of cases) {
      const e = refusal(text);
      expect({ text, token: e.token, position: e.position }).toEqual({ text, token, position });
      expect(e.message, text).toMatch(reason);
      expect(e.message).toContain(`at column ${position + 1}`);
    }
    expect(pointAt('activaton = relu', refusal('activaton = relu'))).toBe('  activaton = relu\n  ^^^^^^^^^');
  });

  it('never throws anything but a QueryError, whatever the text', () => {
    const pieces = ['activation', 'lr', '=', '<', '!=', '~', ':', 'and', 'or', 'not', 'in', '(', ')', '[', ']', ',', 'relu', '0.5', '-eps', '"x', '"y"', 'tag', '#3', '%', '!', 'constructor', '__proto__', 'toString', '1e400', '−'];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: 1 + rand(7) }, () => pieces[rand(pieces.length)]).join(rand(3) ? ' ' : '');
      try {
        filterRuns(runs, q(text));
      } catch (e) {
        expect(e, text).toBeInstanceOf(QueryError);
      }
    }
  });

  it('refuses a query longer than the lab takes, at the first character past it, as the CLI and the page both read it', () => {
    // found by trying: a 600-term `lr = 0 or lr = 1 or …` (6,700 characters) was answered by `nnlab runs list --where`
    // and refused by the runs page in zod's words ("where: Too big: expected string to have <=4000 characters");
    // 3000 '(' (or 20,000 nots) overflowed the parser's stack: the CLI printed a RangeError's trace, the page a pageerror
    const long = Array.from({ length: 600 }, (_, i) => `lr = ${i}`).join(' or ');
    for (const text of [long, `${'('.repeat(3000)}r2 > 0${')'.repeat(3000)}`, `${'not '.repeat(20_000)}r2 > 0`]) {
      const e = refusal(text);
      expect(e.position).toBe(QUERY_MAX_LENGTH);
      expect(e.message).toBe(`'${text[QUERY_MAX_LENGTH]}' at column ${QUERY_MAX_LENGTH + 1}: a query is at most ${QUERY_MAX_LENGTH} characters, and this one has ${text.length}`);
    }
    const most = `${'lr = 1 or '.repeat(399)}lr = 0.5`.padEnd(QUERY_MAX_LENGTH, ' ');
    expect(most).toHaveLength(QUERY_MAX_LENGTH);
    expect(ids(most)).toEqual(ids('lr in (1, 0.5)'));
    // as deep as that length allows still parses
    expect(ids(`${'('.repeat(1990)}activation = relu${')'.repeat(1990)}`)).toEqual(ids('activation = relu'));
  });

  it('pushes down only the top-level conditions on the store’s own columns', () => {
    expect(pushdown(q(`status = done and experiment = 3 and tag:baseline and id > 10 and r2 < 0.5`))).toEqual([
      { column: 'status', op: '=', values: ['done'] },
      { column: 'experiment', op: '=', values: [3] },
      { column: 'tag', op: '=', values: ['baseline'] },
      { column: 'id', op: '>', values: [10] },
    ]);
    expect(pushdown(q('status = done or experiment = 3'))).toEqual([]);
    expect(pushdown(q('not status = done'))).toEqual([]);
    expect(pushdown(q('experiment = "init-mean"'))).toEqual([]);
    expect(pushdown(q('status in (done, diverged) and experiment in (1, 2)'))).toEqual([
      { column: 'status', op: 'in', values: ['done', 'diverged'] },
      { column: 'experiment', op: 'in', values: [1, 2] },
    ]);
  });
});
