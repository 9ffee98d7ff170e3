/**
 * Reference for logistic-regression-quiz2: binary logistic regression,
 *   q_i = σ(w·x_i),  L(w) = −(1/n) Σ_i [ y_i log q_i + (1 − y_i) log(1 − q_i) ],
 *   ∇L(w) = (1/n) Σ_i (q_i − y_i) x_i,
 * and gradient descent with a backtracking (Armijo) line search.
 *
 * L is evaluated without overflow: −log σ(z) = softplus(−z) and
 * −log(1 − σ(z)) = softplus(z), with softplus(z) = max(z, 0) + log1p(exp(−|z|)).
 */

const dot = (a: number[], b: number[]) => a.reduce((s, ai, i) => s + ai * b[i], 0);

/** log(1 + e^z) without overflow or loss of precision. */
function softplus(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

/** σ(z) computed so that exp never overflows. */
function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

export function L(w: number[], X: number[][], y: number[]): number {
  let total = 0;
  for (let i = 0; i < X.length; i++) {
    const z = dot(w, X[i]);
    total += y[i] * softplus(-z) + (1 - y[i]) * softplus(z);
  }
  return total / X.length;
}

export function dL(w: number[], X: number[][], y: number[]): number[] {
  const g = new Array<number>(w.length).fill(0);
  for (let i = 0; i < X.length; i++) {
    const r = sigmoid(dot(w, X[i])) - y[i];
    for (let j = 0; j < w.length; j++) g[j] += r * X[i][j];
  }
  return g.map((v) => v / X.length);
}

/**
 * numSteps steps of w ← w − t·∇L(w). Each step starts from t = 1 and
 * multiplies t by beta while the decrease L(w) − L(w − t·g) is smaller than
 * alpha·t·‖g‖² (the Armijo condition). Returns the final w and every iterate.
 */
export function gradientDescent(w0: number[], X: number[][], y: number[], numSteps: number, alpha: number, beta: number): { w: number[]; ws: number[][] } {
  let w = w0.slice();
  const ws: number[][] = [];
  for (let k = 0; k < numSteps; k++) {
    const g = dL(w, X, y);
    const gg = dot(g, g);
    const Lw = L(w, X, y);
    const step = (t: number) => w.map((wj, j) => wj - t * g[j]);
    let t = 1;
    while (Lw - L(step(t), X, y) < alpha * t * gg) t *= beta;
    w = step(t);
    ws.push(w);
  }
  return { w, ws };
}

/**
 * L at the w of a gradientDescent result. The spec derives the final loss
 * through this because `nngrade validate` cannot resolve "$output.w" in derive
 * arguments (it lints them with $output = null); "$output" works.
 */
export function lossAtResult(result: { w: number[] }, X: number[][], y: number[]): number {
  return L(result.w, X, y);
}
