// Mistake: every gradient value is right, but dL/db1 is returned as a 1×3 row
// [[...]] (np.sum(dZ1, axis=0, keepdims=True)) instead of a vector of length 3
// shaped like b1. forwardPropagation and the other gradients are the correct ones.
import { backPropagation as chainRule } from './scratch.ts';
export { forwardPropagation } from './scratch.ts';

export function backPropagation(...args: Parameters<typeof chainRule>) {
  const { gradients, L } = chainRule(...args);
  return { gradients: { ...gradients, b1: [gradients.b1] }, L };
}
