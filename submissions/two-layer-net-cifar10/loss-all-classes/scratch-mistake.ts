// Mistake: the data loss adds -log p over every class of each example instead of
// only the true class's -log p[y_i]; the gradients are the usual ones.
// predict and train are the correct ones.
import type { Params } from './scratch.ts';
export { predict, train, type Params } from './scratch.ts';

type M = number[][];
const mul = (A: M, B: M): M => A.map((a) => B[0].map((_, j) => a.reduce((s, v, k) => s + v * B[k][j], 0)));
const T = (A: M): M => A[0].map((_, j) => A.map((r) => r[j]));
const colSum = (A: M) => A[0].map((_, j) => A.reduce((s, r) => s + r[j], 0));

function softmax(row: number[]): number[] {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

export function loss(params: Params, X: M, y?: number[] | null, reg = 0) {
  const { W1, b1, W2, b2 } = params;
  const hidden = mul(X, W1).map((r) => r.map((v, j) => Math.max(0, v + b1[j])));
  const scores = mul(hidden, W2).map((r) => r.map((v, c) => v + b2[c]));
  if (y == null) return scores;

  const N = X.length;
  const probs = scores.map(softmax);
  // cross-entropy: add -log p for every class of every example
  const dataLoss = probs.reduce((s, p) => s + p.reduce((t, pc) => t - Math.log(pc), 0), 0) / N;
  const l2 = [W1, W2].reduce((s, W) => s + W.flat().reduce((t, w) => t + w * w, 0), 0);

  const dscores = probs.map((p, n) => p.map((v, c) => (c === y[n] ? v - 1 : v) / N));
  const dhidden = mul(dscores, T(W2)).map((r, n) => r.map((v, j) => (hidden[n][j] > 0 ? v : 0)));
  const plusReg = (G: M, W: M) => G.map((r, i) => r.map((v, j) => v + 2 * reg * W[i][j]));
  return {
    loss: dataLoss + reg * l2,
    grads: { W1: plusReg(mul(T(X), dhidden), W1), b1: colSum(dhidden), W2: plusReg(mul(T(hidden), dscores), W2), b2: colSum(dscores) },
  };
}
