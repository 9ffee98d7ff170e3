#!/usr/bin/env node
// Runs bench/train-tfjs.ts: bundles it with esbuild (the grader's TS modules included,
// @tensorflow/* left to node_modules) into bench/output/tmp/, then runs it.
//   node bench/train-tfjs.mjs [--runs 3] [--no-torch] [--torch-threads N]
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const out = path.join(here, 'output', 'tmp', 'train-tfjs.bundle.mjs');
mkdirSync(path.dirname(out), { recursive: true });
await build({
  entryPoints: [path.join(here, 'train-tfjs.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20',
  outfile: out, external: ['@tensorflow/*', 'esbuild'], logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
process.chdir(root);
process.env.NNGRADE_TORCH_SCRIPT ??= path.join(here, 'train-torch.py');
await import(pathToFileURL(out).href);
