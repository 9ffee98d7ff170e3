// Mistake: the loss is a mean over the N examples, but the gradient of the scores
// is not divided by N, so every data gradient is N times too large.
// predict and train are the correct ones.
import type { Params } from './scratch.ts';
export { predict, train, type Params } from './scratch.ts';

export function loss(params: Params, X: number[][], y?: number[] | null, reg = 0) {
  const { W1, b1, W2, b2 } = params;
  const Z1 = X.map((x) => b1.map((b, j) => x.reduce((s, v, d) => s + v * W1[d][j], b)));
  const A1 = Z1.map((z) => z.map((v) => (v > 0 ? v : 0)));
  const S = A1.map((a) => b2.map((b, c) => a.reduce((s, v, j) => s + v * W2[j][c], b)));
  if (y == null) return S;

  const N = X.length;
  // log-softmax of each row: s - logsumexp(s)
  const logP = S.map((s) => {
    const m = Math.max(...s);
    const lse = m + Math.log(s.reduce((t, u) => t + Math.exp(u - m), 0));
    return s.map((v) => v - lse);
  });
  const sq = (W: number[][]) => W.flat().reduce((s, w) => s + w * w, 0);
  const L = -logP.reduce((s, lp, n) => s + lp[y[n]], 0) / N + reg * (sq(W1) + sq(W2));

  const dS = logP.map((lp, n) => lp.map((v, c) => Math.exp(v) - (c === y[n] ? 1 : 0))); // no / N
  const dZ1 = dS.map((d, n) => W2.map((w, j) => (Z1[n][j] > 0 ? d.reduce((s, v, c) => s + v * w[c], 0) : 0)));
  return {
    loss: L,
    grads: {
      W1: W1.map((row, d) => row.map((w, j) => dZ1.reduce((s, g, n) => s + X[n][d] * g[j], 2 * reg * w))),
      b1: b1.map((_, j) => dZ1.reduce((s, g) => s + g[j], 0)),
      W2: W2.map((row, j) => row.map((w, c) => dS.reduce((s, g, n) => s + A1[n][j] * g[c], 2 * reg * w))),
      b2: b2.map((_, c) => dS.reduce((s, g) => s + g[c], 0)),
    },
  };
}
