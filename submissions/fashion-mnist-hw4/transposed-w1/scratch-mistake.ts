// Mistake (as in a real hand-in): dL/dW1 computed as Xᵀ·dZ1, which is (2, 3),
// the transpose of W1's (3, 2) shape.
type Matrix = number[][];
interface Weights { W1: Matrix; b1: number[]; W2: number[]; b2: number }

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const transpose = (A: Matrix): Matrix => A[0].map((_, j) => A.map((row) => row[j]));
const matmul = (A: Matrix, B: Matrix): Matrix => A.map((a) => B[0].map((_, j) => a.reduce((s, aik, k) => s + aik * B[k][j], 0)));

export function forwardPropagation(X: Matrix, w: Weights) {
  const Z1 = matmul(X, transpose(w.W1)).map((r) => r.map((z, j) => z + w.b1[j]));
  const H = Z1.map((r) => r.map(sigmoid));
  const Z2 = H.map((h) => h.reduce((s, x, j) => s + x * w.W2[j], 0) + w.b2);
  return { Y: Z2.map(sigmoid), Z2, H, Z1 };
}

export function backPropagation(X: Matrix, YT: number[], w: Weights) {
  const N = X.length;
  const { Y, H } = forwardPropagation(X, w);
  const L = Y.reduce((s, y, i) => s + (y - YT[i]) ** 2, 0) / (2 * N);
  const dZ2 = Y.map((y, i) => ((y - YT[i]) / N) * y * (1 - y));
  const dW2 = w.W2.map((_, j) => dZ2.reduce((s, d, i) => s + d * H[i][j], 0));
  const db2 = [dZ2.reduce((s, d) => s + d, 0)];
  const dZ1 = H.map((h, i) => h.map((x, j) => dZ2[i] * w.W2[j] * x * (1 - x)));
  const dW1 = matmul(transpose(X), dZ1); // (2, 3)
  const db1 = dZ1.reduce((acc, r) => acc.map((a, j) => a + r[j]), [0, 0, 0]);
  return { gradients: { W1: dW1, b1: db1, W2: dW2, b2: db2 }, L };
}
