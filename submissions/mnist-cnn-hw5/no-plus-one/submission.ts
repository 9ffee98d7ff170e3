// Mistake: the output-size formula (W - F + 2P)/S drops the + 1 (it counts the
// strides between windows, not the windows).
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

const out = (w: number, f: number, s: number, p: number, d = 1) => Math.floor((w - ((f - 1) * d + 1) + 2 * p) / s);

export const answers = {
  convOutput: Y,
  outputSize: [out(16, 2, 2, 1, 4), out(16, 2, 2, 1, 4)] as [number, number],
  outputSize2: [out(out(32, 3, 2, 1), 3, 2, 1), out(out(32, 3, 2, 1), 3, 2, 1)] as [number, number],
  // conv3 unit <- 3 units of conv2 <- 3 + (3 - 1) = 5 units of conv1
  receptiveField: 5,
};

// The Keras part is the correct one.
export * from '../correct/models.ts';
