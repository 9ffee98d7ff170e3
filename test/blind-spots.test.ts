// validate --lint: a case whose fixtures cannot reveal an ignored input (zero biases hide a forgotten
// b1) is found by running the reference with each numeric input zeroed and judging it as the part would.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAssignment } from '../grader/spec/load.ts';
import { prepareAssignment } from '../grader/grade.ts';
import { findBlindSpots } from '../grader/plan/blind-spots.ts';

const REFERENCE = `
export function forward(p: { W: number[][]; b: number[] }, x: number[][], reg: number) {
  const out = x.map((r) => p.b.map((b, j) => b + r.reduce((s, v, k) => s + v * p.W[k][j], 0)));
  return { out, penalty: reg * p.W.flat().reduce((s, w) => s + w * w, 0) };
}
export function argmax(p: { W: number[][]; b: number[] }, x: number[][]) {
  return forward(p, x, 0).out.map((r) => r.indexOf(Math.max(...r)));
}`;

function assignment(draws: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nngrade-lint-'));
  mkdirSync(path.join(dir, 'ref'));
  writeFileSync(path.join(dir, 'ref', 'index.ts'), REFERENCE);
  writeFileSync(path.join(dir, 'assignment.json'), JSON.stringify({
    id: 'lint', title: 'Lint', version: '1.0.0', points: 3,
    submission: { entry: 'submission.ts', exports: ['forward', 'argmax'] },
    reference: { entry: 'ref/index.ts' },
    fixtures: { m: { kind: 'numpy', seed: 3, draws } },
    parts: [
      { id: 'forward', title: 'forward', kind: 'function', visibility: 'visible', points: 2, call: 'forward', cases: [{ name: 'toy', args: ['$m', '$m.x', 0.1] }, { name: 'no reg', args: ['$m', '$m.x', 0] }] },
      { id: 'argmax', title: 'argmax', kind: 'function', visibility: 'hidden', points: 1, call: 'argmax', cases: [{ args: ['$m', '$m.x'] }] },
    ],
  }));
  return dir;
}

const lint = async (draws: string[]) => (await findBlindSpots(await prepareAssignment(loadAssignment(assignment(draws))))).map((s) => `${s.pointer} ${s.message}`);

describe('validate --lint: inputs a case cannot tell apart from zero', () => {
  it('an all-zero bias and a zero regularisation strength are named, with the fix', async () => {
    const spots = await lint(['W = randn(3, 2)', 'b = zeros(2)', 'x = randn(4, 3)']);
    expect(spots).toContainEqual(expect.stringMatching(/^\/parts\/0\/cases\/0\/args\/0 part "forward" \(visible\), toy: it is all zeros here, so a submission that leaves b of argument 0 \("\$m"\) out gets full marks on this case: give it nonzero values/));
    expect(spots).toContainEqual(expect.stringMatching(/^\/parts\/0\/cases\/1\/args\/2 part "forward" \(visible\), no reg: it is all zeros here, so a submission that leaves argument 2 out/));
    // W and x change the output; the reg of 0.1 changes the penalty.
    expect(spots.filter((s) => /args\/1 |W of/.test(s) || s.includes('cases/0/args/2'))).toEqual([]);
  });

  it('nonzero values are not named; an input that only moves what is not compared is', async () => {
    const spots = await lint(['W = randn(3, 2)', 'b = 0.01 * randn(2)', 'x = randn(4, 3)']);
    expect(spots.filter((s) => s.includes('"forward"') && s.includes(' b of'))).toEqual([]);
    // A small bias does not change which class wins: the argmax case cannot see it left out.
    expect(spots).toContainEqual(expect.stringMatching(/part "argmax" \(hidden\), case 1: the outputs compared do not change when b of argument 0 \("\$m"\) is zeroed/));
  });
});
