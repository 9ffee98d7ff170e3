/**
 * One training epoch and one test-set evaluation of the FFN (784-128-64-10) and
 * LeNet-5 on real Fashion-MNIST, on the tfjs backend initTf picks (wasm here),
 * next to the same work in PyTorch on the CPU (bench/train-torch.py).
 *
 * Run: node bench/train-tfjs.mjs [--runs 3] [--no-torch] [--torch-threads N]
 *
 * Same data on both sides: the 60k training images split 48k/12k with
 * np.random.RandomState(0).permutation(60000) (grader/datasets/preprocess.ts
 * reproduces it), x/255, batch 128, Adam(1e-3), one epoch, shuffled batches;
 * evaluation = predictions + argmax accuracy on the 10k test images, batches of 1000.
 * tfjs: model.fit / model.predict with a softmax output and categorical cross-entropy,
 * loss only (no metrics). PyTorch: the same layers, logits + F.cross_entropy (its
 * idiomatic equivalent), an explicit loop over shuffled index batches.
 * Threads: the tfjs wasm backend runs on 1 thread in Node; PyTorch is set to 1
 * thread as well unless --torch-threads says otherwise. Figures are medians.
 * PyTorch here is Debian's python3-torch 1.13 on OpenBLAS (install
 * libopenblas0-pthread: without it Debian's torch uses the reference BLAS).
 *
 * Measured on the 2-core development machine (AMD EPYC, shared with other work,
 * load average 2-4), 5 runs, tfjs wasm with grader/tf/wasm-kernels.ts vs PyTorch,
 * both 1 thread, ratio tfjs/torch (wall; CPU time gives the same picture):
 *   FFN train 1 epoch  1.24 s vs 0.34 s  3.7x     FFN eval 10k      0.052 s vs 0.022 s  2.4x
 *   LeNet-5 train      8.65 s vs 3.39 s  2.6x     LeNet-5 eval 10k  0.32 s  vs 0.51 s   0.63x
 * (Before the kernel work: LeNet-5 could not train on wasm at all; FFN train 2.9 s,
 * FFN eval 0.52 s.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initTf } from '../grader/tf/backend.ts';
import { loadDataset } from '../grader/datasets/resolve.ts';
import { scale, trainValidationSplit } from '../grader/datasets/preprocess.ts';
import { buildLeNet5 } from '../reference/fashion-mnist-hw4/index.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : dflt;
};
const RUNS = Number(opt('runs', '3'));
const TORCH_THREADS = Number(opt('torch-threads', '1'));
const BATCH = 128;

const rt = await initTf();
const { tf } = rt;
console.log(`tfjs ${rt.tfjsVersion}, backend ${rt.backend}; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
for (const n of rt.notes) console.log(`  ${n}`);

const trainAll = await loadDataset('fashion-mnist', 'train');
const test = await loadDataset('fashion-mnist', 'test');
const { train } = trainValidationSplit(trainAll, { validation: 12000, seed: 0 });
const trainX = scale(train).x as Float32Array;
const testX = scale(test).x as Float32Array;
console.log(`data: ${trainAll.resolved.dir} (${trainAll.resolved.origin}); train ${train.shape[0]} of ${trainAll.shape[0]} (RandomState(0) split), test ${test.shape[0]}`);

function ffn() {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [784], units: 128, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return m;
}
/** LeNet-5 as the homework describes it: the reference's own model (61,706 parameters). */
const lenet5 = buildLeNet5;

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

interface Figures { trainS: number[]; evalS: number[]; trainCpuS: number[]; evalCpuS: number[]; accuracy: number[] }

async function bench(name: string, make: () => ReturnType<typeof ffn>, shape: number[]): Promise<Figures> {
  const xs = tf.tensor(trainX, [train.shape[0]!, ...shape]);
  const ys = tf.oneHot(tf.tensor1d(Int32Array.from(train.y), 'int32'), 10);
  const xt = tf.tensor(testX, [test.shape[0]!, ...shape]);
  const yt = Int32Array.from(test.y);
  const f: Figures = { trainS: [], evalS: [], trainCpuS: [], evalCpuS: [], accuracy: [] };
  // Warm-up: a few batches (kernel setup, XNNPACK operator creation).
  {
    const m = make();
    m.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
    const wx = xs.slice(0, BATCH * 4);
    const wy = ys.slice(0, BATCH * 4);
    await m.fit(wx, wy, { batchSize: BATCH, epochs: 1, verbose: 0 });
    tf.tidy(() => m.predict(xt.slice(0, 1000)));
    tf.dispose([wx, wy]);
    m.dispose();
  }
  for (let r = 0; r < RUNS; r++) {
    const m = make();
    m.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
    const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
    const c0 = cpu();
    const t0 = performance.now();
    await m.fit(xs, ys, { batchSize: BATCH, epochs: 1, shuffle: true, verbose: 0 });
    const t1 = performance.now();
    const c1 = cpu();
    const pred = tf.tidy(() => (m.predict(xt, { batchSize: 1000 }) as ReturnType<typeof tf.argMax>).argMax(-1));
    const p = await pred.data();
    const t2 = performance.now();
    const c2 = cpu();
    f.trainCpuS.push(c1 - c0);
    f.evalCpuS.push(c2 - c1);
    pred.dispose();
    let ok = 0;
    for (let i = 0; i < yt.length; i++) if (p[i] === yt[i]) ok++;
    f.trainS.push((t1 - t0) / 1000);
    f.evalS.push((t2 - t1) / 1000);
    f.accuracy.push(ok / yt.length);
    m.dispose();
    console.log(`  tfjs ${name} run ${r + 1}: train epoch ${f.trainS.at(-1)!.toFixed(2)} s (cpu ${f.trainCpuS.at(-1)!.toFixed(2)}), eval ${f.evalS.at(-1)!.toFixed(3)} s (cpu ${f.evalCpuS.at(-1)!.toFixed(3)}), test accuracy ${(f.accuracy.at(-1)! * 100).toFixed(1)}%`);
  }
  tf.dispose([xs, ys, xt]);
  return f;
}

const results: Record<string, Figures> = {};
results.ffn = await bench('FFN', ffn, [784]);
results.lenet5 = await bench('LeNet-5', lenet5, [28, 28, 1]);

let torch: Record<string, Figures> | null = null;
if (!args.includes('--no-torch')) {
  const script = process.env.NNGRADE_TORCH_SCRIPT ?? path.resolve('bench', 'train-torch.py');
  // Debian's python3-torch installs for the system interpreter.
  const python = process.env.NNGRADE_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  const py = spawnSync(python, [script, '--data-dir', trainAll.resolved.dir, '--runs', String(RUNS), '--threads', String(TORCH_THREADS), '--json'], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24,
  });
  const last = py.stdout?.trim().split('\n').pop() ?? '';
  try {
    torch = JSON.parse(last);
  } catch {
    console.log(`PyTorch comparison not run: ${py.error?.message ?? `python3 exited with ${py.status}`} ${py.stdout?.slice(-500) ?? ''}`);
  }
}

console.log('');
console.log(`medians of ${RUNS} runs, seconds; tfjs ${rt.backend} on 1 thread${torch ? `, PyTorch CPU on ${TORCH_THREADS} thread${TORCH_THREADS > 1 ? 's' : ''}` : ''}; load average now ${os.loadavg()[0]!.toFixed(2)}`);
console.log('wall = elapsed time; cpu = CPU time of the process (less sensitive to other load on the machine)');
const fmt = (v: number) => v.toFixed(3).padStart(9);
console.log(`${''.padEnd(34)}${'tfjs wall'.padStart(10)}${torch ? `${'torch wall'.padStart(11)}${'ratio'.padStart(8)}` : ''}${'tfjs cpu'.padStart(10)}${torch ? `${'torch cpu'.padStart(11)}${'ratio'.padStart(8)}` : ''}`);
for (const [k, label] of [['ffn', 'FFN 784-128-64-10'], ['lenet5', 'LeNet-5']] as const) {
  for (const [what, wall, cpuK] of [['train 1 epoch (48k)', 'trainS', 'trainCpuS'], ['eval (10k test)', 'evalS', 'evalCpuS']] as const) {
    const a = median(results[k]![wall]);
    const ac = median(results[k]![cpuK]);
    const b = torch ? median(torch[k]![wall]) : NaN;
    const bc = torch ? median(torch[k]![cpuK]) : NaN;
    console.log(`${`${label}: ${what}`.padEnd(34)} ${fmt(a)}${torch ? ` ${fmt(b)}${(a / b).toFixed(2).padStart(7)}x` : ''} ${fmt(ac)}${torch ? ` ${fmt(bc)}${(ac / bc).toFixed(2).padStart(7)}x` : ''}`);
  }
}
console.log(`test accuracy after 1 epoch (median): tfjs FFN ${(median(results.ffn.accuracy) * 100).toFixed(1)}%, LeNet-5 ${(median(results.lenet5.accuracy) * 100).toFixed(1)}%` +
  (torch ? `; torch FFN ${(median(torch.ffn!.accuracy) * 100).toFixed(1)}%, LeNet-5 ${(median(torch.lenet5!.accuracy) * 100).toFixed(1)}%` : ''));
console.log(JSON.stringify({ tfjs: results, torch, backend: rt.backend, runs: RUNS, torchThreads: TORCH_THREADS }));
