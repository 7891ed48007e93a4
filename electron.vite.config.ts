import { resolve } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      // Electron 45 ships Node 22, but the CLI and the trainer processes also run on Node 20.
      target: 'node20',
      // mathjs is bundled, not required: its package entry loads all of mathjs (~0.4 s at every
      // start); bundled, only its parser is kept (trainer/expression.ts), built on first use
      externalizeDeps: { exclude: ['mathjs'] },
      rolldownOptions: {
        input: {
          index: resolve(__dirname, 'src-main/index.ts'),
          cli: resolve(__dirname, 'src-main/cli/index.ts'),
          // forked by the lab under Node (child_process) and Electron (utilityProcess); it must
          // never import electron, not even through a shared chunk
          'trainer-worker': resolve(__dirname, 'src-main/worker/trainer-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src-main/preload/index.ts') },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    plugins: [vue()],
    // the `@main/…` alias for src-main/…, as tsconfig.web.json's paths declare it (one definition)
    resolve: { tsconfigPaths: true },
    build: {
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src-renderer/index.html') },
      },
    },
  },
});
