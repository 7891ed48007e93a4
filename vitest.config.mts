import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';
import { rendererAlias } from './electron.vite.config';

export default defineConfig({
  // .vue files in the renderer's component tests
  plugins: [vue()],
  // the renderer's `@main/…` imports, in its component and composable tests
  resolve: { alias: rendererAlias },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    setupFiles: ['tests/setup/fail-on-noise.ts'],
    globalSetup: ['tests/setup/build.ts'],
  },
});
