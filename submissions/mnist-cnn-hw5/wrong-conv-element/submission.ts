// Mistake: the convolution was worked by hand and one window has an arithmetic
// slip (row 3, column 4); everything else is right.
const X = [
  [1, 0, -2, 3, 4, 1],
  [2, 9, 5, 6, 0, -1],
  [0, -3, 1, 3, 4, 4],
  [6, 5, 2, 0, 6, 8],
  [-5, 4, -3, 1, 3, -2],
  [4, 1, 2, 8, 9, 7],
];
const F = [
  [-1, -1, -1],
  [-1, 8, -1],
  [-1, -1, -1],
];

const Y: number[][] = [];
for (let i = 0; i + 3 <= 6; i++) {
  const row: number[] = [];
  for (let j = 0; j + 3 <= 6; j++) {
    let s = 0;
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) s += X[i + a][j + b] * F[a][b];
    row.push(s);
  }
  Y.push(row);
}
// copied from my worked solution, where one window has a slip: in the last window
// of the third row the centre pixel X[3][4] = 6 was read as 4 (8·4 instead of 8·6)
Y[2][3] -= 16;

const out = (w: number, f: number, s: number, p: number, d = 1) => Math.floor((w - ((f - 1) * d + 1) + 2 * p) / s) + 1;

export const answers = {
  convOutput: Y,
  outputSize: [out(16, 2, 2, 1, 4), out(16, 2, 2, 1, 4)] as [number, number],
  outputSize2: [out(out(32, 3, 2, 1), 3, 2, 1), out(out(32, 3, 2, 1), 3, 2, 1)] as [number, number],
  // conv3 unit <- 3 units of conv2 <- 3 + (3 - 1) = 5 units of conv1
  receptiveField: 5,
};

// The Keras part is the correct one.
export * from '../correct/models.ts';
