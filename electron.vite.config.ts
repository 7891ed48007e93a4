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
        },
      },
    },
  },
});
