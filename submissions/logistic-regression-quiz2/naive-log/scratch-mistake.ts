// Mistake: log(1 + e^t) is computed literally, so e^t overflows to Infinity for
// t above ~709 and the loss becomes Infinity (or NaN = 0 * Infinity).
// dL and gradientDescent are the correct ones.
export { dL, gradientDescent } from './scratch.ts';

export function L(w: number[], X: number[][], y: number[]): number {
  let sum = 0;
  X.forEach((x, i) => {
    const t = x.reduce((s, xj, j) => s + xj * w[j], 0);
    // -log σ(t) = log(1 + e^-t),  -log(1 - σ(t)) = log(1 + e^t)
    sum += y[i] * Math.log(1 + Math.exp(-t)) + (1 - y[i]) * Math.log(1 + Math.exp(t));
  });
  return sum / y.length;
}
