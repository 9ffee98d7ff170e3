type Mat = number[][];

export function reluForward(x: Mat): [Mat, Mat] {
  const out = x.map((row) => row.map((v) => (v > 0 ? v : 0)));
  return [out, x];
}

export function reluBackward(dout: Mat, x: Mat): Mat {
  return dout.map((row, i) => row.map((g, j) => (x[i][j] > 0 ? g : 0)));
}
