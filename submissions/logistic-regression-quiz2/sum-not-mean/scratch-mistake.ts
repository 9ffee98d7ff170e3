// Mistake: the gradient sums over the examples instead of averaging, so it is n
// times the gradient of the (mean) loss L. L and gradientDescent are the correct
// ones (gradientDescent steps with the correct dL).
export { L, gradientDescent } from './scratch.ts';

export function dL(w: number[], X: number[][], y: number[]): number[] {
  const grad = w.map(() => 0);
  X.forEach((x, i) => {
    const r = 1 / (1 + Math.exp(-x.reduce((s, xj, j) => s + xj * w[j], 0))) - y[i];
    x.forEach((xj, j) => (grad[j] += r * xj)); // summed, never divided by n
  });
  return grad;
}
