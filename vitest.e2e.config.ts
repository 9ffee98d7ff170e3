import { defineConfig } from 'vitest/config';

// End-to-end suites apart from `npm test`: the docs' recipes run as their engines would run them,
// the package installed from a tarball into an empty project.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
