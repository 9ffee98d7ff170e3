type Mat = number[][];

export function dropoutForward(x: Mat, param: { p: number; mode: 'train' | 'test' }): [Mat, Mat | undefined] {
  if (param.mode !== 'train') return [x.map((r) => r.slice()), undefined];
  const mask = x.map((r) => r.map(() => (Math.random() < param.p ? 1 : 0) / param.p));
  const out = x.map((r, i) => r.map((v, j) => v * mask[i][j]));
  return [out, mask];
}

export function dropoutBackward(dout: Mat, mask: Mat | undefined): Mat {
  if (!mask) return dout.map((r) => r.slice());
  return dout.map((r, i) => r.map((g, j) => g * mask[i][j]));
}
