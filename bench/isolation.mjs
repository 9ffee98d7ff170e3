// The cost of the sandbox's OS layer: `nngrade check` of the seed-000 from-scratch parts of
// fashion-mnist-hw4 (correct example, reference cached) with bubblewrap and without it
// (NNGRADE_NO_BWRAP=1: Node's permission model, the in-process guards and, as root, the drop to
// nobody). Whole processes, medians of N runs, and the ratio. Also the start of one sandbox child.
// Run: npm run build && node bench/isolation.mjs [runs]
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const runs = Number(process.argv[2] ?? 15);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cache = mkdtempSync(path.join(os.tmpdir(), 'nngrade-bench-cache-'));
const scratch = ['scratch-forward', 'scratch-backprop', 'scratch-gradcheck', 'scratch-backprop-hidden'];
const args = ['bin/nngrade.js', 'check', 'assignments/fashion-mnist-hw4', 'submissions/fashion-mnist-hw4/correct', '--all', '--json', '--part', ...scratch];

function run(env) {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, NNGRADE_CACHE: cache, ...env } });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`check failed (${r.status}): ${r.stderr}`);
  const out = JSON.parse(r.stdout);
  return { ms, grading: out.durationMs, isolation: out.isolation.join(', ') };
}

run({}); // fills the reference cache
const modes = { 'with bubblewrap': {}, 'without (NNGRADE_NO_BWRAP=1)': { NNGRADE_NO_BWRAP: '1' } };
const figures = {};
// Interleaved, so both modes see the same machine load.
const samples = Object.fromEntries(Object.keys(modes).map((k) => [k, []]));
for (let i = 0; i < runs; i++) for (const [k, env] of Object.entries(modes)) samples[k].push(run(env));
console.log(`nngrade check fashion-mnist-hw4 (correct; the 4 from-scratch parts), ${runs} runs each, medians`);
for (const [k, xs] of Object.entries(samples)) {
  figures[k] = { whole: median(xs.map((x) => x.ms)), grading: median(xs.map((x) => x.grading)) };
  console.log(`  ${k.padEnd(30)} whole ${figures[k].whole.toFixed(0).padStart(5)} ms   grading ${figures[k].grading.toFixed(0).padStart(5)} ms   layers: ${xs[0].isolation}`);
}
const [a, b] = Object.values(figures);
if (!samples['with bubblewrap'][0].isolation.includes('bwrap')) console.log('  (bubblewrap is not available here: both rows ran without it)');
console.log(`  ratio with / without: whole ${(a.whole / b.whole).toFixed(2)}, grading ${(a.grading / b.grading).toFixed(2)}`);
