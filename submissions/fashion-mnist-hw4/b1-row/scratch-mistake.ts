// Mistake: every gradient right, but db1 is kept as a (1, 3) row (a sum with
// keepdims), where the assignment asks for b1's own shape (3,).
type Matrix = number[][];
interface Weights { W1: Matrix; b1: number[]; W2: number[]; b2: number }

const sig = (z: number) => 1 / (1 + Math.exp(-z));

export function forwardPropagation(X: Matrix, w: Weights) {
  const Z1: Matrix = [], H: Matrix = [], Z2: number[] = [], Y: number[] = [];
  for (const x of X) {
    const z1 = w.W1.map((row, j) => row[0] * x[0] + row[1] * x[1] + w.b1[j]);
    const h = z1.map(sig);
    const z2 = h[0] * w.W2[0] + h[1] * w.W2[1] + h[2] * w.W2[2] + w.b2;
    Z1.push(z1); H.push(h); Z2.push(z2); Y.push(sig(z2));
  }
  return { Y, Z2, H, Z1 };
}

export function backPropagation(X: Matrix, YT: number[], w: Weights) {
  const N = X.length;
  const { Y, H } = forwardPropagation(X, w);
  let L = 0;
  const dW1 = [[0, 0], [0, 0], [0, 0]], db1 = [[0, 0, 0]], dW2 = [0, 0, 0];
  let db2 = 0;
  for (let n = 0; n < N; n++) {
    L += (Y[n] - YT[n]) ** 2 / (2 * N);
    const d2 = ((Y[n] - YT[n]) / N) * Y[n] * (1 - Y[n]);
    db2 += d2;
    for (let j = 0; j < 3; j++) {
      dW2[j] += d2 * H[n][j];
      const d1 = d2 * w.W2[j] * H[n][j] * (1 - H[n][j]);
      db1[0][j] += d1;
      dW1[j][0] += d1 * X[n][0];
      dW1[j][1] += d1 * X[n][1];
    }
  }
  return { gradients: { W1: dW1, b1: db1, W2: dW2, b2: db2 }, L };
}
