/**
 * The from-scratch 2-3-1 network that fashion-mnist-hw4 and cifar10-mlp-hw4 both start with:
 * sigmoid on the hidden and the output layer, L = 1/(2N) Σ_n (y_n − t_n)², forward and backward
 * by hand. Shapes: X (N, 2), W1 (3, 2), b1 (3), W2 (3), b2 a number; Z1 = X W1ᵀ + b1.
 */
export interface Weights {
  W1: number[][];
  b1: number[];
  W2: number[];
  b2: number;
}

export interface Forward {
  Y: number[];
  Z2: number[];
  H: number[][];
  Z1: number[][];
}

export interface Backward {
  gradients: { W1: number[][]; b1: number[]; W2: number[]; b2: number };
  L: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Σ a in NumPy's order (np.sum's pairwise summation: blocks of at most 128
 * summed with 8 accumulators), so that L reproduces the homework's printed
 * 0.1332476222330792 to the last bit rather than to within one ulp.
 */
function pairwiseSum(a: number[], lo = 0, n = a.length): number {
  if (n < 8) {
    let s = 0;
    for (let i = lo; i < lo + n; i++) s += a[i];
    return s;
  }
  if (n <= 128) {
    const r = a.slice(lo, lo + 8);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += a[lo + i + j];
    let s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) s += a[lo + i];
    return s;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwiseSum(a, lo, half) + pairwiseSum(a, lo + half, n - half);
}

export function forwardPropagation(X: number[][], weights: Weights): Forward {
  const { W1, b1, W2, b2 } = weights;
  const Z1 = X.map((x) => W1.map((row, j) => row.reduce((s, w, k) => s + w * x[k], b1[j])));
  const H = Z1.map((z) => z.map(sigmoid));
  const Z2 = H.map((h) => h.reduce((s, hj, j) => s + hj * W2[j], b2));
  const Y = Z2.map(sigmoid);
  return { Y, Z2, H, Z1 };
}

export function backPropagation(X: number[][], YT: number[], weights: Weights): Backward {
  const N = X.length;
  const { W1, W2 } = weights;
  const { Y, H } = forwardPropagation(X, weights);
  const L = pairwiseSum(Y.map((y, n) => (y - YT[n]) ** 2)) / (2 * N);

  const gW1 = W1.map((row) => row.map(() => 0));
  const gb1 = W1.map(() => 0);
  const gW2 = W2.map(() => 0);
  let gb2 = 0;
  for (let n = 0; n < N; n++) {
    // dL/dZ2 for example n: (y − t)/N · σ'(Z2) with σ' = y(1 − y)
    const d2 = ((Y[n] - YT[n]) / N) * Y[n] * (1 - Y[n]);
    gb2 += d2;
    for (let j = 0; j < W2.length; j++) {
      const h = H[n][j];
      gW2[j] += d2 * h;
      const d1 = d2 * W2[j] * h * (1 - h);
      gb1[j] += d1;
      for (let k = 0; k < X[n].length; k++) gW1[j][k] += d1 * X[n][k];
    }
  }
  return { gradients: { W1: gW1, b1: gb1, W2: gW2, b2: gb2 }, L };
}
