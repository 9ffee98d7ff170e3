// Per-student variants: fixtures seeded {"perStudent": true} are drawn from a seed of each student's
// own (a hash of the salt, the assignment, the fixture and the id); each student is graded against
// their own expected values, so one student's numbers handed in by another fail.
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAssignment } from '../grader/spec/load.ts';
import { gradeSubmission, prepareAssignment, prepareVariant, type PreparedAssignment } from '../grader/grade.ts';
import { gradeBatch, regradeBatch, resultFile } from '../grader/batch/batch.ts';
import { listClassRoot } from '../grader/batch/entries.ts';
import { detectIsolation } from '../grader/sandbox/isolation.ts';
import { studentSeed } from '../grader/fixtures/resolve.ts';

const isolation = detectIsolation();
let prep: PreparedAssignment;
let spec: string;

function assignment(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nngrade-variants-'));
  mkdirSync(path.join(dir, 'ref'));
  writeFileSync(path.join(dir, 'ref', 'index.ts'), 'export const standardize = (x: number[]) => { const m = x.reduce((a, b) => a + b, 0) / x.length; return x.map((v) => v - m); };\n');
  writeFileSync(path.join(dir, 'assignment.json'), JSON.stringify({
    id: 'variants-hw', title: 'Centre a vector', version: '1.0.0', points: 4,
    submission: { entry: 'submission.ts', exports: ['standardize'] },
    reference: { entry: 'ref/index.ts' },
    variants: { salt: 'kept-by-the-instructor' },
    fixtures: { shown: { kind: 'numpy', seed: 3, draws: ['x = randn(6)'] }, mine: { kind: 'numpy', seed: { perStudent: true, base: 7 }, draws: ['x = 10 * randn(6)'] } },
    parts: [
      { id: 'example', title: 'the example everyone sees', kind: 'function', visibility: 'visible', points: 2, call: 'standardize', cases: [{ args: ['$shown.x'] }] },
      { id: 'own', title: 'your own vector', kind: 'function', visibility: 'hidden', points: 2, call: 'standardize', cases: [{ args: ['$mine.x'] }] },
    ],
  }));
  return dir;
}

const HONEST = 'export const standardize = (x: number[]) => { const m = x.reduce((a, b) => a + b, 0) / x.length; return x.map((v) => v - m); };\n';
const submission = (source: string) => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'nngrade-variants-sub-'));
  writeFileSync(path.join(d, 'submission.ts'), source);
  return d;
};
const score = (r: { parts: { id: string; score: number }[] }, id: string) => r.parts.find((p) => p.id === id)!.score;

beforeAll(async () => {
  spec = assignment();
  prep = await prepareAssignment(loadAssignment(spec));
});

describe('per-student variants', () => {
  it('two students get different fixtures from stable seeds; shared fixtures stay the same', async () => {
    const [a, b, a2] = [await prepareVariant(prep, 'alice'), await prepareVariant(prep, 'bob'), await prepareVariant(prep, 'alice')];
    expect(a.loaded.fixtures.mine.x).not.toEqual(b.loaded.fixtures.mine.x);
    expect(a2.loaded.fixtures.mine.x).toEqual(a.loaded.fixtures.mine.x);
    expect(a.loaded.fixtures.shown).toBe(prep.loaded.fixtures.shown);
    expect(a.variant).toEqual({ student: 'alice', seeds: { mine: studentSeed(prep.loaded.spec, 'mine', 'alice') } });
    // The salt matters: without it the seeds differ (students cannot work each other's out).
    expect(studentSeed({ id: 'variants-hw' }, 'mine', 'alice')).not.toBe(a.variant!.seeds.mine);
    expect(a.expected.get('own#0')).not.toEqual(b.expected.get('own#0'));
  });

  it("each is graded against their own values: an honest solution passes both, another student's numbers fail", async () => {
    const alice = await prepareVariant(prep, 'alice');
    const bob = await prepareVariant(prep, 'bob');
    const honest = submission(HONEST);
    for (const p of [alice, bob]) expect((await gradeSubmission(p, honest, { all: true, isolation })).score).toBe(4);
    // A hard-coded answer: alice's expected output for her own vector.
    const aliceAnswer = JSON.stringify(alice.expected.get('own#0'));
    const shown = JSON.stringify(prep.loaded.fixtures.shown.x);
    const copied = submission(`${HONEST.replace('export const standardize', 'const real')}export const standardize = (x: number[]) => (JSON.stringify(x) === ${JSON.stringify(shown)} ? real(x) : ${aliceAnswer});\n`);
    const ra = await gradeSubmission(alice, copied, { all: true, isolation });
    const rb = await gradeSubmission(bob, copied, { all: true, isolation });
    expect([score(ra, 'own'), score(rb, 'own')]).toEqual([2, 0]);
    expect(rb.variant!.student).toBe('bob');
  });

  it('a class batch draws each student\'s variant from their id, and regrade judges each against their own', async () => {
    const cls = mkdtempSync(path.join(os.tmpdir(), 'nngrade-variants-class-'));
    for (const who of ['alice', 'bob']) cpSync(submission(HONEST), path.join(cls, who), { recursive: true });
    const out = mkdtempSync(path.join(os.tmpdir(), 'nngrade-variants-out-'));
    await gradeBatch(prep, listClassRoot(cls, 'submission.ts'), { out, workers: 2, isolation });
    const r = (who: string) => JSON.parse(readFileSync(resultFile(out, who), 'utf8'));
    expect([r('alice').score, r('bob').score]).toEqual([4, 4]);
    expect(r('bob').variant.seeds.mine).toBe(studentSeed(prep.loaded.spec, 'mine', 'bob'));
    const { changes } = await regradeBatch(prep, out);
    expect(changes).toEqual([]);
  });
});

describe('the shipped assignments with per-student parts', () => {
  it.each([
    ['two-layer-net-cifar10', 'other', 'loss-and-gradients-hidden'],
    ['logistic-regression-quiz2', 'unseen', 'loss-hidden'],
  ])('%s: the hidden part %s draws each student\'s own fixtures and expected values', async (id, fixture, part) => {
    const { ROOT } = await import('./helpers.ts');
    const base = await prepareAssignment(loadAssignment(path.join(ROOT, 'assignments', id)), { parts: new Set([part]) });
    const [a, b] = [await prepareVariant(base, 'student-a'), await prepareVariant(base, 'student-b')];
    expect(a.loaded.fixtures[fixture]).not.toEqual(b.loaded.fixtures[fixture]);
    const task = base.tasks.get(part)!.reference[0].id;
    expect(a.expected.get(task)).not.toEqual(b.expected.get(task));
    expect(a.variant!.seeds[fixture]).not.toBe(b.variant!.seeds[fixture]);
  });
});
