// Mistake: no backtracking line search: every step uses t = 1, which can
// overshoot and increase the loss.

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

// log(1 + e^t), written so that e^t is never taken for a large positive t
function log1pExp(t: number): number {
  return t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
}

export function L(w: number[], X: number[][], y: number[]): number {
  const n = y.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const t = dot(w, X[i]);
    // -log(sigma(t)) = log(1 + e^-t),  -log(1 - sigma(t)) = log(1 + e^t)
    sum += y[i] * log1pExp(-t) + (1 - y[i]) * log1pExp(t);
  }
  return sum / n;
}

const sigma = (t: number) => 1 / (1 + Math.exp(-t));

export function dL(w: number[], X: number[][], y: number[]): number[] {
  const n = y.length;
  const grad = w.map(() => 0);
  for (let i = 0; i < n; i++) {
    const r = sigma(dot(w, X[i])) - y[i];
    X[i].forEach((x, j) => (grad[j] += (r * x) / n));
  }
  return grad;
}

export function gradientDescent(w0: number[], X: number[][], y: number[], numSteps = 200, alpha = 0.01, beta = 0.5) {
  const ws: number[][] = [];
  let w = [...w0];
  for (let k = 0; k < numSteps; k++) {
    const g = dL(w, X, y);
    const g2 = dot(g, g);
    const current = L(w, X, y);
    // step size 1 always works on the examples I tried, so no search is needed
    const t = 1;
    void current; void g2;
    w = w.map((v, j) => v - t * g[j]);
    ws.push(w);
  }
  return { w, ws };
}
