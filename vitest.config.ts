import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        // Compiles the renderer's `.svelte.ts` state modules (runes) so their logic is tested under plain Node.
        plugins: [svelte({ configFile: resolve(import.meta.dirname, 'svelte.config.js') })],
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        // Real GGUF models through node-llama-cpp: one native model per process, tests run serially
        // (same layout as node-llama-cpp's own test/modelDependent suite).
        test: {
          name: 'model',
          include: ['tests/model/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          maxWorkers: 1,
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
