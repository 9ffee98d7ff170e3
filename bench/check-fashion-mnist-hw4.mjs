// Wall time of `nngrade check` on fashion-mnist-hw4 (the correct example): its from-scratch parts
// (seed 000: forward, backprop, gradient check, the hidden seed) side by side with an equivalent
// Python+NumPy check (bench/python/check_hw4.py: the same
// parts, fixtures and tolerances, student and reference imported in one process, no sandbox).
// Both are whole processes started from the shell, as a student would run them. Medians of N runs.
// Run: npm run build && node bench/check-fashion-mnist-hw4.mjs [runs]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const runs = Number(process.argv[2] ?? 15);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(cmd, args, env = {}) {
  const xs = [];
  for (let i = 0; i < runs; i++) {
    const e = typeof env === 'function' ? env() : env;
    const t = performance.now();
    const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...e } });
    xs.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  }
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

const cache = mkdtempSync(path.join(os.tmpdir(), 'nngrade-bench-cache-'));
const scratch = ['scratch-forward', 'scratch-backprop', 'scratch-gradcheck', 'scratch-backprop-hidden'];
const args = ['bin/nngrade.js', 'check', 'assignments/fashion-mnist-hw4', 'submissions/fashion-mnist-hw4/correct', '--all', '--part', ...scratch];
const whole = ['bin/nngrade.js', 'check', 'assignments/fashion-mnist-hw4', 'submissions/fashion-mnist-hw4/correct', '--all'];
// First run fills the reference cache; "cold" runs use a fresh cache every time.
const cold = time(process.execPath, args, () => ({ NNGRADE_CACHE: mkdtempSync(path.join(os.tmpdir(), 'nngrade-bench-cold-')) })).median;
const warm = time(process.execPath, args, { NNGRADE_CACHE: cache });
const bare = time(process.execPath, ['-e', '0']).median;
const all = time(process.execPath, whole, { NNGRADE_CACHE: cache });
const out = JSON.parse(execFileSync(process.execPath, [...args, '--json'], { encoding: 'utf8', env: { ...process.env, NNGRADE_CACHE: cache } }));

let py = null;
if (existsSync('/usr/bin/python3') && spawnSync('/usr/bin/python3', ['-c', 'import numpy']).status === 0) {
  py = time('/usr/bin/python3', ['bench/python/check_hw4.py']);
}
const pyBare = py ? time('/usr/bin/python3', ['-c', 'import numpy']).median : null;

const f = (x) => `${x.toFixed(0).padStart(5)} ms`;
console.log(`nngrade check fashion-mnist-hw4 (correct; the 4 from-scratch parts, score ${out.score}/${out.maxScore}), ${runs} runs, medians`);
console.log(`  nngrade (reference cached)      ${f(warm.median)}   [min ${warm.min.toFixed(0)}, max ${warm.max.toFixed(0)}]   grading itself (durationMs): ${out.durationMs} ms`);
console.log(`  nngrade (reference not cached)  ${f(cold)}`);
console.log(`  node -e 0 (startup floor)       ${f(bare)}`);
console.log(`  (the whole check, all 10 parts with the tfjs models and a training run: ${f(all.median)})`);
if (py) {
  console.log(`  python3 + numpy peer check      ${f(py.median)}   [min ${py.min.toFixed(0)}, max ${py.max.toFixed(0)}]`);
  console.log(`  python3 -c 'import numpy'       ${f(pyBare)}`);
  console.log(`  ratio nngrade / python          ${(warm.median / py.median).toFixed(2)}   (target ≤ 1.0; absolute target ≤ 1000 ms: ${warm.median <= 1000 ? 'met' : 'missed'})`);
} else {
  console.log('  python3 with numpy not found: apt-get install python3-numpy for the side-by-side figure');
}
