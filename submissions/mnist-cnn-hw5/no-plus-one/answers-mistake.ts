// Mistake: the output-size formula (W - F + 2P)/S drops the + 1 (it counts the
// strides between windows, not the windows). The other answers are the correct ones.
import { answers as correct } from './answers.ts';

const out = (w: number, f: number, s: number, p: number, d = 1) => Math.floor((w - ((f - 1) * d + 1) + 2 * p) / s);
const twice = out(out(32, 3, 2, 1), 3, 2, 1);

export const answers = {
  ...correct,
  outputSize: [out(16, 2, 2, 1, 4), out(16, 2, 2, 1, 4)] as [number, number],
  outputSize2: [twice, twice] as [number, number],
};
