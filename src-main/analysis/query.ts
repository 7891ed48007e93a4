/**
 * The runs query language, one definition for the app's runs table and `nnlab runs list --where`:
 *
 *   activation = relu and r2 < 0.5        comparisons of any run field (run-fields.ts), and/or/not, ( )
 *   tag:baseline  experiment = 3          tags; an experiment by number, or by "name"
 *   lr in (0.5, 1)  initMean = -eps       lists; init mean relative to each run's own eps
 *   outcome != learned  notes ~ "retry"   enums by name; ~ contains (text)
 *   testAccuracy >= 90%  #83  sigmoid     percentages; a run by number; a bare word searches
 *                                         the spec, notes, tags and error text
 *
 * Grammar (keywords in any case; `and` may be left out between two conditions):
 *
 *   query      := or?
 *   or         := and ( 'or' and )*
 *   and        := unary ( 'and'? unary )*
 *   unary      := 'not' unary | '(' or ')' | condition
 *   condition  := FIELD op value | FIELD 'not'? 'in' list | WORD | STRING
 *   op         := = | == | != | < | <= | > | >= | ~ | !~ | :
 *   value      := NUMBER | WORD | STRING | list        list := ( '(' | '[' ) value ( ',' value )* ( ')' | ']' )
 *
 * Every value is checked against its field when the query is parsed (a number for a number, one
 * of the schema's choices for an enum), and every error is a QueryError that names the token and
 * its position, so the app can point at it and the CLI can draw a caret under it.
 *
 * A run without a value (an unfinished run has no r²; sincos runs do not read `noise`) makes a
 * comparison unknown, as SQL's NULL does: `r2 < 0.5` and `not r2 < 0.5` both leave it out, and a
 * query keeps the runs it is true of. The store narrows by the conjuncts it can answer from its
 * own columns (pushdown: status, experiment, run number, tags); the rest is evaluated here on the
 * parsed summaries, so each field has one meaning. Pure (no Node, no DOM).
 */
import type { RunSummary } from '../db/types';
import { epsSign } from '../trainer/spec-fields';
import { QUERY_MAX_LENGTH } from '../limits';
import { editDistance } from './edit-distance';
import { type FieldContext, type RunField, type RunFieldTable, normalName } from './run-fields';

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | '~' | '!~';

/** A checked value: a number, a multiple of the run's eps, a word or text, a list of widths. */
export type QueryValue =
  | { type: 'number'; value: number }
  | { type: 'eps'; times: number }
  | { type: 'text'; value: string }
  | { type: 'shape'; value: readonly number[] };

export type QueryNode =
  | { kind: 'and' | 'or'; items: QueryNode[] }
  | { kind: 'not'; item: QueryNode }
  | { kind: 'compare'; field: RunField; op: CompareOp; value: QueryValue }
  | { kind: 'in'; field: RunField; values: QueryValue[]; negated: boolean }
  | { kind: 'search'; text: string };

export interface Query {
  /** The text as typed. */
  readonly text: string;
  /** null: the empty query, which every run matches. */
  readonly root: QueryNode | null;
  /** The experiment names it compares with (`experiment = "init-mean"`), where they stand: checkExperimentNames says when the lab has none so named. */
  readonly experimentNames?: readonly { name: string; position: number; token: string }[];
}

/** A query that does not parse: what is wrong, at which character (0-based) and which token. */
export class QueryError extends Error {
  constructor(
    readonly reason: string,
    /** 0-based offset of the token in the query text (the text's length for its end). */
    readonly position: number,
    /** The token as typed ('' at the end of the query). */
    readonly token: string,
  ) {
    super(`${token ? `'${token}' at column ${position + 1}` : `at column ${position + 1} (the end)`}: ${reason}`);
    this.name = 'QueryError';
  }
}

/** The query with a caret line under the offending token, for a terminal. */
export function pointAt(text: string, e: QueryError): string {
  const width = Math.max(1, e.token.length);
  return `  ${text}\n  ${' '.repeat(e.position)}${'^'.repeat(width)}`;
}

// ---- tokens -------------------------------------------------------------------------------------

type TokenKind = 'word' | 'number' | 'string' | 'op' | '(' | ')' | '[' | ']' | ',' | 'and' | 'or' | 'not' | 'in' | 'end';

interface Token {
  kind: TokenKind;
  /** As typed (a string's without its quotes and escapes). */
  text: string;
  /** The characters it covers in the query. */
  start: number;
  end: number;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?%?$/i;
const KEYWORDS = new Map<string, TokenKind>([['and', 'and'], ['&&', 'and'], ['or', 'or'], ['||', 'or'], ['not', 'not'], ['in', 'in']]);
/** Characters that end a word. */
const STOP = /[\s()[\],=!<>~:"']/;
/**
 * What opens quoted text, and what closes it: straight quotes close with their own kind; curly
 * ones (text pasted from a document: “…”, ‘…’, „…“) with any curly quote of their kind, as word
 * processors and languages pair them differently. A curly quote inside a word is the word's
 * (don’t).
 */
const QUOTES = new Map<string, string>([
  ['"', '"'],
  ["'", "'"],
  ...[...'“”„'].map((q) => [q, '“”'] as [string, string]),
  ...[...'‘’‚'].map((q) => [q, '‘’'] as [string, string]),
]);

/** A typographic minus (as the app writes −0.1) read as '-'. */
const minus = (s: string) => s.replace(/\u2212/g, '-');

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if ('()[],'.includes(c)) {
      out.push({ kind: c as TokenKind, text: c, start, end: ++i });
      continue;
    }
    const two = text.slice(i, i + 2);
    if (['!=', '<=', '>=', '==', '!~'].includes(two)) {
      i += 2;
      out.push({ kind: 'op', text: two, start, end: i });
      continue;
    }
    if ('=<>~:'.includes(c)) {
      out.push({ kind: 'op', text: c, start, end: ++i });
      continue;
    }
    if (c === '!') throw new QueryError("'!' goes with '=' or '~' (!= differs, !~ does not contain); for the opposite of a condition write not", start, '!');
    const closing = QUOTES.get(c);
    if (closing) {
      let s = '';
      i++;
      while (i < text.length && !closing.includes(text[i])) {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        s += text[i++];
      }
      if (i >= text.length) throw new QueryError('this quoted text is never closed', start, text.slice(start));
      i++;
      out.push({ kind: 'string', text: s, start, end: i });
      continue;
    }
    while (i < text.length && !STOP.test(text[i])) i++;
    const word = text.slice(start, i);
    const kw = KEYWORDS.get(word.toLowerCase());
    out.push({ kind: kw ?? (NUMBER.test(minus(word)) ? 'number' : 'word'), text: word, start, end: i });
  }
  out.push({ kind: 'end', text: '', start: text.length, end: text.length });
  return out;
}

// ---- values -------------------------------------------------------------------------------------

const OPS_OF_TYPE: Record<RunField['type'], readonly CompareOp[]> = {
  number: ['=', '!=', '<', '<=', '>', '>='],
  enum: ['=', '!='],
  text: ['=', '!=', '~', '!~'],
  shape: ['=', '!='],
  tags: ['=', '!=', '~', '!~'],
};

const TYPE_WORDS: Record<RunField['type'], string> = {
  number: 'a number',
  enum: 'one of a few words',
  text: 'text',
  shape: 'a list of layer widths',
  tags: 'a set of tags',
};

/** The closest of some names to a misspelt one, if it is close. */
function closest(name: string, names: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const n of names) {
    const dd = editDistance(normalName(name), normalName(n));
    if (dd < bestD) {
      best = n;
      bestD = dd;
    }
  }
  return best !== null && bestD <= Math.max(1, Math.floor(name.length / 3)) ? best : null;
}

function numberOf(tok: Token): number {
  const text = minus(tok.text);
  const pct = text.endsWith('%');
  const n = Number(pct ? text.slice(0, -1) : text);
  return pct ? n / 100 : n;
}

/** A UTC date or time as the runs list writes it (2026-12-04, 2026-12-04 18:53[:36[.5]], an ISO 8601 T and Z too): ms since 1970, or null. */
function dateOf(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?Z?$/i.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h = 0, mi = 0, sec = 0] = m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v))) as number[];
  const ms = Date.UTC(y, mo - 1, d, h, mi, sec) + (m[7] ? Math.round(Number(m[7]) * 1000) : 0);
  const back = new Date(ms);
  // 2026-13-40 or 25:00 would roll over into another date: refused
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || back.getUTCHours() !== h || back.getUTCMinutes() !== mi || back.getUTCSeconds() !== sec) return null;
  return ms;
}

const INFINITIES = new Map<string, number>([['inf', Infinity], ['+inf', Infinity], ['infinity', Infinity], ['-inf', -Infinity], ['-infinity', -Infinity]]);

class Parser {
  private i = 0;
  private readonly tokens: Token[];
  private readonly names: { name: string; position: number; token: string }[] = [];

  constructor(
    private readonly text: string,
    private readonly fields: RunFieldTable,
    private readonly fieldsListed: string,
  ) {
    this.tokens = tokenize(text);
  }

  private peek(k = 0): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)];
  }

  private next(): Token {
    return this.tokens[Math.min(this.i++, this.tokens.length - 1)];
  }

  private fail(reason: string, tok: Token): never {
    throw new QueryError(reason, tok.start, tok.kind === 'end' ? '' : this.text.slice(tok.start, tok.end));
  }

  parse(): Query {
    if (this.peek().kind === 'end') return { text: this.text, root: null };
    const root = this.or();
    const t = this.peek();
    if (t.kind !== 'end') this.fail(t.kind === ')' ? "this ')' closes no '('" : `expected and, or or the end of the query`, t);
    return { text: this.text, root, experimentNames: this.names };
  }

  private or(): QueryNode {
    const items = [this.and()];
    while (this.peek().kind === 'or') {
      const op = this.next();
      this.needCondition(op);
      items.push(this.and());
    }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  }

  private and(): QueryNode {
    const items = [this.unary()];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'and') {
        this.next();
        this.needCondition(t);
      } else if (!['word', 'number', 'string', '(', 'not'].includes(t.kind)) break;
      items.push(this.unary());
    }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  }

  /** After and/or/not: the end of the query or a closing bracket is an error pointing at the keyword. */
  private needCondition(keyword: Token): void {
    const t = this.peek();
    if (t.kind === 'end' || t.kind === ')' || t.kind === 'and' || t.kind === 'or') this.fail(`'${keyword.text}' needs a condition after it`, t.kind === 'end' ? keyword : t);
  }

  private unary(): QueryNode {
    const t = this.peek();
    if (t.kind === 'not') {
      this.next();
      this.needCondition(t);
      return { kind: 'not', item: this.unary() };
    }
    if (t.kind === '(') {
      this.next();
      if (this.peek().kind === ')') this.fail('empty brackets: put a condition inside', this.peek());
      const inner = this.or();
      const close = this.peek();
      if (close.kind !== ')') this.fail(`expected ')' to close the '(' at column ${t.start + 1}`, close);
      this.next();
      return inner;
    }
    return this.condition();
  }

  private condition(): QueryNode {
    const t = this.next();
    if (t.kind === 'string') return { kind: 'search', text: t.text };
    if (t.kind !== 'word' && t.kind !== 'number') this.fail(t.kind === 'end' ? 'expected a condition' : t.kind === 'op' ? `'${t.text}' needs a field before it (activation = relu)` : `unexpected '${t.text}'`, t);
    const after = this.peek();
    const isIn = after.kind === 'in' || (after.kind === 'not' && this.peek(1).kind === 'in');
    if (after.kind !== 'op' && !isIn) {
      if (t.kind === 'word' && /^#\d+$/.test(t.text)) return { kind: 'compare', field: this.fields.get('id'), op: '=', value: { type: 'number', value: Number(t.text.slice(1)) } };
      const field = t.kind === 'word' ? this.fields.find(t.text) : undefined;
      if (field) this.fail(`expected =, !=, <, <=, >, >=, ~ or in after the field ${field.key}`, after.kind === 'end' ? t : after);
      return { kind: 'search', text: t.text };
    }
    const field = this.fieldOf(t);
    if (isIn) {
      const negated = this.next().kind === 'not';
      if (negated) this.next();
      return { kind: 'in', field, values: this.list(field), negated };
    }
    const opTok = this.next();
    let op = (opTok.text === '==' ? '=' : opTok.text) as CompareOp | ':';
    // field:value, as in GitHub's search: text contains it, a tag is had, anything else equals it
    if (op === ':') op = field.type === 'text' ? '~' : '=';
    if (!OPS_OF_TYPE[field.type].includes(op)) {
      const allowed = OPS_OF_TYPE[field.type].join(' ');
      this.fail(`${field.key} is ${TYPE_WORDS[field.type]}: compare it with ${allowed}`, opTok);
    }
    const vt = this.peek();
    if (vt.kind === '(' || vt.kind === '[') {
      if (field.type !== 'shape') this.fail(`a list goes with in: ${field.key} in (…)`, vt);
    }
    const value = this.value(field);
    // a name has no order: < > would read as "does not contain" (textCompare)
    if (field.key === 'experiment' && value.type === 'text' && op !== '=' && op !== '!=') this.fail(`an experiment's name is compared with = or != (its number with < <= > >= too)`, opTok);
    return { kind: 'compare', field, op, value };
  }

  private fieldOf(t: Token): RunField {
    const field = t.kind === 'word' ? this.fields.find(t.text) : undefined;
    if (field) return field;
    const names = this.fields.fields.flatMap((f) => [f.key, ...f.names]);
    const guess = closest(t.text, names);
    return this.fail(`unknown field${guess ? ` (did you mean ${this.fields.find(guess)!.key}?)` : ''}; ${this.fieldsListed}`, t);
  }

  private list(field: RunField): QueryValue[] {
    const open = this.next();
    if (open.kind !== '(' && open.kind !== '[') this.fail(`expected a list after in: ${field.key} in (a, b)`, open);
    const close = open.kind === '(' ? ')' : ']';
    const values: QueryValue[] = [];
    for (;;) {
      values.push(this.value(field, true));
      const t = this.next();
      if (t.kind === close) return values;
      if (t.kind !== ',') this.fail(`expected ',' or '${close}' in the list`, t);
    }
  }

  /** A value checked against its field. */
  private value(field: RunField, inList = false): QueryValue {
    const t = this.peek();
    if (field.type === 'shape') return this.shape(inList);
    this.next();
    if (t.kind !== 'word' && t.kind !== 'number' && t.kind !== 'string') this.fail(t.kind === 'end' ? `expected a value for ${field.key}` : `expected a value for ${field.key}, not '${t.text}'`, t);
    switch (field.type) {
      case 'number': {
        if (t.kind === 'number') return { type: 'number', value: numberOf(t) };
        const w = minus(t.text).toLowerCase();
        const inf = INFINITIES.get(w);
        if (inf !== undefined) return { type: 'number', value: inf };
        const sign = field.relativeToEps ? epsSign(t.text) : null;
        if (sign !== null) return { type: 'eps', times: sign };
        // an experiment by its name
        if (field.key === 'experiment') {
          this.names.push({ name: t.text, position: t.start, token: this.text.slice(t.start, t.end) });
          return { type: 'text', value: t.text };
        }
        if (field.date) {
          const ms = dateOf(t.text);
          if (ms !== null) return { type: 'number', value: ms };
          return this.fail(`${field.key} is a date or time in UTC, as runs list shows it: 2026-12-04, "2026-12-04 18:53" (or ms since 1970)`, t);
        }
        if (field.unit === 'ms') {
          const m = /^(.+?)(ms|s)$/i.exec(minus(t.text));
          if (m && NUMBER.test(m[1]) && !m[1].endsWith('%')) return { type: 'number', value: Number(m[1]) * (m[2].toLowerCase() === 's' ? 1000 : 1) };
          return this.fail(`${field.key} is a number (in ms: 20, 20ms or 0.02s)`, t);
        }
        return this.fail(`${field.key} is a number${field.relativeToEps ? ' (or eps, -eps)' : ''}`, t);
      }
      case 'enum': {
        const choices = field.choices ?? [];
        // two words as the runs list writes a choice (outcome = learned nothing), before the first alone
        const more = this.peek();
        const joined = more.kind === 'word' ? choices.find((c) => normalName(c) === normalName(`${t.text}-${more.text}`)) : undefined;
        if (joined) {
          this.next();
          return { type: 'text', value: joined };
        }
        const hit = choices.find((c) => normalName(c) === normalName(t.text));
        if (hit) return { type: 'text', value: hit };
        const guess = closest(t.text, choices);
        return this.fail(`${field.key} is one of ${choices.join(', ')}${guess ? ` (did you mean ${guess}?)` : ''}`, t);
      }
      default:
        return { type: 'text', value: t.text };
    }
  }

  /** [1, 16, 2], "1,16,2" or 1-16-2. */
  private shape(inList: boolean): QueryValue {
    const t = this.next();
    const bad = (): never => this.fail('a shape is a list of layer widths: [1, 16, 2]', t);
    let widths: number[];
    if (t.kind === '[' || t.kind === '(') {
      widths = [];
      const close = t.kind === '[' ? ']' : ')';
      for (;;) {
        const n = this.next();
        if (n.kind !== 'number' || !/^\d+$/.test(n.text)) this.fail('a layer width is a whole number', n);
        widths.push(Number(n.text));
        const sep = this.next();
        if (sep.kind === close) break;
        if (sep.kind !== ',') this.fail(`expected ',' or '${close}' in the shape`, sep);
      }
    } else if (t.kind === 'word' || t.kind === 'string' || t.kind === 'number') {
      const parts = t.text.split(/[-,x×\s]+/).filter(Boolean);
      if (!parts.length || !parts.every((p) => /^\d+$/.test(p))) bad();
      // shape = 1,16,2: the comma ends the value (a list's separator), so the rest would read as no condition
      if (!inList && t.kind !== 'string' && this.peek().kind === ',') this.fail('a shape with commas goes in brackets or quotes: [1, 16, 2] or "1,16,2" (or 1-16-2)', this.peek());
      widths = parts.map(Number);
    } else return bad();
    return { type: 'shape', value: widths };
  }
}

/**
 * Parses a query against a run field table; throws QueryError pointing at the offending token.
 * A query is at most QUERY_MAX_LENGTH characters (the runs table's request takes no more), which
 * also bounds how deep its brackets and nots can nest (the parser recurses on them).
 */
export function parseQuery(text: string, fields: RunFieldTable, fieldsListed: string = FIELDS_LISTED_BY_CLI): Query {
  if (text.length > QUERY_MAX_LENGTH) throw new QueryError(`a query is at most ${QUERY_MAX_LENGTH} characters, and this one has ${text.length}`, QUERY_MAX_LENGTH, text[QUERY_MAX_LENGTH]);
  return new Parser(text, fields, fieldsListed).parse();
}

/** Where an unknown field's refusal sends a person to find the fields: the CLI's command (parseQuery's default), or the app's place (the runs page passes its own). */
export const FIELDS_LISTED_BY_CLI = 'the fields are listed by nnlab runs fields';

/**
 * Refuses a query that names an experiment the lab does not have (compared as the query compares
 * names: ignoring case), pointing at the name: such a condition is never true, and "no runs
 * match" would read as if that experiment had no runs. The CLI and the runs page call it with
 * the lab's experiments.
 */
export function checkExperimentNames(q: Query, experiments: Iterable<{ id: number; name: string }>): void {
  if (!q.experimentNames?.length) return;
  const all = [...experiments].sort((a, b) => a.id - b.id);
  const names = new Set(all.map((e) => e.name.toLowerCase()));
  for (const n of q.experimentNames) {
    if (names.has(n.name.toLowerCase())) continue;
    const guess = closest(n.name, all.map((e) => e.name));
    const listed = all.slice(0, 5).map((e) => `#${e.id} '${e.name}'`).join(', ');
    const hint = guess ? `did you mean '${guess}'?` : all.length ? `the experiments: ${listed}${all.length > 5 ? `, and ${all.length - 5} more` : ''}` : 'this lab has no experiments yet';
    throw new QueryError(`no experiment is named '${n.name}' (${hint})`, n.position, n.token);
  }
}

// ---- evaluation ---------------------------------------------------------------------------------

/** Kleene's three values: null is unknown (the run has no such value). */
type Truth = boolean | null;

const searchText = new WeakMap<RunSummary, string>();

/** What a bare word searches: the spec's values (not its field names, which every run has), notes, tags and error text, in lower case. */
function haystack(r: RunSummary): string {
  let s = searchText.get(r);
  if (s === undefined) {
    const values = Object.values(r.spec).map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)));
    s = `${values.join('\n')}\n${r.notes}\n${r.tags.join('\n')}\n${r.error ?? ''}`.toLowerCase();
    searchText.set(r, s);
  }
  return s;
}

function compareNumbers(x: number, op: CompareOp, y: number): boolean {
  switch (op) {
    case '=':
      return x === y;
    case '!=':
      return x !== y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    default:
      return false;
  }
}

function compare(field: RunField, op: CompareOp, want: QueryValue, r: RunSummary, ctx: FieldContext): Truth {
  const v = field.value(r, ctx);
  if (v === null) return null;
  if (field.type === 'tags') {
    const tags = v as readonly string[];
    const w = want.type === 'text' ? want.value : '';
    // tags are user words: compared ignoring case (toLowerCase, as the store's SQL compares them: db/store.ts)
    const lw = w.toLowerCase();
    if (op === '=' || op === '!=') return tags.some((t) => t.toLowerCase() === lw) === (op === '=');
    const has = tags.some((t) => t.toLowerCase().includes(lw));
    return op === '~' ? has : !has;
  }
  if (field.type === 'shape') {
    const a = v as readonly number[];
    const b = want.type === 'shape' ? want.value : [];
    const same = a.length === b.length && a.every((x, i) => x === b[i]);
    return op === '=' ? same : !same;
  }
  if (field.key === 'experiment' && want.type === 'text') {
    const name = ctx.experiments?.get(v as number)?.name;
    if (name === undefined) return null;
    return textCompare(name, op, want.value);
  }
  if (typeof v === 'number') {
    const y = want.type === 'number' ? want.value : want.type === 'eps' ? want.times * r.spec.eps : NaN;
    return compareNumbers(v, op, y);
  }
  if (field.type === 'enum') return (v === (want.type === 'text' ? want.value : '')) === (op === '=');
  return textCompare(String(v), op, want.type === 'text' ? want.value : '');
}

/** Text: = and != ignore case; ~ and !~ are "contains", ignoring case. */
function textCompare(v: string, op: CompareOp, w: string): boolean {
  const a = v.toLowerCase();
  const b = w.toLowerCase();
  if (op === '=') return a === b;
  if (op === '!=') return a !== b;
  return a.includes(b) === (op === '~');
}

function evaluate(n: QueryNode, r: RunSummary, ctx: FieldContext): Truth {
  switch (n.kind) {
    case 'and': {
      let unknown = false;
      for (const item of n.items) {
        const t = evaluate(item, r, ctx);
        if (t === false) return false;
        if (t === null) unknown = true;
      }
      return unknown ? null : true;
    }
    case 'or': {
      let unknown = false;
      for (const item of n.items) {
        const t = evaluate(item, r, ctx);
        if (t === true) return true;
        if (t === null) unknown = true;
      }
      return unknown ? null : false;
    }
    case 'not': {
      const t = evaluate(n.item, r, ctx);
      return t === null ? null : !t;
    }
    case 'compare':
      return compare(n.field, n.op, n.value, r, ctx);
    case 'in': {
      let unknown = false;
      for (const v of n.values) {
        const t = compare(n.field, '=', v, r, ctx);
        if (t === true) return !n.negated;
        if (t === null) unknown = true;
      }
      return unknown ? null : n.negated;
    }
    case 'search':
      return haystack(r).includes(n.text.toLowerCase());
  }
}

/** Whether the query is true of the run (an unknown counts as not). */
export function matches(q: Query, r: RunSummary, ctx: FieldContext = {}): boolean {
  return q.root === null || evaluate(q.root, r, ctx) === true;
}

/** The runs the query is true of, in their order. */
export function filterRuns<R extends RunSummary>(runs: readonly R[], q: Query, ctx: FieldContext = {}): R[] {
  if (q.root === null) return [...runs];
  return runs.filter((r) => evaluate(q.root!, r, ctx) === true);
}

// ---- what the store can answer ------------------------------------------------------------------

/** A condition on one of the store's own columns, which it can check in SQL before the rest is evaluated here. */
export type Pushdown =
  | { column: 'id' | 'experiment'; op: Exclude<CompareOp, '~' | '!~'> | 'in'; values: number[] }
  | { column: 'status'; op: '=' | '!=' | 'in'; values: string[] }
  | { column: 'tag'; op: '=' | '!='; values: string[] };

/**
 * The query's top-level conjuncts that the store can check on its columns (each exactly as
 * `matches` would, NULLs included): the store keeps the runs they are true of, and `matches`
 * then decides. Anything under or/not, and every field that needs the parsed spec or a derived
 * score, stays here.
 */
export function pushdown(q: Query): Pushdown[] {
  if (!q.root) return [];
  const items = q.root.kind === 'and' ? q.root.items : [q.root];
  const out: Pushdown[] = [];
  for (const n of items) {
    if (n.kind === 'compare') {
      const { key } = n.field;
      if ((key === 'id' || key === 'experiment') && n.value.type === 'number') out.push({ column: key, op: n.op as Exclude<CompareOp, '~' | '!~'>, values: [n.value.value] });
      else if (key === 'status' && n.value.type === 'text' && (n.op === '=' || n.op === '!=')) out.push({ column: 'status', op: n.op, values: [n.value.value] });
      else if (key === 'tags' && n.value.type === 'text' && (n.op === '=' || n.op === '!=')) out.push({ column: 'tag', op: n.op, values: [n.value.value] });
    } else if (n.kind === 'in' && !n.negated && n.values.every((v) => v.type === 'number' || v.type === 'text')) {
      const { key } = n.field;
      if ((key === 'id' || key === 'experiment') && n.values.every((v) => v.type === 'number')) out.push({ column: key, op: 'in', values: n.values.map((v) => (v as { value: number }).value) });
      else if (key === 'status') out.push({ column: 'status', op: 'in', values: n.values.map((v) => (v as { value: string }).value) });
    }
  }
  return out;
}
