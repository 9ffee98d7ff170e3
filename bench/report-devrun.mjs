// usage: node /tmp/run-ts.mjs file.ts  — bundles with esbuild into node_modules/.cache and runs
import { build } from 'esbuild';
import path from 'node:path';
const entry = process.argv[2];
const out = path.resolve('node_modules/.cache/nngrade-dev', path.basename(entry).replace(/\.ts$/, '.mjs'));
await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile: out, logLevel: 'warning' });
process.argv.splice(2, 1);
await import(out);
