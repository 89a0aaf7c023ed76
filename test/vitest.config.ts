import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests that measure how fast /health answers while an attack runs (issue 9) judge the sandbox's event loop,
// not the machine: they run after everything else, one file at a time, so another test file's Chromium or
// CPU-heavy fuzzing on the same cores cannot pass for a blocked sandbox.
const QUIET = ['test/hostile/headless-logout.test.ts', 'test/hostile/msign-resources.test.ts', 'test/hostile/registry-store.test.ts', 'test/hostile/xml-bounds.test.ts', 'test/load/**/*.test.ts'];

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    testTimeout: 30000,
    hookTimeout: 60000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'], exclude: QUIET } },
      { extends: true, test: { name: 'quiet', include: QUIET, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
