// Named outputs for array returns (`returns: ["loss", "dx"]`): messages name "dx", not "1"; a gradient
// check reads `loss` and `grads` by those names; a return of the wrong shape is said plainly.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAssignment } from '../grader/spec/load.ts';
import { gradeSubmission, prepareAssignment } from '../grader/grade.ts';
import { detectIsolation } from '../grader/sandbox/isolation.ts';

const SOFTMAX_LOSS = (factor: string, ret = '[loss, dx]') => `export function softmaxLoss(x: number[][], y: number[]): [number, number[][]] {
  const N = x.length;
  let loss = 0;
  const dx = x.map((row, i) => {
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    loss -= Math.log(e[y[i]] / s) / N;
    return e.map((v, j) => (${factor} * (v / s - (j === y[i] ? 1 : 0))) / N);
  });
  return ${ret} as never;
}
`;

function assignment(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nngrade-returns-'));
  mkdirSync(path.join(dir, 'ref'));
  writeFileSync(path.join(dir, 'ref', 'index.ts'), SOFTMAX_LOSS('1'));
  writeFileSync(path.join(dir, 'assignment.json'), JSON.stringify({
    id: 'softmax-loss', title: 'Softmax loss', version: '1.0.0', points: 4,
    submission: { entry: 'submission.ts', exports: ['softmaxLoss'] },
    reference: { entry: 'ref/index.ts' },
    fixtures: { d: { kind: 'numpy', seed: 1, draws: ['x = randn(5, 4)', 'y = randint(0, 4, 5)'] } },
    parts: [
      { id: 'loss', title: 'softmaxLoss(x, y) returns the loss and dx', kind: 'function', visibility: 'visible', points: 2, call: 'softmaxLoss', returns: ['loss', 'dx'], cases: [{ args: ['$d.x', '$d.y'] }], compare: { rtol: 1e-9, atol: 1e-12 } },
      { id: 'check', title: 'dx agrees with central differences', kind: 'gradcheck', visibility: 'visible', points: 2, call: 'softmaxLoss', returns: ['loss', 'dx'], args: ['$d.x', '$d.y'], wrt: { arg: 0 }, loss: 'loss', grads: 'dx', maxRelError: 1e-6 },
    ],
  }));
  return dir;
}

async function grade(spec: string, source: string) {
  const sub = mkdtempSync(path.join(os.tmpdir(), 'nngrade-returns-sub-'));
  writeFileSync(path.join(sub, 'submission.ts'), source);
  const prep = await prepareAssignment(loadAssignment(spec));
  return gradeSubmission(prep, sub, { all: true, isolation: detectIsolation() });
}

describe('returns: named values of an array return', () => {
  const spec = assignment();
  it('the reference gets full marks, graded by name', async () => {
    const r = await grade(spec, SOFTMAX_LOSS('1'));
    expect(r.parts.map((p) => [p.id, p.score])).toEqual([['loss', 2], ['check', 2]]);
    expect(r.parts[0].checks.map((c) => c.name).sort()).toEqual(['dx', 'loss']);
  });
  it('a wrong dx is named "dx" in the messages and fails the gradient check', async () => {
    const r = await grade(spec, SOFTMAX_LOSS('2'));
    expect(r.parts[0].messages.join('\n')).toMatch(/^dx: 20 of 20 elements differ/m);
    expect(r.parts[0].checks.find((c) => c.name === 'loss')!.passed).toBe(true);
    expect(r.parts[1].score).toBeLessThan(2);
  });
  it('a return that is not an array of two values says what was expected', async () => {
    const r = await grade(spec, SOFTMAX_LOSS('1', '{ loss, dx }'));
    expect(r.parts[0].score).toBe(0);
    expect(r.parts[0].messages[0]).toContain('should return an array of 2 values [loss, dx], but returned');
  });
});

describe('checkArgs: an argument updated in place', () => {
  const REF = 'export function bnUpdate(stats: { mean: number[] }, x: number[][], momentum: number) {\n  const m = x[0].map((_, j) => x.reduce((s, r) => s + r[j], 0) / x.length);\n  stats.mean = stats.mean.map((v, j) => momentum * v + (1 - momentum) * m[j]);\n  return m;\n}\n';
  let spec: string;
  beforeAll(() => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nngrade-checkargs-'));
    mkdirSync(path.join(dir, 'ref'));
    writeFileSync(path.join(dir, 'ref', 'index.ts'), REF);
    writeFileSync(path.join(dir, 'assignment.json'), JSON.stringify({
      id: 'running-mean', title: 'Running mean', version: '1.0.0', points: 2,
      submission: { entry: 'submission.ts', exports: ['bnUpdate'] },
      reference: { entry: 'ref/index.ts' },
      fixtures: { d: { kind: 'numpy', seed: 2, draws: ['x = randn(8, 3)', 'mean = zeros(3)'] } },
      parts: [{ id: 'update', title: 'bnUpdate updates stats.mean in place', kind: 'function', visibility: 'visible', points: 2, call: 'bnUpdate', checkArgs: true, cases: [{ args: [{ mean: '$d.mean' }, '$d.x', 0.9] }], outputs: { output: {}, 'args.0.mean': {} } }],
    }));
    spec = dir;
  });
  it('the running mean as the call left it is compared with the reference\'s; a copy that is returned but not written back fails by name', async () => {
    expect((await grade(spec, REF)).score).toBe(2);
    const copy = REF.replace('stats.mean = stats.mean.map', 'const updated = stats.mean.map');
    const r = await grade(spec, copy);
    expect(r.parts[0].checks.map((c) => [c.name, c.passed])).toEqual([['output', true], ['args.0.mean', false]]);
    expect(r.parts[0].messages.join('\n')).toMatch(/^args\.0\.mean: 3 of 3 elements differ/m);
  });
});
