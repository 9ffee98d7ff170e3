// Runs a TypeScript script of this repo: node scripts/ts.mjs <file.ts> [args...]
// (bundled by esbuild into node_modules/.cache, packages left external).
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/ts.mjs <file.ts> [args...]');
  process.exit(2);
}
const outDir = path.resolve('node_modules/.cache/nngrade-scripts');
mkdirSync(outDir, { recursive: true });
const outfile = path.join(outDir, `${path.basename(file, '.ts')}.mjs`);
await build({ entryPoints: [file], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile, logLevel: 'warning', sourcemap: 'inline' });
process.argv = [process.argv[0], file, ...args];
await import(pathToFileURL(outfile).href);
