// Mistake: the backward pass through the hidden layer forgets the ReLU: the
// gradient is not zeroed where the hidden pre-activation was negative.
// predict and train are the correct ones.
import type { Params } from './scratch.ts';
export { predict, train, type Params } from './scratch.ts';

export function loss(params: Params, X: number[][], y?: number[] | null, reg = 0) {
  const { W1, b1, W2, b2 } = params;
  const N = X.length, H = b1.length;
  const hs: number[][] = [], scores: number[][] = [];
  for (const x of X) {
    const h = b1.map((b, j) => Math.max(0, x.reduce((s, v, d) => s + v * W1[d][j], b)));
    hs.push(h);
    scores.push(b2.map((b, c) => h.reduce((s, v, j) => s + v * W2[j][c], b)));
  }
  if (y == null) return scores;

  const gW1 = W1.map((row) => row.map((w) => 2 * reg * w));
  const gW2 = W2.map((row) => row.map((w) => 2 * reg * w));
  const gb1: number[] = new Array(H).fill(0), gb2: number[] = b2.map(() => 0);
  let L = reg * [W1, W2].reduce((s, W) => s + W.flat().reduce((t, w) => t + w * w, 0), 0);
  for (let n = 0; n < N; n++) {
    const m = Math.max(...scores[n]);
    const e = scores[n].map((s) => Math.exp(s - m));
    const Z = e.reduce((a, b) => a + b, 0);
    L -= Math.log(e[y[n]] / Z) / N;
    const ds = e.map((v, c) => (v / Z - (c === y[n] ? 1 : 0)) / N);
    ds.forEach((d, c) => (gb2[c] += d));
    for (let j = 0; j < H; j++) {
      ds.forEach((d, c) => (gW2[j][c] += hs[n][j] * d));
      const dh = ds.reduce((s, d, c) => s + d * W2[j][c], 0); // straight on to W1, b1
      gb1[j] += dh;
      X[n].forEach((v, d) => (gW1[d][j] += v * dh));
    }
  }
  return { loss: L, grads: { W1: gW1, b1: gb1, W2: gW2, b2: gb2 } };
}
