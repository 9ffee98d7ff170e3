type Mat = number[][];

function zeros(rows: number, cols: number): Mat {
  const m: Mat = [];
  for (let i = 0; i < rows; i++) m.push(new Array(cols).fill(0));
  return m;
}

export function affineForward(x: Mat, w: Mat, b: number[]): [Mat, { x: Mat; w: Mat }] {
  const n = x.length, d = w.length, m = b.length;
  const out = zeros(n, m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = b[j];
      for (let k = 0; k < d; k++) s += x[i][k] * w[k][j];
      out[i][j] = s;
    }
  }
  return [out, { x, w }];
}

export function affineBackward(dout: Mat, cache: { x: Mat; w: Mat }): [Mat, Mat, number[]] {
  const { x, w } = cache;
  const n = x.length, d = w.length, m = w[0].length;
  const dx = zeros(n, d);
  const dw = zeros(d, m);
  const db = new Array(m).fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const g = dout[i][j];
      db[j] += g;
      for (let k = 0; k < d; k++) {
        dx[i][k] += g * w[k][j];
        dw[k][j] += x[i][k] * g;
      }
    }
  }
  return [dx, dw, db];
}
