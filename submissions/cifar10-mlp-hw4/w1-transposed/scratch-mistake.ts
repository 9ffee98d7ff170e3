// Mistake: dL/dW1 is computed as Xᵀ·dZ1, which is (2, 3): the transpose of the
// (3, 2) gradient dZ1ᵀ·X shaped like W1 (the values are right).
// forwardPropagation and the other gradients are the correct ones.
import { backPropagation as chainRule } from './scratch.ts';
export { forwardPropagation } from './scratch.ts';

export function backPropagation(...args: Parameters<typeof chainRule>) {
  const { gradients, L } = chainRule(...args);
  const W1 = gradients.W1[0].map((_, k) => gradients.W1.map((row) => row[k])); // X.T @ dZ1
  return { gradients: { ...gradients, W1 }, L };
}
