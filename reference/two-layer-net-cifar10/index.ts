/**
 * Reference for two-layer-net-cifar10: a fully-connected net
 *   scores = relu(X W1 + b1) W2 + b2
 * with a softmax cross-entropy loss and L2 regularisation
 *   L = mean_n -log softmax(scores_n)[y_n] + reg * (ΣW1² + ΣW2²)
 * (no 0.5 factor, so the regularisation gradient is 2·reg·W).
 * Shapes: X (N, D), W1 (D, H), b1 (H), W2 (H, C), b2 (C).
 */
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
