// Mistake: the hidden layer uses ReLU where the assignment asks for a sigmoid.
// Forward and backward are consistent with each other, so both passes carry it.
type Mat = number[][];
interface Weights { W1: Mat; b1: number[]; W2: number[]; b2: number }

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function forwardPropagation(X: Mat, weights: Weights) {
  const { W1, b1, W2, b2 } = weights;
  const Z1: Mat = [], H: Mat = [], Z2: number[] = [], Y: number[] = [];
  for (const x of X) {
    const z1 = W1.map((row, j) => b1[j] + row.reduce((s, wjk, k) => s + wjk * x[k], 0));
    const h = z1.map((z) => Math.max(0, z)); // ReLU
    const z2 = h.reduce((s, hj, j) => s + hj * W2[j], b2);
    Z1.push(z1); H.push(h); Z2.push(z2); Y.push(sigmoid(z2));
  }
  return { Y, Z2, H, Z1 };
}

export function backPropagation(X: Mat, Y_T: number[], weights: Weights) {
  const N = X.length;
  const { Y, H, Z1 } = forwardPropagation(X, weights);
  const g = { W1: weights.W1.map((r) => r.map(() => 0)), b1: weights.b1.map(() => 0), W2: weights.W2.map(() => 0), b2: 0 };
  let L = 0;
  Y.forEach((y, n) => {
    L += (y - Y_T[n]) ** 2 / (2 * N);
    const dz2 = ((y - Y_T[n]) / N) * y * (1 - y);
    g.b2 += dz2;
    H[n].forEach((h, j) => {
      g.W2[j] += dz2 * h;
      const dz1 = Z1[n][j] > 0 ? dz2 * weights.W2[j] : 0; // ReLU'
      g.b1[j] += dz1;
      X[n].forEach((x, k) => (g.W1[j][k] += dz1 * x));
    });
  });
  return { gradients: g, L };
}
