// Builds the CLI and the sandbox child into dist/ (run by `npm ci` via "prepare", and by `npm test`).
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  external: ['esbuild', '@tensorflow/*'],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
};

await Promise.all([
  build({ ...common, entryPoints: ['grader/cli.ts'], outfile: 'dist/cli.js' }),
  build({ ...common, entryPoints: ['grader/sandbox/child.ts'], outfile: 'dist/sandbox-child.js', banner: {} }),
]);
