// Builds the CLI and the sandbox child into dist/ (run by `npm ci` via "prepare", by `npm start`
// and by `npm test`), and precompiles the assignment-schema validator (ajv standalone code), which
// saves ~50 ms on every `nngrade check`.
import { build } from 'esbuild';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  external: ['esbuild', '@tensorflow/*', 'puppeteer-core', 'vega', 'vega-lite', 'typescript'],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
};

await Promise.all([
  // Split, so what only some commands need (the report renderers) loads only when they run.
  build({ ...common, entryPoints: ['grader/cli.ts'], outdir: 'dist', splitting: true, chunkNames: 'chunks/[name]-[hash]' }),
  build({ ...common, entryPoints: ['grader/sandbox/child.ts'], outfile: 'dist/sandbox-child.js', banner: {} }),
  build({ ...common, entryPoints: ['grader/submission/typecheck-worker.ts'], outfile: 'dist/typecheck-worker.js' }),
  build({ ...common, entryPoints: ['grader/judge/judge-worker.ts'], outfile: 'dist/judge-worker.js' }),
  build({ ...common, entryPoints: ['grader/spec/schema.ts'], outfile: 'dist/schema.tmp.mjs', sourcemap: false }),
]);

const { assignmentSchema, schemaHash } = await import(pathToFileURL('dist/schema.tmp.mjs').href);
const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, code: { source: true } });
const validate = ajv.compile(assignmentSchema());
mkdirSync('dist', { recursive: true });
writeFileSync('dist/spec-validator.cjs', `${standaloneCode(ajv, validate)}\nmodule.exports.schemaHash = ${JSON.stringify(schemaHash())};\n`);
rmSync('dist/schema.tmp.mjs');
void createHash;
