import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vitest/config';

/**
 * mathjs's package entry builds all of mathjs when imported (~1 s of CPU, in every test file that
 * reaches trainer/expression.ts, most of them); expression.ts takes only `create` and
 * `parseDependencies`, and the app's bundle keeps only those (electron.vite.config.ts). Here its
 * `mathjs` is the two files the entry re-exports them from: the same modules, the same functions.
 * A name expression.ts took that is not listed here fails its import, loudly.
 */
function mathjsParserOnly(): Plugin {
  const esm = join(dirname(createRequire(import.meta.url).resolve('mathjs/package.json')), 'lib/esm');
  const id = '\0mathjs-parser-only';
  return {
    name: 'nnlab:mathjs-parser-only',
    enforce: 'pre',
    resolveId(source, importer) {
      return source === 'mathjs' && importer?.replace(/\\/g, '/').endsWith('/src-main/trainer/expression.ts') ? id : null;
    },
    load(loaded) {
      if (loaded !== id) return null;
      return [
        `export { create } from ${JSON.stringify(join(esm, 'core/create.js'))};`,
        `export { parseDependencies } from ${JSON.stringify(join(esm, 'entry/dependenciesAny/dependenciesParse.generated.js'))};`,
      ].join('\n');
    },
  };
}

export default defineConfig({
  // .vue files in the renderer's component tests
  plugins: [vue(), mathjsParserOnly()],
  // the renderer's `@main/…` imports in its tests, from the tsconfigs' paths (as electron-vite reads them)
  resolve: { tsconfigPaths: true },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    setupFiles: ['tests/setup/fail-on-noise.ts'],
    // Node 25+ has a global localStorage of its own, undefined without --localstorage-file; vitest
    // keeps a global Node already has, so the renderer's tests met that one, not happy-dom's
    // (`localStorage.clear()`: "Cannot read properties of undefined"). Off in the test workers, as
    // Node 24 and older are; Node 20 has no such flag (nor the global).
    execArgv: process.allowedNodeEnvironmentFlags.has('--experimental-webstorage') ? ['--no-experimental-webstorage'] : [],
    globalSetup: ['tests/setup/build.ts'],
  },
});
