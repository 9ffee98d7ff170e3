// Mistake: each step updates a fresh copy of the parameters, which is then thrown away; the
// parameters returned are the initial ones, so nothing is learnt (the loss history stays flat).
import { loss, predict, type Params } from './scratch.ts';

interface TrainOptions { learningRate: number; learningRateDecay: number; reg: number; numIters: number; batchSize: number }

export function train(params: Params, X: number[][], y: number[], Xval: number[][], yval: number[], opts: TrainOptions) {
  const p: Params = { W1: params.W1.map((r) => [...r]), b1: [...params.b1], W2: params.W2.map((r) => [...r]), b2: [...params.b2] };
  const n = X.length;
  const iterationsPerEpoch = Math.max(Math.floor(n / opts.batchSize), 1);
  let lr = opts.learningRate;
  const lossHistory: number[] = [], trainAccHistory: number[] = [], valAccHistory: number[] = [];
  const acc = (pred: number[], labels: number[]) => pred.filter((c, i) => c === labels[i]).length / labels.length;
  for (let it = 0; it < opts.numIters; it++) {
    const batch = Array.from({ length: opts.batchSize }, () => Math.floor(Math.random() * n));
    const Xb = batch.map((i) => X[i]), yb = batch.map((i) => y[i]);
    const { loss: L, grads } = loss(p, Xb, yb, opts.reg) as { loss: number; grads: Params };
    lossHistory.push(L);
    const next = { ...p };
    next.W1 = p.W1.map((row, i) => row.map((w, j) => w - lr * grads.W1[i][j]));
    next.b1 = p.b1.map((b, j) => b - lr * grads.b1[j]);
    next.W2 = p.W2.map((row, i) => row.map((w, j) => w - lr * grads.W2[i][j]));
    next.b2 = p.b2.map((b, j) => b - lr * grads.b2[j]);
    if (it % iterationsPerEpoch === 0) {
      trainAccHistory.push(acc(predict(p, Xb), yb));
      valAccHistory.push(acc(predict(p, Xval), yval));
      lr *= opts.learningRateDecay;
    }
  }
  return { params: p, lossHistory, trainAccHistory, valAccHistory };
}
