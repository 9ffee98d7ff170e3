// Accuracy of a from-scratch model (plain TypeScript train and predict, no tf): trained and predicted in
// the sandbox on the test inputs, scored here on labels that never enter it; the same bands and report
// views as tfjs models. On the synthetic MNIST files (the real formats) committed for the tests.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAssignment } from '../grader/spec/load.ts';
import { gradeSubmission, prepareAssignment, type PreparedAssignment } from '../grader/grade.ts';
import { detectIsolation } from '../grader/sandbox/isolation.ts';
import { ROOT } from './helpers.ts';

const SOFTMAX_REGRESSION = (iters: number, predict = 'return X.map((x) => { const s = scores(model, x); return s.indexOf(Math.max(...s)); });') => `
type Model = { W: number[][]; b: number[] };
const scores = (m: Model, x: number[]) => m.b.map((b, k) => b + x.reduce((s, v, j) => s + v * m.W[j][k], 0));
export function train(X: number[][], y: number[], opts: { lr: number }) {
  const D = X[0].length, K = 10;
  const model: Model = { W: Array.from({ length: D }, () => new Array(K).fill(0)), b: new Array(K).fill(0) };
  const loss: number[] = [];
  for (let it = 0; it < ${iters}; it++) {
    const gW = Array.from({ length: D }, () => new Array(K).fill(0)), gb = new Array(K).fill(0);
    let L = 0;
    X.forEach((x, i) => {
      const s = scores(model, x), m = Math.max(...s), e = s.map((v) => Math.exp(v - m)), z = e.reduce((a, b) => a + b, 0);
      L -= Math.log(e[y[i]] / z) / X.length;
      e.forEach((v, k) => { const d = (v / z - (k === y[i] ? 1 : 0)) / X.length; gb[k] += d; x.forEach((xj, j) => { if (xj) gW[j][k] += d * xj; }); });
    });
    loss.push(L);
    model.W.forEach((row, j) => row.forEach((_, k) => { row[k] -= opts.lr * gW[j][k]; }));
    model.b.forEach((_, k) => { model.b[k] -= opts.lr * gb[k]; });
  }
  return { model, history: { loss } };
}
export function predict(model: Model, X: number[][]): number[] { ${predict} }
`;

let spec: string;
let prep: PreparedAssignment;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nngrade-scratch-acc-'));
  mkdirSync(path.join(dir, 'ref'));
  writeFileSync(path.join(dir, 'ref', 'index.ts'), SOFTMAX_REGRESSION(30));
  const data = path.join(ROOT, 'test', 'fixtures', 'datasets', 'mnist');
  const pre = [{ op: 'scale', by: 255 }, { op: 'flatten' }];
  writeFileSync(path.join(dir, 'assignment.json'), JSON.stringify({
    id: 'scratch-accuracy', title: 'Softmax regression from scratch', version: '1.0.0', points: 4,
    submission: { entry: 'submission.ts', exports: ['train', 'predict'] },
    reference: { entry: 'ref/index.ts' },
    fixtures: {
      train: { kind: 'dataset', name: 'mnist', split: 'train', path: data, limit: 300, preprocess: pre },
      test: { kind: 'dataset', name: 'mnist', split: 'test', path: data, preprocess: pre },
    },
    parts: [
      { id: 'absolute', title: 'test accuracy (absolute bands)', kind: 'accuracy', visibility: 'visible', points: 2, source: 'scratch', call: 'train', predict: 'predict', args: ['$train.x:rows', '$train.labels:list', { lr: 0.5 }], input: '$test.x:rows', test: '$test', bands: { full: 0.6, floor: 0.3 }, timeoutMs: 60000 },
      { id: 'relative', title: 'test accuracy (against the reference)', kind: 'accuracy', visibility: 'visible', points: 2, source: 'scratch', call: 'train', predict: 'predict', args: ['$train.x:rows', '$train.labels:list', { lr: 0.5 }], input: '$test.x:rows', test: '$test', bands: { full: 0.95, floor: 0.5, relative: true }, timeoutMs: 60000 },
    ],
  }));
  spec = dir;
  prep = await prepareAssignment(loadAssignment(spec));
}, 120_000);

async function grade(source: string) {
  const sub = mkdtempSync(path.join(os.tmpdir(), 'nngrade-scratch-sub-'));
  writeFileSync(path.join(sub, 'submission.ts'), source);
  return gradeSubmission(prep, sub, { all: true, isolation: detectIsolation() });
}

describe('accuracy of a from-scratch model', () => {
  it('the test labels never enter the sandbox: the task carries the inputs only', () => {
    const task = prep.tasks.get('absolute')!.student[0] as { op: string; inputs: number[][]; args: unknown[] };
    expect(task.op).toBe('fitPredict');
    expect(task.inputs.length).toBe((prep.loaded.fixtures.test.labels as Int32Array).length);
    expect(JSON.stringify(task).includes('"labels"')).toBe(false);
  });

  it('a correct one earns the points, with the confusion matrix, per-class metrics, samples and the loss curve; no tf needed', async () => {
    const r = await grade(SOFTMAX_REGRESSION(30));
    for (const p of r.parts) expect([p.id, p.status, p.messages]).toEqual([p.id, 'passed', []]);
    const a = r.parts[0];
    expect(a.checks[0].message).toMatch(/^accuracy 0\.\d+ on [\d,]+ test images; full points at ≥ 0\.6/);
    expect(r.parts[1].checks[0].message).toContain('the reference trained the same way reaches');
    expect(a.artifacts!.map((x) => x.type)).toEqual(['bands', 'history', 'confusion', 'perClass', 'samples']);
    expect(r.backend).toBe('none');
  });

  it('under-trained loses points by the bands; a predict that returns the wrong thing is said plainly', async () => {
    const under = await grade(SOFTMAX_REGRESSION(1));
    expect(under.parts[0].score).toBeLessThan(2);
    expect(under.parts[0].messages[0]).toMatch(/below the target/);
    const broken = await grade(SOFTMAX_REGRESSION(2, 'return X.slice(1).map(() => 0);'));
    expect(broken.parts[0].score).toBe(0);
    expect(broken.parts[0].messages[0]).toMatch(/^predict\(\) returned \d+ predictions for the \d+ test examples$/);
  });
});
