// Loads the report module (TypeScript) for the bench scripts: esbuild bundles grader/report/index.ts and the
// hand-made results into node_modules/.cache/nngrade-bench/ (inside the package, so templates and dependencies resolve).
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function loadReport() {
  const outdir = path.join(root, 'node_modules/.cache/nngrade-bench');
  await build({
    entryPoints: { report: path.join(root, 'grader/report/index.ts'), handmade: path.join(root, 'test/fixtures/results/handmade.ts') },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'error',
  });
  const report = await import(pathToFileURL(path.join(outdir, 'report.mjs')).href);
  const handmade = await import(pathToFileURL(path.join(outdir, 'handmade.mjs')).href);
  return { ...report, handmade };
}
