/**
 * Reference for cs231n-layers: modular layers on plain nested arrays, in float64.
 * Each forward returns [out, cache]; each backward takes (dout, cache).
 */
type Matrix = number[][];

const zerosLike = (a: Matrix): Matrix => a.map((r) => r.map(() => 0));
const colSums = (a: Matrix): number[] => a[0].map((_, j) => a.reduce((s, r) => s + r[j], 0));
const matmul = (a: Matrix, b: Matrix): Matrix => a.map((r) => b[0].map((_, j) => r.reduce((s, v, k) => s + v * b[k][j], 0)));
const transpose = (a: Matrix): Matrix => a[0].map((_, j) => a.map((r) => r[j]));

export function affineForward(x: Matrix, w: Matrix, b: number[]): [Matrix, { x: Matrix; w: Matrix }] {
  const out = matmul(x, w).map((r) => r.map((v, j) => v + b[j]));
  return [out, { x, w }];
}

export function affineBackward(dout: Matrix, cache: { x: Matrix; w: Matrix }): [Matrix, Matrix, number[]] {
  return [matmul(dout, transpose(cache.w)), matmul(transpose(cache.x), dout), colSums(dout)];
}

/** The cache of reluForward is its input (the interface fixes this, so a backward can be given the reference's). */
export function reluForward(x: Matrix): [Matrix, Matrix] {
  return [x.map((r) => r.map((v) => Math.max(0, v))), x];
}

export function reluBackward(dout: Matrix, x: Matrix): Matrix {
  return dout.map((r, i) => r.map((g, j) => (x[i][j] > 0 ? g : 0)));
}

export interface BatchnormParam {
  mode: 'train' | 'test';
  eps?: number;
  momentum?: number;
  runningMean?: number[];
  runningVar?: number[];
}

interface BatchnormCache {
  xhat: Matrix;
  gamma: number[];
  invStd: number[];
}

export function batchnormForward(x: Matrix, gamma: number[], beta: number[], bn: BatchnormParam): [Matrix, BatchnormCache | null] {
  const eps = bn.eps ?? 1e-5;
  const momentum = bn.momentum ?? 0.9;
  const n = x.length;
  const d = x[0].length;
  const runningMean = bn.runningMean ?? new Array(d).fill(0);
  const runningVar = bn.runningVar ?? new Array(d).fill(0);
  if (bn.mode === 'test') {
    const out = x.map((r) => r.map((v, j) => (gamma[j] * (v - runningMean[j])) / Math.sqrt(runningVar[j] + eps) + beta[j]));
    return [out, null];
  }
  const mean = colSums(x).map((s) => s / n);
  const variance = colSums(x.map((r) => r.map((v, j) => (v - mean[j]) ** 2))).map((s) => s / n);
  const invStd = variance.map((v) => 1 / Math.sqrt(v + eps));
  const xhat = x.map((r) => r.map((v, j) => (v - mean[j]) * invStd[j]));
  const out = xhat.map((r) => r.map((v, j) => gamma[j] * v + beta[j]));
  bn.runningMean = runningMean.map((m, j) => momentum * m + (1 - momentum) * mean[j]);
  bn.runningVar = runningVar.map((v, j) => momentum * v + (1 - momentum) * variance[j]);
  return [out, { xhat, gamma, invStd }];
}

export function batchnormBackward(dout: Matrix, cache: BatchnormCache): [Matrix, number[], number[]] {
  const { xhat, gamma, invStd } = cache;
  const n = dout.length;
  const dbeta = colSums(dout);
  const dgamma = colSums(dout.map((r, i) => r.map((g, j) => g * xhat[i][j])));
  // dx = (γ / (N σ)) (N dout − Σ dout − x̂ Σ dout·x̂)
  const dx = dout.map((r, i) => r.map((g, j) => ((gamma[j] * invStd[j]) / n) * (n * g - dbeta[j] - xhat[i][j] * dgamma[j])));
  return [dx, dgamma, dbeta];
}

export interface DropoutParam {
  p: number;
  mode: 'train' | 'test';
}

export function dropoutForward(x: Matrix, param: DropoutParam): [Matrix, Matrix | null] {
  if (param.mode === 'test') return [x.map((r) => [...r]), null];
  const mask = x.map((r) => r.map(() => (Math.random() < param.p ? 1 / param.p : 0)));
  return [x.map((r, i) => r.map((v, j) => v * mask[i][j])), mask];
}

export function dropoutBackward(dout: Matrix, mask: Matrix | null): Matrix {
  return mask ? dout.map((r, i) => r.map((g, j) => g * mask[i][j])) : dout.map((r) => [...r]);
}

export function softmaxLoss(x: Matrix, y: number[]): [number, Matrix] {
  const n = x.length;
  let loss = 0;
  const dx = zerosLike(x);
  x.forEach((r, i) => {
    const m = Math.max(...r);
    const e = r.map((v) => Math.exp(v - m));
    const z = e.reduce((s, v) => s + v, 0);
    loss -= r[y[i]] - m - Math.log(z);
    e.forEach((v, j) => (dx[i][j] = (v / z - (j === y[i] ? 1 : 0)) / n));
  });
  return [loss / n, dx];
}
