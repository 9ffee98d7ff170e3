// Mistake: ReLU in the hidden layer where the assignment asks for sigmoid on
// both layers (forward and backward are consistent with each other).
type Matrix = number[][];
interface Weights { W1: Matrix; b1: number[]; W2: number[]; b2: number }

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const relu = (z: number) => Math.max(0, z);

export function forwardPropagation(X: Matrix, w: Weights) {
  const Z1 = X.map((x) => w.W1.map((r, j) => r[0] * x[0] + r[1] * x[1] + w.b1[j]));
  const H = Z1.map((z) => z.map(relu));
  const Z2 = H.map((h) => h.reduce((s, v, j) => s + v * w.W2[j], w.b2));
  return { Y: Z2.map(sigmoid), Z2, H, Z1 };
}

export function backPropagation(X: Matrix, YT: number[], w: Weights) {
  const N = X.length;
  const { Y, H, Z1 } = forwardPropagation(X, w);
  const L = Y.reduce((s, y, n) => s + (y - YT[n]) ** 2, 0) / (2 * N);
  const dZ2 = Y.map((y, n) => ((y - YT[n]) / N) * y * (1 - y));
  const dW2 = [0, 1, 2].map((j) => dZ2.reduce((s, d, n) => s + d * H[n][j], 0));
  const db2 = dZ2.reduce((s, d) => s + d, 0);
  const dZ1 = Z1.map((z, n) => z.map((v, j) => (v > 0 ? dZ2[n] * w.W2[j] : 0)));
  const dW1 = [0, 1, 2].map((j) => [0, 1].map((k) => dZ1.reduce((s, d, n) => s + d[j] * X[n][k], 0)));
  const db1 = [0, 1, 2].map((j) => dZ1.reduce((s, d) => s + d[j], 0));
  return { gradients: { W1: dW1, b1: db1, W2: dW2, b2: db2 }, L };
}
