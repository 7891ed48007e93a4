/**
 * Target expressions: the function a network is asked to fit, written as text —
 * `sin(3*x) + 0.1*x^2` (one input, `x`), `x1 * x2` (two inputs, `x1` and `x2`), and several
 * outputs separated by `;` (`sin(x); cos(x)` is the seed's task).
 *
 * mathjs's parser (its parse function alone, built by `create({ parseDependencies })`) reads the
 * text into a syntax tree; nothing is ever evaluated by mathjs. This file checks every node of the
 * tree against a whitelist — numbers, the input variables, the constants pi, e and tau, arithmetic
 * and comparison operators, `a ? b : c`, and the functions in FUNCTIONS — and compiles the tree
 * into a small stack program over float64 values. Anything else (assignments, property access such
 * as `x.constructor`, strings, matrices, objects, unknown names, functions not in the table) is
 * refused with its position in the text, so nothing but these math functions is reachable.
 *
 * The program runs without allocating: opcodes in an Int32Array, constants and the value stack in
 * Float64Arrays, results written into the caller's array (a function returning a double would box
 * it). A target is compiled once per run; `evaluate` is the drawn task's hot path.
 *
 * Semantics are IEEE float64 and Math's: `^` is Math.pow, `mod` and `%` follow mathjs (the sign of
 * the divisor: x − y·floor(x / y), and x mod 0 = x), `round` rounds halves away from zero as mathjs
 * does, comparisons are exact and give 1 or 0, `and`/`or`/`xor`/`not` treat non-zero as true,
 * `hypot` is computed two values at a time as big · √(1 + (small / big)²).
 */
import { create, type MathNode, parseDependencies } from 'mathjs';
import type { FloatArray } from './activations';

/** At most this many outputs (parts separated by `;`), inputs (x1 … x9) and characters. */
export const MAX_TARGET_OUTPUTS = 16;
export const MAX_TARGET_INPUTS = 9;
export const MAX_TARGET_LENGTH = 2000;

/** A target that cannot be used; `position` is 1-based in the whole text (null when it concerns no character). */
export class ExpressionError extends Error {
  constructor(
    readonly position: number | null,
    readonly reason: string,
  ) {
    super(position === null ? reason : `position ${position}: ${reason}`);
    this.name = 'ExpressionError';
  }
}

/** Functions of the whitelist: their arity (min, max; max Infinity for min/max/hypot). */
const FUNCTIONS = {
  sin: [1, 1], cos: [1, 1], tan: [1, 1], asin: [1, 1], acos: [1, 1], atan: [1, 1], atan2: [2, 2],
  sinh: [1, 1], cosh: [1, 1], tanh: [1, 1], asinh: [1, 1], acosh: [1, 1], atanh: [1, 1],
  exp: [1, 1], expm1: [1, 1], log: [1, 2], log10: [1, 1], log2: [1, 1], log1p: [1, 1],
  sqrt: [1, 1], cbrt: [1, 1], square: [1, 1], cube: [1, 1], pow: [2, 2], abs: [1, 1], sign: [1, 1],
  floor: [1, 1], ceil: [1, 1], round: [1, 1], fix: [1, 1], mod: [2, 2], min: [1, Infinity], max: [1, Infinity], hypot: [1, Infinity],
} as const satisfies Record<string, readonly [number, number]>;
type FunctionName = keyof typeof FUNCTIONS;
const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];

const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E, tau: 2 * Math.PI };

/** mathjs's operator functions that are allowed, by the name its OperatorNode gives them. */
const OPERATORS = ['add', 'subtract', 'multiply', 'divide', 'pow', 'mod', 'unaryMinus', 'unaryPlus', 'smaller', 'larger', 'smallerEq', 'largerEq', 'equal', 'unequal', 'and', 'or', 'xor', 'not'] as const;
type OperatorName = (typeof OPERATORS)[number];

// ---- the stack program ---------------------------------------------------------------------------

const OP = {
  const: 0, variable: 1, jumpIfZero: 2, jump: 3, output: 4,
  add: 10, subtract: 11, multiply: 12, divide: 13, pow: 14, mod: 15,
  smaller: 16, larger: 17, smallerEq: 18, largerEq: 19, equal: 20, unequal: 21, and: 22, or: 23, xor: 24, atan2: 25, log2args: 26,
  unaryMinus: 40, not: 41,
  sin: 50, cos: 51, tan: 52, asin: 53, acos: 54, atan: 55, sinh: 56, cosh: 57, tanh: 58, asinh: 59, acosh: 60, atanh: 61,
  exp: 62, expm1: 63, log: 64, log10: 65, log2: 66, log1p: 67, sqrt: 68, cbrt: 69, square: 70, cube: 71, abs: 72, sign: 73,
  floor: 74, ceil: 75, round: 76, fix: 77,
  min: 27, max: 28, hypot: 29,
} as const;

/** A compiled target: `outputs` values of `inputs` variables. */
export interface CompiledTarget {
  /** The text it was compiled from. */
  readonly text: string;
  readonly inputs: number;
  readonly outputs: number;
  /** Each output's text, trimmed ("sin(x)", "cos(x)"): the outputs' names. */
  readonly outputTexts: readonly string[];
  /** Writes the outputs for the input row x[xo … xo + inputs) into y[yo … yo + outputs), without allocating. */
  evaluate(x: ArrayLike<number>, xo: number, y: FloatArray, yo: number): void;
}

class Emitter {
  code: number[] = [];
  consts: number[] = [];
  depth = 0;
  maxDepth = 0;
  emit(op: number, arg = 0, pops = 0, pushes = 1): void {
    this.code.push(op, arg);
    this.depth += pushes - pops;
    if (this.depth > this.maxDepth) this.maxDepth = this.depth;
  }
  constant(v: number): void {
    this.consts.push(v);
    this.emit(OP.const, this.consts.length - 1);
  }
}

/** Round halves away from zero (mathjs's round), not towards +∞ (Math.round). */
function roundHalfAway(v: number): number {
  return v < 0 ? -Math.round(-v) : Math.round(v);
}

function mod(a: number, b: number): number {
  return b === 0 ? a : a - b * Math.floor(a / b);
}

function run(code: Int32Array, consts: Float64Array, stack: Float64Array, x: ArrayLike<number>, xo: number, y: FloatArray, yo: number): void {
  let sp = 0;
  let pc = 0;
  const n = code.length;
  while (pc < n) {
    const op = code[pc];
    const arg = code[pc + 1];
    pc += 2;
    switch (op) {
      case OP.const: stack[sp++] = consts[arg]; break;
      case OP.variable: stack[sp++] = x[xo + arg]; break;
      case OP.jumpIfZero: if (stack[--sp] === 0) pc = arg; break;
      case OP.jump: pc = arg; break;
      case OP.output: y[yo + arg] = stack[--sp]; break;
      case OP.add: sp--; stack[sp - 1] = stack[sp - 1] + stack[sp]; break;
      case OP.subtract: sp--; stack[sp - 1] = stack[sp - 1] - stack[sp]; break;
      case OP.multiply: sp--; stack[sp - 1] = stack[sp - 1] * stack[sp]; break;
      case OP.divide: sp--; stack[sp - 1] = stack[sp - 1] / stack[sp]; break;
      case OP.pow: sp--; stack[sp - 1] = Math.pow(stack[sp - 1], stack[sp]); break;
      case OP.mod: sp--; stack[sp - 1] = mod(stack[sp - 1], stack[sp]); break;
      case OP.smaller: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp] ? 1 : 0; break;
      case OP.larger: sp--; stack[sp - 1] = stack[sp - 1] > stack[sp] ? 1 : 0; break;
      case OP.smallerEq: sp--; stack[sp - 1] = stack[sp - 1] <= stack[sp] ? 1 : 0; break;
      case OP.largerEq: sp--; stack[sp - 1] = stack[sp - 1] >= stack[sp] ? 1 : 0; break;
      case OP.equal: sp--; stack[sp - 1] = stack[sp - 1] === stack[sp] ? 1 : 0; break;
      case OP.unequal: sp--; stack[sp - 1] = stack[sp - 1] !== stack[sp] ? 1 : 0; break;
      case OP.and: sp--; stack[sp - 1] = stack[sp - 1] !== 0 && stack[sp] !== 0 ? 1 : 0; break;
      case OP.or: sp--; stack[sp - 1] = stack[sp - 1] !== 0 || stack[sp] !== 0 ? 1 : 0; break;
      case OP.xor: sp--; stack[sp - 1] = (stack[sp - 1] !== 0) !== (stack[sp] !== 0) ? 1 : 0; break;
      case OP.atan2: sp--; stack[sp - 1] = Math.atan2(stack[sp - 1], stack[sp]); break;
      case OP.log2args: sp--; stack[sp - 1] = Math.log(stack[sp - 1]) / Math.log(stack[sp]); break;
      case OP.unaryMinus: stack[sp - 1] = -stack[sp - 1]; break;
      case OP.not: stack[sp - 1] = stack[sp - 1] === 0 ? 1 : 0; break;
      case OP.sin: stack[sp - 1] = Math.sin(stack[sp - 1]); break;
      case OP.cos: stack[sp - 1] = Math.cos(stack[sp - 1]); break;
      case OP.tan: stack[sp - 1] = Math.tan(stack[sp - 1]); break;
      case OP.asin: stack[sp - 1] = Math.asin(stack[sp - 1]); break;
      case OP.acos: stack[sp - 1] = Math.acos(stack[sp - 1]); break;
      case OP.atan: stack[sp - 1] = Math.atan(stack[sp - 1]); break;
      case OP.sinh: stack[sp - 1] = Math.sinh(stack[sp - 1]); break;
      case OP.cosh: stack[sp - 1] = Math.cosh(stack[sp - 1]); break;
      case OP.tanh: stack[sp - 1] = Math.tanh(stack[sp - 1]); break;
      case OP.asinh: stack[sp - 1] = Math.asinh(stack[sp - 1]); break;
      case OP.acosh: stack[sp - 1] = Math.acosh(stack[sp - 1]); break;
      case OP.atanh: stack[sp - 1] = Math.atanh(stack[sp - 1]); break;
      case OP.exp: stack[sp - 1] = Math.exp(stack[sp - 1]); break;
      case OP.expm1: stack[sp - 1] = Math.expm1(stack[sp - 1]); break;
      case OP.log: stack[sp - 1] = Math.log(stack[sp - 1]); break;
      case OP.log10: stack[sp - 1] = Math.log10(stack[sp - 1]); break;
      case OP.log2: stack[sp - 1] = Math.log2(stack[sp - 1]); break;
      case OP.log1p: stack[sp - 1] = Math.log1p(stack[sp - 1]); break;
      case OP.sqrt: stack[sp - 1] = Math.sqrt(stack[sp - 1]); break;
      case OP.cbrt: stack[sp - 1] = Math.cbrt(stack[sp - 1]); break;
      case OP.square: stack[sp - 1] = stack[sp - 1] * stack[sp - 1]; break;
      case OP.cube: stack[sp - 1] = stack[sp - 1] * stack[sp - 1] * stack[sp - 1]; break;
      case OP.abs: stack[sp - 1] = Math.abs(stack[sp - 1]); break;
      case OP.sign: stack[sp - 1] = Math.sign(stack[sp - 1]); break;
      case OP.floor: stack[sp - 1] = Math.floor(stack[sp - 1]); break;
      case OP.ceil: stack[sp - 1] = Math.ceil(stack[sp - 1]); break;
      case OP.round: stack[sp - 1] = roundHalfAway(stack[sp - 1]); break;
      case OP.fix: stack[sp - 1] = Math.trunc(stack[sp - 1]); break;
      case OP.min: sp--; stack[sp - 1] = Math.min(stack[sp - 1], stack[sp]); break;
      case OP.max: sp--; stack[sp - 1] = Math.max(stack[sp - 1], stack[sp]); break;
      case OP.hypot: {
        // √(a² + b²) as big · √(1 + (small / big)²), without overflow; Math.hypot allocates its
        // argument list. Every branch writes the stack itself: a value that is a small integer on
        // one path and a double on another would be boxed
        sp--;
        const a = Math.abs(stack[sp - 1]);
        const b = Math.abs(stack[sp]);
        if (a === Infinity || b === Infinity) stack[sp - 1] = Infinity;
        else if (a !== a || b !== b) stack[sp - 1] = NaN;
        else if (a >= b) stack[sp - 1] = a === 0 ? a : a * Math.sqrt(1 + (b / a) * (b / a));
        else stack[sp - 1] = b * Math.sqrt(1 + (a / b) * (a / b));
        break;
      }
      default:
        throw new Error(`target program: unknown opcode ${op}`);
    }
  }
}

// ---- parsing and checking ------------------------------------------------------------------------

let mathParse: ((text: string) => MathNode) | null = null;

/** mathjs's parse function, built on first use (building it takes a few hundred ms; most commands never need it). */
function parser(): (text: string) => MathNode {
  mathParse ??= create({ parseDependencies }).parse as (text: string) => MathNode;
  return mathParse;
}

/**
 * Where in `part` (0-based) the thing a node stands for first appears, for messages: the first
 * occurrence of a name as a whole word, else of a character that only such a node contains.
 */
function locate(part: string, node: MathNode): number | null {
  const word = (name: string) => {
    const re = new RegExp(`(?<![A-Za-z0-9_$.])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_$])`);
    const m = re.exec(part);
    return m ? m.index : null;
  };
  const char = (chars: string) => {
    for (let i = 0; i < part.length; i++) if (chars.includes(part[i]) && !isInNumber(part, i)) return i;
    return null;
  };
  switch (node.type) {
    case 'SymbolNode':
      return word((node as unknown as { name: string }).name);
    case 'FunctionNode': {
      const fn = (node as unknown as { fn: MathNode }).fn;
      return fn.type === 'SymbolNode' ? word((fn as unknown as { name: string }).name) : locate(part, fn);
    }
    case 'AccessorNode':
    case 'IndexNode':
      return char('.[');
    case 'AssignmentNode':
    case 'FunctionAssignmentNode':
      return char('=');
    case 'ArrayNode':
      return char('[');
    case 'ObjectNode':
      return char('{');
    case 'RangeNode':
      return char(':');
    case 'ConstantNode': {
      const v = (node as unknown as { value: unknown }).value;
      if (typeof v === 'string') return char('"\'');
      const named = word(String(v));
      if (named !== null) return named;
      // a number too large for float64, written with an exponent (1e999)
      const m = /(\d+\.?\d*|\.\d+)e[+]?\d+/i.exec(part);
      return m ? m.index : null;
    }
    case 'OperatorNode': {
      const op = (node as unknown as { op: string }).op;
      const at = part.indexOf(op);
      return at >= 0 ? at : null;
    }
    default:
      return null;
  }
}

/** Whether part[i] is a '.' inside a number such as 0.5 (not a property access). */
function isInNumber(part: string, i: number): boolean {
  return part[i] === '.' && (/[0-9]/.test(part[i - 1] ?? '') || /[0-9]/.test(part[i + 1] ?? ''));
}

interface Part {
  text: string;
  /** 0-based offset of the part in the whole text. */
  offset: number;
}

function splitParts(text: string): Part[] {
  const parts: Part[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text[i] === ';') {
      parts.push({ text: text.slice(start, i), offset: start });
      start = i + 1;
    }
  }
  return parts;
}

/** The input a variable name stands for: x → 0 (a 1-D target), x1 … x9 → 0 … 8; null for another name. */
function variableIndex(name: string): { index: number; style: 'x' | 'xn' } | null {
  if (name === 'x') return { index: 0, style: 'x' };
  const m = /^x([1-9])$/.exec(name);
  return m ? { index: Number(m[1]) - 1, style: 'xn' } : null;
}

/**
 * Compiles a target expression (see the file header). Throws ExpressionError with the 1-based
 * position of the first thing it refuses, in the whole text.
 */
export function compileTarget(text: string): CompiledTarget {
  if (typeof text !== 'string' || text.trim() === '') throw new ExpressionError(null, 'the target is empty: write it in x, e.g. sin(3*x) + 0.1*x^2');
  if (text.length > MAX_TARGET_LENGTH) throw new ExpressionError(MAX_TARGET_LENGTH + 1, `the target is longer than ${MAX_TARGET_LENGTH} characters`);
  const control = /[\u0000-\u0008\u000b-\u001f\u007f\n\r]/.exec(text);
  if (control) throw new ExpressionError(control.index + 1, 'write the target on one line (separate outputs with ;)');
  const parts = splitParts(text);
  if (parts.length > MAX_TARGET_OUTPUTS) throw new ExpressionError(parts[MAX_TARGET_OUTPUTS].offset, `at most ${MAX_TARGET_OUTPUTS} outputs`);
  const em = new Emitter();
  let style: { name: 'x' | 'xn'; part: Part; node: MathNode } | null = null;
  let inputs = 1;
  const parse = parser();

  parts.forEach((part, outputIndex) => {
    const fail = (at: number | null, reason: string): never => {
      throw new ExpressionError(at === null ? null : part.offset + at + 1, reason);
    };
    if (part.text.trim() === '') fail(0, parts.length > 1 ? `output ${outputIndex + 1} is empty` : 'the target is empty');
    let root: MathNode;
    try {
      root = parse(part.text);
    } catch (e) {
      const err = e as { char?: number; message?: string };
      const reason = (err.message ?? 'cannot be read').replace(/\s*\(char \d+\)\s*$/, '');
      fail(typeof err.char === 'number' ? Math.max(0, err.char - 1) : null, reason.charAt(0).toLowerCase() + reason.slice(1));
    }
    const refuse = (node: MathNode, reason: string): never => fail(locate(part.text, node), reason);

    const visit = (node: MathNode): void => {
      switch (node.type) {
        case 'ParenthesisNode':
          visit((node as unknown as { content: MathNode }).content);
          return;
        case 'ConstantNode': {
          const v = (node as unknown as { value: unknown }).value;
          if (typeof v !== 'number') refuse(node, `only numbers are allowed, not ${typeof v === 'string' ? 'text' : String(v)}`);
          if (!Number.isFinite(v as number)) refuse(node, `${String(v)} is not a finite number`);
          em.constant(v as number);
          return;
        }
        case 'SymbolNode': {
          const name = (node as unknown as { name: string }).name;
          const variable = variableIndex(name);
          if (variable) {
            if (style && style.name !== variable.style) refuse(node, `use x for one input, or x1, x2, … for several: not both (${name})`);
            style ??= { name: variable.style, part, node };
            inputs = Math.max(inputs, variable.index + 1);
            em.emit(OP.variable, variable.index);
            return;
          }
          if (Object.prototype.hasOwnProperty.call(CONSTANTS, name)) {
            em.constant(CONSTANTS[name]);
            return;
          }
          if ((FUNCTION_NAMES as string[]).includes(name)) refuse(node, `${name} is a function: write ${name}(…)`);
          return refuse(node, `unknown name '${name}' (the inputs are x, or x1 and x2; the constants pi, e, tau)`);
        }
        case 'OperatorNode': {
          const { fn, args, op } = node as unknown as { fn: string; args: MathNode[]; op: string };
          if (!(OPERATORS as readonly string[]).includes(fn)) refuse(node, `the operator ${op} is not allowed (use + - * / ^ mod, comparisons, and, or, not)`);
          const name = fn as OperatorName;
          if (name === 'unaryPlus') return visit(args[0]);
          args.forEach(visit);
          if (name === 'unaryMinus' || name === 'not') em.emit(OP[name], 0, 1, 1);
          else em.emit(OP[name], 0, 2, 1);
          return;
        }
        case 'ConditionalNode': {
          const { condition, trueExpr, falseExpr } = node as unknown as { condition: MathNode; trueExpr: MathNode; falseExpr: MathNode };
          visit(condition);
          const jz = em.code.length;
          em.emit(OP.jumpIfZero, 0, 1, 0);
          visit(trueExpr);
          const jmp = em.code.length;
          em.emit(OP.jump, 0, 0, 0);
          // the false branch starts where the true one's value left the stack
          em.depth--;
          em.code[jz + 1] = em.code.length;
          visit(falseExpr);
          em.code[jmp + 1] = em.code.length;
          return;
        }
        case 'FunctionNode': {
          const { fn, args } = node as unknown as { fn: MathNode; args: MathNode[] };
          if (fn.type !== 'SymbolNode') refuse(node, 'only the math functions can be called');
          const name = (fn as unknown as { name: string }).name;
          if (!Object.prototype.hasOwnProperty.call(FUNCTIONS, name)) {
            refuse(node, variableIndex(name) || Object.prototype.hasOwnProperty.call(CONSTANTS, name) ? `${name} is not a function: write ${name} * (…) to multiply` : `unknown function '${name}' (allowed: ${FUNCTION_NAMES.join(', ')})`);
          }
          const [lo, hi] = FUNCTIONS[name as FunctionName];
          if (args.length < lo || args.length > hi) {
            refuse(node, `${name} takes ${lo === hi ? lo : hi === Infinity ? `at least ${lo}` : `${lo} or ${hi}`} argument${hi === 1 ? '' : 's'}, got ${args.length}`);
          }
          args.forEach(visit);
          const f = name as FunctionName;
          // min, max and hypot of n values: n − 1 steps of two (hypot of one value is its size)
          if (f === 'min' || f === 'max' || f === 'hypot') {
            if (f === 'hypot' && args.length === 1) em.emit(OP.abs, 0, 1, 1);
            for (let i = 1; i < args.length; i++) em.emit(OP[f], 0, 2, 1);
          }
          else if (f === 'log' && args.length === 2) em.emit(OP.log2args, 0, 2, 1);
          else if (f === 'pow' || f === 'mod' || f === 'atan2') em.emit(OP[f], 0, 2, 1);
          else em.emit(OP[f], 0, 1, 1);
          return;
        }
        case 'BlockNode':
          return refuse(node, 'one expression per output (separate outputs with ;)');
        case 'AssignmentNode':
        case 'FunctionAssignmentNode':
          return refuse(node, 'assignments are not allowed: write the target as an expression in x');
        case 'AccessorNode':
        case 'IndexNode':
          return refuse(node, 'property access and indexing are not allowed');
        default:
          return refuse(node, `${node.type.replace(/Node$/, '').toLowerCase()}s are not allowed: only numbers, x, operators and math functions`);
      }
    };
    visit(root!);
    em.emit(OP.output, outputIndex, 1, 0);
  });

  const code = Int32Array.from(em.code);
  const consts = Float64Array.from(em.consts);
  const stack = new Float64Array(Math.max(1, em.maxDepth));
  return {
    text,
    inputs,
    outputs: parts.length,
    outputTexts: parts.map((p) => p.text.trim()),
    evaluate: (x, xo, y, yo) => run(code, consts, stack, x, xo, y, yo),
  };
}
