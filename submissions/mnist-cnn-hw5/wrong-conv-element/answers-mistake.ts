// Mistake: the convolution was worked by hand and one window has an arithmetic
// slip: in the last window of the third row the centre pixel X[3][4] = 6 was read
// as 4 (8·4 instead of 8·6), giving 11 instead of 27. The other answers are the correct ones.
import { answers as correct } from './answers.ts';

export const answers = {
  ...correct,
  convOutput: [
    [68, 23, 30, -24],
    [-54, -19, 0, 6],
    [38, 8, -17, 11],
    [20, -47, -19, -13],
  ],
};
