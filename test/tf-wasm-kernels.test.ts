// The wasm backend's training kernels (grader/tf/wasm-kernels.ts) against the cpu backend.
// One vitest file shares one tfjs global: each case computes on wasm, copies the inputs
// and results out as plain arrays, switches to cpu, recomputes, and switches back.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type * as TF from '@tensorflow/tfjs';
import { initTf } from '../grader/tf/backend.ts';
import { buildLeNet5 } from '../reference/fashion-mnist-hw4/index.ts';
import { mulberry32 } from '../grader/sandbox/tasks.ts';

let tf: typeof TF;

beforeAll(async () => {
  delete process.env.NNGRADE_TF_BACKEND;
  const rt = await initTf({ prefer: 'wasm' });
  tf = rt.tf;
  expect(rt.backend).toBe('wasm');
});

const rng = mulberry32;

function randn(n: number, seed: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  return out;
}

interface Data { values: Float32Array; shape: number[] }
const data = (shape: number[], seed: number): Data => ({ values: randn(shape.reduce((a, b) => a * b, 1), seed), shape });

/** Runs f on `backend` with fresh tensors made from `inputs`; returns the outputs as Float32Arrays. */
async function on(backend: string, inputs: Data[], f: (...xs: TF.Tensor[]) => TF.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const xs = inputs.map((d) => tf.tensor(d.values, d.shape));
  const ys = f(...xs);
  const out = ys.map((y) => y.dataSync() as Float32Array).map((a) => Float32Array.from(a));
  tf.dispose([...xs, ...ys]);
  return out;
}

/** max |a-b| / max |b| over all outputs. */
function relErr(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((x, i) => {
    const y = b[i]!;
    expect(x.length).toBe(y.length);
    let num = 0;
    let den = 0;
    for (let j = 0; j < y.length; j++) {
      num = Math.max(num, Math.abs(x[j]! - y[j]!));
      den = Math.max(den, Math.abs(y[j]!));
    }
    worst = Math.max(worst, num / Math.max(den, 1e-12));
  });
  return worst;
}

async function compare(inputs: Data[], f: (...xs: TF.Tensor[]) => TF.Tensor[]): Promise<number> {
  const w = await on('wasm', inputs, f);
  const c = await on('cpu', inputs, f);
  await tf.setBackend('wasm');
  return relErr(w, c);
}

/** Gradients of sum(op(x, f) * r) w.r.t. x and f. */
function gradsOf(op: (x: TF.Tensor4D, f: TF.Tensor4D) => TF.Tensor) {
  return (x: TF.Tensor, f: TF.Tensor, r: TF.Tensor) => {
    const g = tf.grads((a: TF.Tensor, b: TF.Tensor) => tf.sum(tf.mul(op(a as TF.Tensor4D, b as TF.Tensor4D), r)));
    return g([x, f]);
  };
}

function outShape(xs: number[], fs: number[], s: number | [number, number], pad: 'same' | 'valid' | number[][]): number[] {
  const [sh, sw] = Array.isArray(s) ? s : [s, s];
  const size = (n: number, k: number, st: number, p: [number, number] | 'same' | 'valid') =>
    p === 'same' ? Math.ceil(n / st) : p === 'valid' ? Math.floor((n - k) / st) + 1 : Math.floor((n + p[0] + p[1] - k) / st) + 1;
  const ph = Array.isArray(pad) ? (pad[1] as [number, number]) : pad;
  const pw = Array.isArray(pad) ? (pad[2] as [number, number]) : pad;
  return [xs[0]!, size(xs[1]!, fs[0]!, sh, ph), size(xs[2]!, fs[1]!, sw, pw), fs[3]!];
}

describe('wasm training kernels', () => {
  it('registers the missing kernels and replaces the slow Conv2DBackpropInput', async () => {
    const rt = await initTf();
    expect(rt.wasmKernels?.added).toEqual(expect.arrayContaining(['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput', 'UnsortedSegmentSum']));
    expect(rt.wasmKernels?.replaced.sort()).toEqual(['Add', 'BatchMatMul', 'Conv2DBackpropInput', 'GatherV2', 'MaxPoolGrad', 'Multiply', 'RealDiv', 'Slice', 'Sub', 'Sum', '_FusedMatMul']);
    for (const k of ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad', 'AvgPoolGrad']) expect(tf.getKernel(k, 'wasm')).toBeTruthy();
  });

  type Case = [number[], number[], number | [number, number], 'same' | 'valid' | number[][]];
  const convCases: Case[] = [
    [[2, 7, 7, 3], [3, 3, 3, 4], 1, 'same'],
    [[2, 7, 7, 3], [3, 3, 3, 4], 2, 'same'],
    [[2, 8, 8, 3], [3, 3, 3, 4], 2, 'same'],
    [[2, 8, 8, 3], [3, 3, 3, 4], 2, 'valid'],
    [[2, 9, 9, 3], [3, 3, 3, 8], 2, 'valid'],
    [[3, 28, 28, 1], [5, 5, 1, 6], 1, 'same'], // LeNet C1
    [[3, 14, 14, 6], [5, 5, 6, 16], 1, 'valid'], // LeNet C3
    [[3, 5, 5, 16], [5, 5, 16, 120], 1, 'valid'], // LeNet C5: one matrix product
    [[2, 32, 32, 3], [5, 5, 3, 12], 1, 'valid'], // CS231n conv a)
    [[2, 6, 6, 16], [1, 1, 16, 8], 1, 'valid'], // 1x1
    [[2, 10, 11, 3], [3, 2, 3, 5], [2, 3], 'same'],
    [[2, 10, 11, 3], [3, 2, 3, 5], [2, 3], 'valid'],
    [[2, 11, 11, 4], [5, 5, 4, 3], 3, 'same'],
    [[2, 10, 10, 3], [3, 3, 3, 4], 1, [[0, 0], [2, 1], [0, 3], [0, 0]]],
    [[2, 9, 9, 2], [4, 4, 2, 3], 2, 'same'],
  ];

  for (const [xs, fs, s, pad] of convCases) {
    it(`conv2d gradients match cpu: x ${xs} filter ${fs} stride ${s} pad ${JSON.stringify(pad)}`, async () => {
      const r = outShape(xs, fs, s, pad);
      const err = await compare([data(xs, 1), data(fs, 2), data(r, 3)], gradsOf((x, f) => tf.conv2d(x, f, s, pad as 'same')) as never);
      expect(err).toBeLessThan(1e-4);
    });
  }

  it('fused conv2d (bias + relu, as tf.layers.conv2d uses) gradients match cpu', async () => {
    const xs = [4, 12, 12, 3];
    const fs = [3, 3, 3, 8];
    const f = (x: TF.Tensor, w: TF.Tensor, b: TF.Tensor, r: TF.Tensor) =>
      tf.grads((a: TF.Tensor, c: TF.Tensor, d: TF.Tensor) =>
        tf.sum(tf.mul(tf.fused.conv2d({ x: a as TF.Tensor4D, filter: c as TF.Tensor4D, bias: d, strides: 2, pad: 'same', activation: 'relu' }), r)))([x, w, b]);
    const err = await compare([data(xs, 4), data(fs, 5), data([8], 6), data([4, 6, 6, 8], 7)], f as never);
    expect(err).toBeLessThan(1e-4);
  });

  const poolCases: [number[], number, number, 'same' | 'valid'][] = [
    [[2, 28, 28, 6], 2, 2, 'valid'],
    [[2, 10, 10, 16], 2, 2, 'valid'],
    [[2, 7, 7, 3], 2, 2, 'same'],
    [[2, 28, 28, 12], 2, 2, 'same'],
    [[2, 9, 9, 4], 3, 2, 'same'],
    [[2, 9, 9, 4], 3, 1, 'valid'],
    [[2, 7, 7, 3], 2, 2, 'valid'],
    [[2, 10, 11, 5], 3, 3, 'valid'],
  ];
  for (const [xs, k, s, pad] of poolCases) {
    it(`maxPool and avgPool gradients match cpu: x ${xs} pool ${k} stride ${s} ${pad}`, async () => {
      const oh = pad === 'same' ? Math.ceil(xs[1]! / s) : Math.floor((xs[1]! - k) / s) + 1;
      const ow = pad === 'same' ? Math.ceil(xs[2]! / s) : Math.floor((xs[2]! - k) / s) + 1;
      const r = [xs[0]!, oh, ow, xs[3]!];
      const maxErr = await compare([data(xs, 8), data(r, 9)], (x, rr) => [tf.grad((a: TF.Tensor) => tf.sum(tf.mul(tf.maxPool(a as TF.Tensor4D, k, s, pad), rr!)))(x!)]);
      expect(maxErr).toBeLessThan(1e-4);
      // ReLU before pooling makes ties (all-zero windows): the gradient must still go to one input only, as on cpu.
      const tieErr = await compare([data(xs, 10), data(r, 11)], (x, rr) => [tf.grad((a: TF.Tensor) => tf.sum(tf.mul(tf.maxPool(tf.relu(a) as TF.Tensor4D, k, s, pad), rr!)))(x!)]);
      expect(tieErr).toBeLessThan(1e-4);
      const avgErr = await compare([data(xs, 12), data(r, 13)], (x, rr) => [tf.grad((a: TF.Tensor) => tf.sum(tf.mul(tf.avgPool(a as TF.Tensor4D, k, s, pad), rr!)))(x!)]);
      expect(avgErr).toBeLessThan(1e-4);
    });
  }

  it('depthwise and separable conv gradients match cpu', async () => {
    const err1 = await compare([data([2, 9, 9, 3], 14), data([3, 3, 3, 2], 15), data([2, 5, 5, 6], 16)],
      gradsOf((x, f) => tf.depthwiseConv2d(x, f, 2, 'same')) as never);
    expect(err1).toBeLessThan(1e-4);
    const err2 = await compare([data([2, 8, 8, 4], 17), data([3, 3, 4, 1], 18), data([1, 1, 4, 5], 19), data([2, 6, 6, 5], 20)],
      (x, d, p, r) => tf.grads((a: TF.Tensor, b: TF.Tensor, c: TF.Tensor) => tf.sum(tf.mul(tf.separableConv2d(a as TF.Tensor4D, b as TF.Tensor4D, c as TF.Tensor4D, 1, 'valid'), r!)))([x!, d!, p!]));
    expect(err2).toBeLessThan(1e-4);
  });

  it('conv2dTranspose (forward = Conv2DBackpropInput) and its gradients match cpu', async () => {
    const err = await compare([data([2, 5, 5, 4], 21), data([3, 3, 6, 4], 22), data([2, 10, 10, 6], 23)],
      gradsOf((x, f) => tf.conv2dTranspose(x, f, [2, 10, 10, 6], 2, 'same')) as never);
    expect(err).toBeLessThan(1e-4);
  });

  it('gather (embedding) gradients use UnsortedSegmentSum and match cpu', async () => {
    const ids = [3, 1, 3, 0, 7, 1];
    const err = await compare([data([8, 5], 24), data([6, 5], 25)], (table, r) => [
      tf.grad((t: TF.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor1d(ids, 'int32')), r!)))(table!),
    ]);
    expect(err).toBeLessThan(1e-4);
  });

  it('gather (forward) matches cpu: axes 0..2, batchDims 1, int32 data; out-of-range indices are errors', async () => {
    const x = data([4, 5, 6], 40);
    const cases: [number[], number, number][] = [[[3, 0, 3, 1], 0, 0], [[4, 0], 1, 0], [[5, 5, 0, 2, 1], 2, 0]];
    for (const [ids, axis, bd] of cases) {
      const err = await compare([x], (t) => [tf.gather(t!, tf.tensor1d(ids, 'int32'), axis, bd)]);
      expect(err).toBe(0);
    }
    const err = await compare([x], (t) => [tf.gather(t!, tf.tensor2d([[1, 0], [4, 4], [2, 2], [0, 3]], [4, 2], 'int32'), 1, 1)]);
    expect(err).toBe(0);
    await tf.setBackend('wasm');
    const ints = tf.gather(tf.tensor2d([[1, 2], [3, 4], [5, 6]], [3, 2], 'int32'), tf.tensor1d([2, 0], 'int32'));
    expect(ints.dtype).toBe('int32');
    expect(ints.arraySync()).toEqual([[5, 6], [1, 2]]);
    expect(() => tf.gather(tf.zeros([3, 2]), tf.tensor1d([3], 'int32'))).toThrow('GatherV2: the index value 3 is not in [0, 2]');
  });

  it('slice matches cpu: contiguous and strided, ranks 1..5, int32 and bool', async () => {
    const cases: [number[], number[], number[]][] = [
      [[10], [3], [4]],
      [[10, 7], [2, 0], [5, 7]],
      [[10, 7], [2, 1], [5, 3]],
      [[4, 5, 6], [1, 2, 0], [2, 3, 6]],
      [[4, 5, 6], [0, 0, 2], [4, 5, 1]],
      [[3, 4, 5, 6], [1, 0, 2, 3], [2, 4, 3, -1]],
      [[2, 3, 4, 5, 6], [1, 1, 0, 2, 1], [1, 2, 4, 3, 5]],
    ];
    for (const [shape, begin, size] of cases) {
      const err = await compare([data(shape, 41)], (t) => [tf.slice(t!, begin, size)]);
      expect(err).toBe(0);
    }
    await tf.setBackend('wasm');
    expect(tf.slice(tf.tensor2d([[1, 2, 3], [4, 5, 6]], [2, 3], 'int32'), [0, 1], [2, 2]).arraySync()).toEqual([[2, 3], [5, 6]]);
    expect(tf.slice(tf.tensor1d([true, false, true], 'bool'), [1], [2]).arraySync()).toEqual([0, 1]);
    expect(tf.slice(tf.zeros([3, 0]), [1, 0], [1, 0]).shape).toEqual([1, 0]);
  });

  it('bias-style broadcasts (add, sub, mul, div along the last axis) and leading-axes sums match cpu', async () => {
    for (const [big, small] of [[[16, 28, 28, 6], [6]], [[64, 10, 10, 16], [1, 1, 1, 16]], [[300, 128], [128]], [[7, 9, 11], [11]]] as const) {
      const err = await compare([data([...big], 50), data([...small], 51)], (x, v) => [
        tf.add(x!, v!), tf.add(v!, x!), tf.sub(x!, v!), tf.sub(v!, x!), tf.mul(v!, x!), tf.div(x!, tf.add(tf.abs(v!), 1)),
      ]);
      expect(err).toBe(0);
      const sums = await compare([data([...big], 52)], (x) => [tf.sum(x!, [...Array(big.length - 1).keys()]), tf.sum(x!, [...Array(big.length - 1).keys()], true), tf.sum(x!, [0]), tf.sum(x!)]);
      expect(sums).toBeLessThan(1e-5);
    }
  });

  it('matMul with transposeA / transposeB (Dense backward) and fused matMul match cpu', async () => {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const a = ta ? [2, 7, 5] : [2, 5, 7];
      const b = tb ? [2, 3, 7] : [2, 7, 3];
      const err = await compare([data(a, 30), data(b, 31), data([3], 32)], (x, y, bias) => [
        tf.matMul(x!, y!, ta, tb),
        tf.fused.matMul({ a: x!, b: y!, transposeA: ta, transposeB: tb, bias: bias!, activation: 'relu' }),
      ]);
      expect(err).toBeLessThan(1e-5);
    }
  });

  it('batch norm, dropout-free dense and softmax cross-entropy gradients match cpu', async () => {
    const err = await compare([data([16, 6, 6, 4], 26), data([4], 27), data([4], 28), data([144, 10], 29)], (x, g, b, w) => {
      const f = (a: TF.Tensor, gg: TF.Tensor, bb: TF.Tensor, ww: TF.Tensor) => {
        const { mean, variance } = tf.moments(a, [0, 1, 2]);
        const y = tf.batchNorm(a, mean, variance, bb as TF.Tensor1D, gg as TF.Tensor1D, 1e-3);
        const logits = tf.matMul(tf.reshape(tf.relu(y), [16, 144]), ww as TF.Tensor2D);
        const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5], 'int32'), 10);
        return tf.losses.softmaxCrossEntropy(labels, logits) as TF.Scalar;
      };
      return tf.grads(f as never)([x!, g!, b!, w!]);
    });
    expect(err).toBeLessThan(1e-4);
  });
});

/** The first n test images of the committed Fashion-MNIST subset, scaled to [0, 1]. */
function fashionSubset(n: number): { x: Float32Array; y: Int32Array } {
  const dir = path.resolve(import.meta.dirname, '..', 'data', 'fashion-mnist-subset');
  const img = gunzipSync(readFileSync(path.join(dir, 't10k-images-idx3-ubyte.gz')));
  const lab = gunzipSync(readFileSync(path.join(dir, 't10k-labels-idx1-ubyte.gz')));
  const x = new Float32Array(n * 784);
  for (let i = 0; i < n * 784; i++) x[i] = img[16 + i]! / 255;
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = lab[8 + i]!;
  return { x, y };
}

/** LeNet-5 as the homework describes it: the reference's own model (61,706 parameters). */
const lenet5 = buildLeNet5;

describe('training on wasm', () => {
  it('LeNet-5 (61,706 params) trains on real Fashion-MNIST images with Adam: the loss falls', async () => {
    await tf.setBackend('wasm');
    const { x, y } = fashionSubset(256);
    const m = lenet5();
    expect(m.countParams()).toBe(61706);
    m.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const xs = tf.tensor4d(x, [256, 28, 28, 1]);
    const ys = tf.oneHot(tf.tensor1d(y, 'int32'), 10);
    const first = (await m.evaluate(xs, ys, { batchSize: 128 }) as TF.Scalar[])[0]!.dataSync()[0]!;
    const h = await m.fit(xs, ys, { epochs: 4, batchSize: 32, shuffle: false, verbose: 0 });
    const losses = h.history.loss as number[];
    const after = (await m.evaluate(xs, ys, { batchSize: 128 }) as TF.Scalar[])[0]!.dataSync()[0]!;
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
    expect(after).toBeLessThan(first * 0.8);
    tf.dispose([xs, ys]);
    m.dispose();
  });

  it('a small CNN (3x3 convs, stride 2, batch norm, dropout, SGD momentum 0.9) trains: the loss falls', async () => {
    const { x, y } = fashionSubset(192);
    const m = tf.sequential();
    m.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }));
    m.add(tf.layers.batchNormalization());
    m.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }));
    m.add(tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }));
    m.add(tf.layers.flatten());
    m.add(tf.layers.dropout({ rate: 0.25 }));
    m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
    m.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy' });
    const xs = tf.tensor4d(x, [192, 28, 28, 1]);
    const ys = tf.oneHot(tf.tensor1d(y, 'int32'), 10);
    const h = await m.fit(xs, ys, { epochs: 4, batchSize: 32, shuffle: false, verbose: 0 });
    const losses = h.history.loss as number[];
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.9);
    tf.dispose([xs, ys]);
    m.dispose();
  });

  it('one LeNet-5 training step gives the same weights on wasm and on cpu (SGD)', async () => {
    const { x, y } = fashionSubset(32);
    const step = async (backend: string, init: Float32Array[] | null) => {
      await tf.setBackend(backend);
      const m = lenet5();
      if (init) m.setWeights(init.map((v, i) => tf.tensor(v, m.getWeights()[i]!.shape)));
      m.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
      const before = m.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));
      const xs = tf.tensor4d(x, [32, 28, 28, 1]);
      const ys = tf.oneHot(tf.tensor1d(y, 'int32'), 10);
      await m.trainOnBatch(xs, ys);
      const after = m.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));
      tf.dispose([xs, ys]);
      m.dispose();
      return { before, after };
    };
    // Seeded initial weights (Glorot-like scale), the same on both backends: tf's own initialisers are
    // unseeded, and an unlucky draw could put a ReLU right at its kink, where float32 rounding decides.
    await tf.setBackend('cpu');
    const probe = lenet5();
    const shapes = probe.getWeights().map((t) => t.shape);
    probe.dispose();
    const r = rng(20261201);
    const init = shapes.map((shape) => {
      const n = shape.reduce((a, b) => a * b, 1);
      const scale = Math.sqrt(2 / (shape.length > 1 ? shape.slice(0, -1).reduce((a, b) => a * b, 1) + shape[shape.length - 1]! : n));
      return Float32Array.from({ length: n }, () => (r() * 2 - 1) * scale * Math.sqrt(3));
    });
    const w = await step('wasm', init);
    const c = await step('cpu', init);
    await tf.setBackend('wasm');
    const deltaW = w.after.map((a, i) => a.map((v, j) => v - w.before[i]![j]!));
    const deltaC = c.after.map((a, i) => a.map((v, j) => v - c.before[i]![j]!));
    expect(relErr(deltaW, deltaC)).toBeLessThan(1e-3);
  });
});
