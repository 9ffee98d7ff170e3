type Mat = number[][];

export function softmaxLoss(x: Mat, y: number[]): [number, Mat] {
  const n = x.length;
  let total = 0;
  const dx: Mat = [];
  for (let i = 0; i < n; i++) {
    const row = x[i];
    let max = -Infinity;
    for (const v of row) max = Math.max(max, v);
    let z = 0;
    for (const v of row) z += Math.exp(v - max);
    const logZ = Math.log(z);
    total += logZ - (row[y[i]] - max);
    dx.push(row.map((v, j) => (Math.exp(v - max - logZ) - (j === y[i] ? 1 : 0)) / n));
  }
  return [total / n, dx];
}
