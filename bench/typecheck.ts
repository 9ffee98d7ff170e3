/**
 * Type-checking one submission against its interface, as a batch does for
 * hundreds: cold (the first call of a process: typescript loaded, the lib and
 * node_modules declaration files parsed) in fresh processes, and warm (the
 * next calls of one process, which reuse those parsed files).
 *
 *   node scripts/ts.mjs bench/typecheck.ts [assignment-id] [submission-name] [runs] [cold-processes]
 *
 * Defaults: two-layer-net-cifar10 correct 20 5. Prints the median cold and warm ms.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { typecheckSubmission } from '../grader/submission/typecheck.ts';
import { packageRoot } from '../grader/util/paths.ts';

const ROOT = packageRoot();
const coldChild = process.argv.includes('--cold-child');
const [id = 'two-layer-net-cifar10', name = 'correct', runsArg = '20', coldArg = '5'] = process.argv.slice(2).filter((a) => a !== '--cold-child');
const runs = Math.max(2, Number(runsArg) || 20);
const colds = Math.max(1, Number(coldArg) || 5);
const spec = JSON.parse(readFileSync(path.join(ROOT, 'assignments', id, 'assignment.json'), 'utf8'));
const opts = {
  submissionDir: path.join(ROOT, 'submissions', id, name),
  entry: spec.submission.entry as string,
  interfaceFile: path.join(ROOT, 'assignments', id, 'interface.d.ts'),
  exports: spec.submission.exports as string[],
};

const timed = async () => {
  const t = performance.now();
  const r = await typecheckSubmission(opts);
  return { wall: performance.now() - t, r };
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

if (coldChild) {
  // One first call in a fresh process.
  const { wall } = await timed();
  process.stdout.write(`${JSON.stringify({ wall })}\n`);
} else {
  // This file, as scripts/ts.mjs bundled it, run again in fresh processes.
  const self = fileURLToPath(import.meta.url);
  const cold: number[] = [];
  for (let i = 0; i < colds; i++) {
    const out = execFileSync(process.execPath, [self, id, name, String(runs), String(colds), '--cold-child'], { cwd: ROOT, encoding: 'utf8' });
    cold.push(JSON.parse(out.trim().split('\n').pop()!).wall);
  }
  const warm: number[] = [];
  let last = await timed(); // this process's own cold call, not counted as warm
  for (let i = 0; i < runs; i++) {
    last = await timed();
    warm.push(last.wall);
  }
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
  console.log(`${id}/${name}`);
  console.log(`  cold (first call of a process), median of ${colds}: ${median(cold).toFixed(0)} ms (${cold.map((t) => t.toFixed(0)).join(', ')})`);
  console.log(`  warm, median of ${runs}: ${median(warm).toFixed(0)} ms (min ${Math.min(...warm).toFixed(0)}, max ${Math.max(...warm).toFixed(0)})`);
  console.log(`  heap after the warm runs: ${mb(process.memoryUsage().heapUsed)}, rss ${mb(process.memoryUsage().rss)}`);
  const { r } = last;
  console.log(`  ${r.skipped ? `skipped: ${r.skipped}` : `${r.problems.length} problem(s)`}`);
  for (const p of r.problems) console.log(`    ${p.file}:${p.line}:${p.column} ${p.message}`);
}
