import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // .vue files in the renderer's component tests
  plugins: [vue()],
  // the renderer's `@main/…` imports in its tests, from the tsconfigs' paths (as electron-vite reads them)
  resolve: { tsconfigPaths: true },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    setupFiles: ['tests/setup/fail-on-noise.ts'],
    globalSetup: ['tests/setup/build.ts'],
  },
});
