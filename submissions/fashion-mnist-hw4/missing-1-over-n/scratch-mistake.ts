// Mistake: the loss has its 1/(2N), but dL/dY forgets the 1/N, so every
// gradient is N times too large.
type Matrix = number[][];
interface Weights { W1: Matrix; b1: number[]; W2: number[]; b2: number }

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function forwardPropagation(X: Matrix, w: Weights) {
  const Z1 = X.map((x) => w.W1.map((r, j) => r[0] * x[0] + r[1] * x[1] + w.b1[j]));
  const H = Z1.map((z) => z.map(sigmoid));
  const Z2 = H.map((h) => h.reduce((s, v, j) => s + v * w.W2[j], w.b2));
  return { Y: Z2.map(sigmoid), Z2, H, Z1 };
}

export function backPropagation(X: Matrix, YT: number[], w: Weights) {
  const N = X.length;
  const { Y, H } = forwardPropagation(X, w);
  const L = Y.reduce((s, y, n) => s + (y - YT[n]) ** 2, 0) / (2 * N);
  const dY = Y.map((y, n) => y - YT[n]); // should be divided by N
  const dZ2 = dY.map((d, n) => d * Y[n] * (1 - Y[n]));
  const dW2 = [0, 1, 2].map((j) => dZ2.reduce((s, d, n) => s + d * H[n][j], 0));
  const db2 = dZ2.reduce((s, d) => s + d, 0);
  const dZ1 = H.map((h, n) => h.map((v, j) => dZ2[n] * w.W2[j] * v * (1 - v)));
  const dW1 = [0, 1, 2].map((j) => [0, 1].map((k) => dZ1.reduce((s, d, n) => s + d[j] * X[n][k], 0)));
  const db1 = [0, 1, 2].map((j) => dZ1.reduce((s, d) => s + d[j], 0));
  return { gradients: { W1: dW1, b1: db1, W2: dW2, b2: db2 }, L };
}
