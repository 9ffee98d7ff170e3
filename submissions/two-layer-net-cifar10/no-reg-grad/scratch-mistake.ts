// Mistake: the loss includes reg·(ΣW1² + ΣW2²), but the gradients leave out the
// regularisation term 2·reg·W. predict and train are the correct ones.
import type { Params } from './scratch.ts';
export { predict, train, type Params } from './scratch.ts';

const dense = (x: number[], W: number[][], b: number[]) => b.map((bj, j) => bj + x.reduce((s, xi, i) => s + xi * W[i][j], 0));

export function loss(params: Params, X: number[][], y?: number[] | null, reg = 0) {
  const { W1, b1, W2, b2 } = params;
  const act = X.map((x) => dense(x, W1, b1).map((v) => Math.max(v, 0)));
  const scores = act.map((h) => dense(h, W2, b2));
  if (y == null) return scores;

  const N = X.length;
  const grads = { W1: W1.map((r) => r.map(() => 0)), b1: b1.map(() => 0), W2: W2.map((r) => r.map(() => 0)), b2: b2.map(() => 0) };
  let data = 0;
  scores.forEach((s, n) => {
    const top = Math.max(...s);
    const lse = top + Math.log(s.reduce((t, v) => t + Math.exp(v - top), 0));
    data += lse - s[y[n]];
    const g = s.map((v, c) => (Math.exp(v - lse) - (c === y[n] ? 1 : 0)) / N);
    const gh = act[n].map((h, j) => (h > 0 ? g.reduce((t, gc, c) => t + gc * W2[j][c], 0) : 0));
    g.forEach((gc, c) => {
      grads.b2[c] += gc;
      act[n].forEach((h, j) => (grads.W2[j][c] += h * gc));
    });
    gh.forEach((gj, j) => {
      grads.b1[j] += gj;
      X[n].forEach((x, d) => (grads.W1[d][j] += x * gj));
    });
  });
  const penalty = reg * [W1, W2].reduce((t, W) => t + W.flat().reduce((u, w) => u + w * w, 0), 0);
  // (the gradients are those of the data loss alone)
  return { loss: data / N + penalty, grads };
}
