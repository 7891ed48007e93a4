#!/usr/bin/env node
/**
 * `npm run typecheck`: the four type checks (tsc on the core, Node and end-to-end projects, vue-tsc
 * on the renderer's), as many at once as the machine has cores. Each is one single-threaded
 * process, and they are independent (--noEmit: nothing is written, nothing is shared), so running
 * them side by side checks exactly what running them one after another did, in less wall time.
 * Each check's output is printed whole, in the listed order, once it has ended; the exit status is
 * non-zero when any check failed.
 *
 *   node scripts/typecheck.mjs                  the four; NNLAB_TYPECHECK_JOBS=1 runs them one at a time
 *   node scripts/typecheck.mjs PROJECT.json…    tsc --noEmit -p on these instead
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const vueTsc = join(root, 'node_modules/vue-tsc/bin/vue-tsc.js');
const given = process.argv.slice(2);
const checks = (given.length
  ? given.map((project) => ['tsc', tsc, project])
  : [
      ['tsc', tsc, 'tsconfig.core.json'],
      ['tsc', tsc, 'tsconfig.node.json'],
      ['tsc', tsc, 'tsconfig.e2e.json'],
      ['vue-tsc', vueTsc, 'tsconfig.web.json'],
    ]
).map(([name, bin, project]) => ({ label: `${name} --noEmit -p ${project}`, args: [bin, '--noEmit', '-p', project] }));

const wanted = Number(process.env.NNLAB_TYPECHECK_JOBS ?? availableParallelism());
const jobs = Math.max(1, Math.min(checks.length, Number.isInteger(wanted) && wanted > 0 ? wanted : 1));

function run(check) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, check.args, { cwd: given.length ? process.cwd() : root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (e) => resolve({ code: 1, output: `${output}${e.message}\n`, ms: Date.now() - started }));
    child.on('close', (code, signal) => resolve({ code: code ?? 1, signal, output, ms: Date.now() - started }));
  });
}

const results = new Array(checks.length);
let next = 0;
let printed = 0;
function printReady() {
  while (printed < checks.length && results[printed]) {
    const { code, signal, output, ms } = results[printed];
    const state = code === 0 ? 'ok' : signal ? `stopped by ${signal}` : `failed (exit ${code})`;
    process.stdout.write(`typecheck: ${checks[printed].label}: ${state} (${(ms / 1000).toFixed(1)} s)\n${output}`);
    printed++;
  }
}
async function worker() {
  while (next < checks.length) {
    const i = next++;
    results[i] = await run(checks[i]);
    printReady();
  }
}
await Promise.all(Array.from({ length: jobs }, worker));
process.exitCode = results.every((r) => r.code === 0) ? 0 : 1;
