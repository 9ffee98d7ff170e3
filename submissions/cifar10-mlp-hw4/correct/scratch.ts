// A correct hand-in, written the way the NumPy version reads: small array
// helpers, the forward pass, then the chain rule layer by layer.
type Mat = number[][];
type Vec = number[];

interface Weights { W1: Mat; b1: Vec; W2: Vec; b2: number }

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const sigmoidPrime = (z: number) => sigmoid(z) * (1 - sigmoid(z));
const T = (A: Mat): Mat => A[0].map((_, j) => A.map((r) => r[j]));
const dotMM = (A: Mat, B: Mat): Mat => A.map((r) => B[0].map((_, j) => r.reduce((s, a, k) => s + a * B[k][j], 0)));
const dotMV = (A: Mat, v: Vec): Vec => A.map((r) => r.reduce((s, a, k) => s + a * v[k], 0));
const sumRows = (A: Mat): Vec => A[0].map((_, j) => A.reduce((s, r) => s + r[j], 0));

export function forwardPropagation(X: Mat, weights: Weights) {
  // Z1 -> hidden pre-activation, H -> hidden activation, Z2 -> output pre-activation, Y -> output
  const Z1 = dotMM(X, T(weights.W1)).map((r) => r.map((v, j) => v + weights.b1[j]));
  const H = Z1.map((r) => r.map(sigmoid));
  const Z2 = dotMV(H, weights.W2).map((v) => v + weights.b2);
  const Y = Z2.map(sigmoid);
  return { Y, Z2, H, Z1 };
}

export function backPropagation(X: Mat, Y_T: Vec, weights: Weights) {
  const N = X.length;
  const { Y, Z2, H, Z1 } = forwardPropagation(X, weights);
  const L = Y.reduce((s, y, i) => s + (y - Y_T[i]) ** 2, 0) / (2 * N);

  const dLdY = Y.map((y, i) => (y - Y_T[i]) / N);
  const dLdZ2 = dLdY.map((d, i) => d * sigmoidPrime(Z2[i]));
  const dLdW2 = dotMV(T(H), dLdZ2);
  const dLdb2 = dLdZ2.reduce((s, d) => s + d, 0);
  const dLdH = dLdZ2.map((d) => weights.W2.map((w) => d * w));
  const dLdZ1 = dLdH.map((r, i) => r.map((d, j) => d * sigmoidPrime(Z1[i][j])));
  const dLdW1 = dotMM(T(dLdZ1), X); // (3, N) x (N, 2): shaped like W1
  const dLdb1 = sumRows(dLdZ1);

  return { gradients: { W1: dLdW1, b1: dLdb1, W2: dLdW2, b2: dLdb2 }, L };
}
