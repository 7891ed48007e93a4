import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      // Electron 45 ships Node 22, but the CLI and the trainer processes also run on Node 20.
      target: 'node20',
      rolldownOptions: {
        input: {
          cli: resolve(__dirname, 'src-main/cli/index.ts'),
          // forked by the lab under Node (child_process) and Electron (utilityProcess); it must
          // never import electron, not even through a shared chunk
          'trainer-worker': resolve(__dirname, 'src-main/worker/trainer-worker.ts'),
        },
      },
    },
  },
});
