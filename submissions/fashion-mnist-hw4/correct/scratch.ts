// A correct hand-in: small matrix helpers, then the forward and backward pass.
type Matrix = number[][];

interface Weights { W1: Matrix; b1: number[]; W2: number[]; b2: number }

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

function matmulT(A: Matrix, B: Matrix): Matrix {
  // A (n, k) times B transposed, B (m, k) -> (n, m)
  return A.map((a) => B.map((b) => a.reduce((s, ai, i) => s + ai * b[i], 0)));
}

export function forwardPropagation(X: Matrix, weights: Weights) {
  const Z1 = matmulT(X, weights.W1).map((row) => row.map((z, j) => z + weights.b1[j]));
  const H = Z1.map((row) => row.map(sigmoid));
  const Z2 = H.map((h) => h.reduce((s, hj, j) => s + hj * weights.W2[j], weights.b2));
  const Y = Z2.map(sigmoid);
  return { Y, Z2, H, Z1 };
}

export function backPropagation(X: Matrix, YT: number[], weights: Weights) {
  const N = X.length;
  const { Y, H } = forwardPropagation(X, weights);
  const L = Y.reduce((s, y, n) => s + (y - YT[n]) ** 2, 0) / (2 * N);

  const dZ2 = Y.map((y, n) => ((y - YT[n]) / N) * y * (1 - y));
  const dW2 = weights.W2.map((_, j) => dZ2.reduce((s, d, n) => s + d * H[n][j], 0));
  const db2 = dZ2.reduce((s, d) => s + d, 0);
  const dZ1 = H.map((h, n) => h.map((hj, j) => dZ2[n] * weights.W2[j] * hj * (1 - hj)));
  // dW1[j][k] = sum_n dZ1[n][j] * X[n][k], shaped like W1 (3, 2)
  const dW1 = weights.W1.map((row, j) => row.map((_, k) => dZ1.reduce((s, d, n) => s + d[j] * X[n][k], 0)));
  const db1 = weights.b1.map((_, j) => dZ1.reduce((s, d) => s + d[j], 0));
  return { gradients: { W1: dW1, b1: db1, W2: dW2, b2: db2 }, L };
}
