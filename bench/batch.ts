// Class-batch throughput: a generated class of N fashion-mnist-hw4 hand-ins (the example submissions in
// turn, each with its handed-in model; the accuracy part evaluates it on the real 10k test set when
// Debian's dataset-fashion-mnist is installed, else on the 1,000-image subset), graded by the real CLI
// (`nngrade grade <assignment> <class-folder>`) as whole processes. Prints submissions/min at 1 and 2
// workers, without and with the in-grader training part, with --html and with --pdf, the peak RSS of
// the grader and of any one sandbox child over each batch, and the per-submission floor (what a warm
// sandbox spends on the scratch parts, an architecture and the 10k evaluation, from the results), and
// the machine's CPU seconds per hand-in (grader, its judge thread and the sandboxes together).
// Run: npm run build && node scripts/ts.mjs bench/batch.ts [N]   (N defaults to 40; the figure is N=200)
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { materializeExample, listExamples } from '../grader/submission/examples.ts';

const N = Number(process.argv[2] ?? 40);
const ROOT = process.cwd();
const examples = path.join(ROOT, 'submissions', 'fashion-mnist-hw4');
const names = listExamples(examples);
const cls = mkdtempSync(path.join(os.tmpdir(), 'nngrade-bench-class-'));
for (let i = 0; i < N; i++) cpSync(materializeExample(path.join(examples, names[i % names.length])).dir, path.join(cls, `student-${String(i).padStart(3, '0')}`), { recursive: true });

const specOf = (withTraining: boolean) => {
  const spec = JSON.parse(readFileSync(path.join(ROOT, 'assignments/fashion-mnist-hw4/assignment.json'), 'utf8'));
  spec.reference = { entry: path.join(ROOT, 'reference/fashion-mnist-hw4/index.ts') };
  for (const f of Object.values(spec.fixtures) as { fallback?: string; files?: Record<string, string> }[]) if (f.fallback) f.fallback = path.resolve(ROOT, 'assignments/fashion-mnist-hw4', f.fallback);
  if (!withTraining) {
    spec.parts = spec.parts.filter((p: { id: string }) => p.id !== 'ffn-training');
    spec.points = spec.parts.reduce((n: number, p: { points: number }) => n + p.points, 0);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nngrade-bench-spec-'));
  cpSync(path.join(ROOT, 'assignments/fashion-mnist-hw4'), dir, { recursive: true });
  writeFileSync(path.join(dir, 'assignment.json'), JSON.stringify(spec));
  return dir;
};

/** CPU time of the whole machine so far (all processes: grader, judge thread, sandboxes), in clock ticks. */
function machineCpu(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - f[3] - f[4], total };
}

/** Peak RSS (MB) of the grader and of the largest sandbox child while `pid` runs. */
function watchMemory(pid: number) {
  const peak = { grader: 0, sandbox: 0 };
  const t = setInterval(() => {
    for (const e of readdirSync('/proc')) {
      if (!/^\d+$/.test(e)) continue;
      try {
        const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8');
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${e}/status`, 'utf8'));
        if (!m) continue;
        const mb = Number(m[1]) / 1024;
        if (Number(e) === pid) peak.grader = Math.max(peak.grader, mb);
        else if (cmd.includes('sandbox-child.js') && !cmd.startsWith('bwrap') && !cmd.includes('prlimit')) peak.sandbox = Math.max(peak.sandbox, mb);
      } catch { /* gone */ }
    }
  }, 100);
  return { peak, stop: () => clearInterval(t) };
}

async function batch(label: string, spec: string, workers: number, extra: string[]) {
  const out = mkdtempSync(path.join(os.tmpdir(), 'nngrade-bench-out-'));
  const cpu0 = machineCpu();
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/nngrade.js'), 'grade', spec, cls, '--out', out, '--workers', String(workers), '--json', '--report-dir', path.join(out, 'reports'), ...extra], { stdio: ['ignore', 'ignore', 'ignore'] });
  const mem = watchMemory(child.pid!);
  const code = await new Promise((r) => child.on('exit', r));
  mem.stop();
  const s = (performance.now() - t0) / 1000;
  const cpu1 = machineCpu();
  const busy = (cpu1.busy - cpu0.busy) / 100, total = (cpu1.total - cpu0.total) / 100;
  if (code !== 0) console.log(`  (${label}: exit ${code})`);
  const results = readdirSync(path.join(out, 'results')).map((f) => JSON.parse(readFileSync(path.join(out, 'results', f), 'utf8')));
  const floorParts = new Set(['scratch-forward', 'scratch-backprop', 'scratch-gradcheck', 'scratch-backprop-hidden', 'ffn-architecture', 'ffn-accuracy']);
  const floors = results.map((r) => r.parts.filter((p: { id: string }) => floorParts.has(p.id)).reduce((n: number, p: { durationMs: number }) => n + p.durationMs, 0)).sort((a, b) => a - b);
  console.log(`  ${label.padEnd(44)} ${(N / s * 60).toFixed(0).padStart(4)}/min   ${s.toFixed(1).padStart(6)} s   grader peak ${mem.peak.grader.toFixed(0)} MB, sandbox peak ${mem.peak.sandbox.toFixed(0)} MB   floor ${floors[Math.floor(floors.length / 2)].toFixed(0)} ms   CPU ${(busy / N).toFixed(2)} s per hand-in, cores ${((100 * busy) / total).toFixed(0)} % busy`);
}

const noTrain = specOf(false), withTrain = specOf(true);
execFileSync(process.execPath, [path.join(ROOT, 'bin/nngrade.js'), 'validate', noTrain, withTrain], { stdio: 'ignore' });
console.log(`nngrade grade: a class of ${N} fashion-mnist-hw4 hand-ins (${names.length} examples in turn), whole processes, ${os.availableParallelism()} cores`);
await batch('1 worker, no training part, --html', noTrain, 1, ['--html']);
await batch('2 workers, no training part, --html', noTrain, 2, ['--html']);
await batch('2 workers, with the training part, --html', withTrain, 2, ['--html']);
await batch('2 workers, no training part, --pdf', noTrain, 2, ['--pdf']);
