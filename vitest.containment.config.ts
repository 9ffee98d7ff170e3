import { defineConfig } from 'vitest/config';

// The containment suite: slow (time limits, memory bombs, three isolation set-ups), so apart from `npm test`.
export default defineConfig({
  test: {
    include: ['test/containment/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
