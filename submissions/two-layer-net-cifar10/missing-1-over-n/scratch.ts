// Mistake: the loss is a mean over the N examples, but the gradient of the scores
// is not divided by N, so every data gradient is N times too large.
type Matrix = number[][];

export interface Params { W1: Matrix; b1: number[]; W2: Matrix; b2: number[] }

interface TrainOptions { learningRate: number; learningRateDecay: number; reg: number; numIters: number; batchSize: number }

const zeros = (r: number, c: number): Matrix => Array.from({ length: r }, () => new Array(c).fill(0));
const transpose = (A: Matrix): Matrix => A[0].map((_, j) => A.map((row) => row[j]));

function matmul(A: Matrix, B: Matrix): Matrix {
  const out = zeros(A.length, B[0].length);
  for (let i = 0; i < A.length; i++)
    for (let k = 0; k < B.length; k++) {
      const a = A[i][k];
      for (let j = 0; j < B[0].length; j++) out[i][j] += a * B[k][j];
    }
  return out;
}

const addRow = (A: Matrix, b: number[]): Matrix => A.map((row) => row.map((v, j) => v + b[j]));
const colSums = (A: Matrix): number[] => A[0].map((_, j) => A.reduce((s, row) => s + row[j], 0));
const sumSq = (A: Matrix): number => A.flat().reduce((s, v) => s + v * v, 0);

export function loss(params: Params, X: Matrix, y?: number[] | null, reg = 0) {
  const { W1, b1, W2, b2 } = params;
  const z1 = addRow(matmul(X, W1), b1);
  const h = z1.map((row) => row.map((v) => Math.max(0, v)));
  const scores = addRow(matmul(h, W2), b2);
  if (y == null) return scores;

  const N = X.length;
  const probs = scores.map((row) => {
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  });
  let dataLoss = 0;
  for (let i = 0; i < N; i++) dataLoss += -Math.log(probs[i][y[i]]);
  const L = dataLoss / N + reg * (sumSq(W1) + sumSq(W2));

  const dscores = probs.map((row, i) => row.map((p, c) => p - (c === y[i] ? 1 : 0)));
  const dW2 = matmul(transpose(h), dscores).map((row, j) => row.map((v, c) => v + 2 * reg * W2[j][c]));
  const db2 = colSums(dscores);
  const dh = matmul(dscores, transpose(W2)).map((row, i) => row.map((v, j) => (z1[i][j] > 0 ? v : 0)));
  const dW1 = matmul(transpose(X), dh).map((row, d) => row.map((v, j) => v + 2 * reg * W1[d][j]));
  const db1 = colSums(dh);
  return { loss: L, grads: { W1: dW1, b1: db1, W2: dW2, b2: db2 } };
}

export function predict(params: Params, X: Matrix): number[] {
  const scores = loss(params, X) as Matrix;
  return scores.map((row) => row.indexOf(Math.max(...row)));
}

export function train(params: Params, X: Matrix, y: number[], Xval: Matrix, yval: number[], opts: TrainOptions) {
  const p: Params = { W1: params.W1.map((r) => [...r]), b1: [...params.b1], W2: params.W2.map((r) => [...r]), b2: [...params.b2] };
  const n = X.length;
  const iterationsPerEpoch = Math.max(Math.floor(n / opts.batchSize), 1);
  let lr = opts.learningRate;
  const lossHistory: number[] = [], trainAccHistory: number[] = [], valAccHistory: number[] = [];
  const acc = (pred: number[], labels: number[]) => pred.filter((c, i) => c === labels[i]).length / labels.length;

  for (let it = 0; it < opts.numIters; it++) {
    const batch = Array.from({ length: opts.batchSize }, () => Math.floor(Math.random() * n));
    const Xb = batch.map((i) => X[i]);
    const yb = batch.map((i) => y[i]);
    const { loss: L, grads } = loss(p, Xb, yb, opts.reg) as { loss: number; grads: Params };
    lossHistory.push(L);
    p.W1 = p.W1.map((row, i) => row.map((w, j) => w - lr * grads.W1[i][j]));
    p.b1 = p.b1.map((b, j) => b - lr * grads.b1[j]);
    p.W2 = p.W2.map((row, i) => row.map((w, j) => w - lr * grads.W2[i][j]));
    p.b2 = p.b2.map((b, j) => b - lr * grads.b2[j]);
    if (it % iterationsPerEpoch === 0) {
      trainAccHistory.push(acc(predict(p, Xb), yb));
      valAccHistory.push(acc(predict(p, Xval), yval));
      lr *= opts.learningRateDecay;
    }
  }
  return { params: p, lossHistory, trainAccHistory, valAccHistory };
}
