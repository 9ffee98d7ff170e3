type Mat = number[][];

interface BnParam {
  mode: 'train' | 'test';
  eps?: number;
  momentum?: number;
  runningMean?: number[];
  runningVar?: number[];
}

interface Cache {
  xc: Mat; // x minus the batch mean
  std: number[];
  gamma: number[];
}

export function batchnormForward(x: Mat, gamma: number[], beta: number[], p: BnParam): [Mat, Cache | undefined] {
  const n = x.length, d = x[0].length;
  const eps = p.eps ?? 1e-5;
  const mom = p.momentum ?? 0.9;
  p.runningMean ??= new Array(d).fill(0);
  p.runningVar ??= new Array(d).fill(0);
  const out: Mat = x.map((r) => r.slice());
  if (p.mode === 'test') {
    for (let j = 0; j < d; j++) {
      const s = Math.sqrt(p.runningVar[j] + eps);
      for (let i = 0; i < n; i++) out[i][j] = gamma[j] * ((x[i][j] - p.runningMean[j]) / s) + beta[j];
    }
    return [out, undefined];
  }
  const xc: Mat = x.map((r) => r.slice());
  const std: number[] = [];
  for (let j = 0; j < d; j++) {
    let mu = 0;
    for (let i = 0; i < n; i++) mu += x[i][j];
    mu /= n;
    let v = 0;
    for (let i = 0; i < n; i++) {
      xc[i][j] = x[i][j] - mu;
      v += xc[i][j] * xc[i][j];
    }
    v /= n;
    std.push(Math.sqrt(v + eps));
    for (let i = 0; i < n; i++) out[i][j] = gamma[j] * (xc[i][j] / std[j]) + beta[j];
    // In place, as the interface asks.
    p.runningMean[j] = mom * p.runningMean[j] + (1 - mom) * mu;
    p.runningVar[j] = mom * p.runningVar[j] + (1 - mom) * v;
  }
  return [out, { xc, std, gamma }];
}

export function batchnormBackward(dout: Mat, cache: Cache): [Mat, number[], number[]] {
  const { xc, std, gamma } = cache;
  const n = dout.length, d = dout[0].length;
  const dx: Mat = dout.map((r) => r.map(() => 0));
  const dgamma = new Array(d).fill(0);
  const dbeta = new Array(d).fill(0);
  for (let j = 0; j < d; j++) {
    // Through x̂ = xc / std: dx̂, then the variance and the mean paths.
    let sumDxhat = 0, sumDxhatXc = 0;
    for (let i = 0; i < n; i++) {
      const xhat = xc[i][j] / std[j];
      dbeta[j] += dout[i][j];
      dgamma[j] += dout[i][j] * xhat;
      const dxhat = dout[i][j] * gamma[j];
      sumDxhat += dxhat;
      sumDxhatXc += dxhat * xc[i][j];
    }
    const dvar = -0.5 * sumDxhatXc / (std[j] ** 3);
    const dmu = -sumDxhat / std[j];
    for (let i = 0; i < n; i++) dx[i][j] = (dout[i][j] * gamma[j]) / std[j] + (dvar * 2 * xc[i][j]) / n + dmu / n;
  }
  return [dx, dgamma, dbeta];
}
