// Mistake: no backtracking line search: every step uses t = 1, which can
// overshoot and increase the loss. L and dL are the correct ones.
import { dL } from './scratch.ts';
export { L, dL } from './scratch.ts';

export function gradientDescent(w0: number[], X: number[][], y: number[], numSteps = 200) {
  const ws: number[][] = [];
  let w = [...w0];
  for (let k = 0; k < numSteps; k++) {
    const g = dL(w, X, y);
    // step size 1 always works on the examples I tried, so no search is needed
    w = w.map((v, j) => v - g[j]);
    ws.push(w);
  }
  return { w, ws };
}
