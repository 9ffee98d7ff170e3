/**
 * Reference for two-layer-net-cifar10: a fully-connected net
 *   scores = relu(X W1 + b1) W2 + b2
 * with a softmax cross-entropy loss and L2 regularisation
 *   L = mean_n -log softmax(scores_n)[y_n] + reg * (ΣW1² + ΣW2²)
 * (no 0.5 factor, so the regularisation gradient is 2·reg·W).
 * Shapes: X (N, D), W1 (D, H), b1 (H), W2 (H, C), b2 (C).
 * Problem 2 (the CNNs, at the end) builds TensorFlow.js models.
 */
import * as tf from '@tensorflow/tfjs';
import { fitOn, type FitOptions, type TrainingData } from '../_shared/training.ts';

export interface Params {
  W1: number[][];
  b1: number[];
  W2: number[][];
  b2: number[];
}

export interface LossAndGrads {
  loss: number;
  grads: Params;
}

export interface TrainOptions {
  learningRate: number;
  learningRateDecay: number;
  reg: number;
  numIters: number;
  batchSize: number;
}

export interface TrainResult {
  params: Params;
  lossHistory: number[];
  trainAccHistory: number[];
  valAccHistory: number[];
}

/** out[j] = b[j] + Σ_i x[i] W[i][j] */
function affine(x: number[], W: number[][], b: number[]): number[] {
  const out = b.slice();
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    const row = W[i];
    for (let j = 0; j < out.length; j++) out[j] += xi * row[j];
  }
  return out;
}

function forward(p: Params, X: number[][]): { hidden: number[][]; scores: number[][] } {
  const hidden = X.map((x) => affine(x, p.W1, p.b1).map((z) => (z > 0 ? z : 0)));
  const scores = hidden.map((h) => affine(h, p.W2, p.b2));
  return { hidden, scores };
}

const sumSquares = (W: number[][]) => W.reduce((s, row) => s + row.reduce((t, w) => t + w * w, 0), 0);

/** log of the softmax of one row of scores, shifted by the row maximum for stability. */
function logSoftmax(row: number[]): number[] {
  const m = Math.max(...row);
  const lse = Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
  return row.map((v) => v - m - lse);
}

export function loss(params: Params, X: number[][], y?: number[] | null, reg = 0): number[][] | LossAndGrads {
  const { hidden, scores } = forward(params, X);
  if (y === undefined || y === null) return scores;

  const N = X.length;
  let dataLoss = 0;
  // dScores = (softmax - onehot(y)) / N
  const dScores = scores.map((row, n) => {
    const logp = logSoftmax(row);
    dataLoss -= logp[y[n]];
    const d = logp.map((lp) => Math.exp(lp) / N);
    d[y[n]] -= 1 / N;
    return d;
  });
  const total = dataLoss / N + reg * (sumSquares(params.W1) + sumSquares(params.W2));

  const H = params.W2.length;
  const C = params.b2.length;
  const D = params.W1.length;
  const dW2 = params.W2.map((row) => row.map((w) => 2 * reg * w));
  const db2 = new Array<number>(C).fill(0);
  const dW1 = params.W1.map((row) => row.map((w) => 2 * reg * w));
  const db1 = new Array<number>(H).fill(0);
  for (let n = 0; n < N; n++) {
    const h = hidden[n];
    const ds = dScores[n];
    const dh = new Array<number>(H).fill(0);
    for (let j = 0; j < H; j++) {
      for (let c = 0; c < C; c++) {
        dW2[j][c] += h[j] * ds[c];
        dh[j] += ds[c] * params.W2[j][c];
      }
      if (h[j] <= 0) dh[j] = 0; // ReLU passes gradient only where it was active
    }
    for (let c = 0; c < C; c++) db2[c] += ds[c];
    for (let j = 0; j < H; j++) db1[j] += dh[j];
    for (let i = 0; i < D; i++) for (let j = 0; j < H; j++) dW1[i][j] += X[n][i] * dh[j];
  }
  return { loss: total, grads: { W1: dW1, b1: db1, W2: dW2, b2: db2 } };
}

/** The regularised loss alone (used by the grader to re-evaluate a student's trained parameters). */
export function lossValue(params: Params, X: number[][], y: number[], reg = 0): number {
  return (loss(params, X, y, reg) as LossAndGrads).loss;
}

export function predict(params: Params, X: number[][]): number[] {
  return forward(params, X).scores.map((row) => {
    let best = 0;
    for (let c = 1; c < row.length; c++) if (row[c] > row[best]) best = c;
    return best;
  });
}

const accuracy = (pred: number[], y: number[]) => pred.reduce((s, p, i) => s + (p === y[i] ? 1 : 0), 0) / y.length;

/**
 * Minibatch SGD: each iteration samples batchSize rows with replacement
 * (Math.random), takes one step, and records the minibatch loss. Once per
 * epoch (every max(⌊N / batchSize⌋, 1) iterations, starting with the first)
 * it records the minibatch and validation accuracy and multiplies the
 * learning rate by learningRateDecay.
 */
export function train(params: Params, X: number[][], y: number[], Xval: number[][], yval: number[], opts: TrainOptions): TrainResult {
  const p: Params = structuredClone(params);
  const N = X.length;
  const perEpoch = Math.max(Math.floor(N / opts.batchSize), 1);
  let lr = opts.learningRate;
  const lossHistory: number[] = [];
  const trainAccHistory: number[] = [];
  const valAccHistory: number[] = [];
  for (let it = 0; it < opts.numIters; it++) {
    const idx = Array.from({ length: opts.batchSize }, () => Math.floor(Math.random() * N));
    const Xb = idx.map((i) => X[i]);
    const yb = idx.map((i) => y[i]);
    const { loss: L, grads } = loss(p, Xb, yb, opts.reg) as LossAndGrads;
    lossHistory.push(L);
    for (const k of ['W1', 'W2'] as const) p[k].forEach((row, i) => row.forEach((_, j) => (row[j] -= lr * grads[k][i][j])));
    for (const k of ['b1', 'b2'] as const) p[k].forEach((_, j) => (p[k][j] -= lr * grads[k][j]));
    if (it % perEpoch === 0) {
      trainAccHistory.push(accuracy(predict(p, Xb), yb));
      valAccHistory.push(accuracy(predict(p, Xval), yval));
      lr *= opts.learningRateDecay;
    }
  }
  return { params: p, lossHistory, trainAccHistory, valAccHistory };
}

/**
 * lossValue of the params inside a train() result. The spec derives the final
 * loss through this because `nngrade validate` cannot resolve "$output.params"
 * in derive arguments (it lints them with $output = null); "$output" works.
 */
export function trainedLoss(result: { params: Params }, X: number[][], y: number[], reg = 0): number {
  return lossValue(result.params, X, y, reg);
}

// ---------------------------------------------------------------------------
// Problem 2: the CNNs a), b) and c) on CIFAR-10 (32×32×3 inputs), with TensorFlow.js.
//
// The homework reports 24,442, 1,626,442 and 890,410 parameters for a), b) and c).
// Those counts come from UNPADDED 3×3 / 5×5 convolutions (Keras's default
// padding 'valid') and 2×2 max pooling; with padding 'same' on the convolutions
// the counts would be 31,642, 2,117,962 and 2,168,362. The pools take 2×2
// windows with stride 2; every map they see has an even side, so their own
// padding changes nothing. Dropout 0.5 follows the hidden FC layers only.
const INPUT: [number, number, number] = [32, 32, 3];

function compileAdam(model: tf.Sequential): tf.Sequential {
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** a) INPUT → CONV-12 (5×5) → RELU → POOL → FCS: 912 + 23,530 = 24,442 parameters. */
export function buildCnnA(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 12, kernelSize: 5, padding: 'valid', activation: 'relu', inputShape: INPUT }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return compileAdam(model);
}

/**
 * b) INPUT → CONV-32 → RELU → CONV-64 → RELU → POOL → FC-128 → FCS, 3×3 kernels:
 * 896 + 18,496 + 1,605,760 + 1,290 = 1,626,442 parameters. The instructions put no
 * RELU after FC-128 (c) has one after FC-512), so FC-128 is linear here.
 */
export function buildCnnB(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: INPUT }));
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 128 }));
  model.add(tf.layers.dropout({ rate: 0.5 }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return compileAdam(model);
}

/**
 * c) [CONV-32 → RELU]×2 → POOL → [CONV-64 → RELU]×2 → POOL → FC-512 → RELU → FCS, 3×3 kernels:
 * 896 + 9,248 + 18,496 + 36,928 + 819,712 + 5,130 = 890,410 parameters.
 */
export function buildCnnC(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: INPUT }));
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 512, activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: 0.5 }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return compileAdam(model);
}

/** Trains buildCnnA() with Adam on {x, y} (x [N, 32, 32, 3], y one-hot [N, 10]); returns the model and its history. */
export const trainCnnA = (data: TrainingData, opts: FitOptions) => fitOn(buildCnnA(), data, opts);
