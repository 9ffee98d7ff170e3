// End to end: every example submission of every assignment gets exactly the
// score its EXPECTED.json records, and each mistake is named in a message.
import { describe, expect, it, beforeAll } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadAssignment } from '../grader/spec/load.ts';
import { gradeSubmission, prepareAssignment, type PreparedAssignment } from '../grader/grade.ts';
import type { GradeResult } from '../grader/judge/result.ts';
import { gradeBatch, resultFile } from '../grader/batch/batch.ts';
import { listClassRoot } from '../grader/batch/entries.ts';
import { detectIsolation } from '../grader/sandbox/isolation.ts';
import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import { ROOT, exampleDir } from './helpers.ts';

interface Expected { score: number; parts: Record<string, number>; mentions?: Record<string, string | string[]> }

const ids = readdirSync(path.join(ROOT, 'submissions')).filter((d) => existsSync(path.join(ROOT, 'submissions', d, 'EXPECTED.json')));

describe.each(ids)('%s example submissions', (id) => {
  const expected: Record<string, Expected> = JSON.parse(readFileSync(path.join(ROOT, 'submissions', id, 'EXPECTED.json'), 'utf8'));
  let prep: PreparedAssignment;
  const results = new Map<string, GradeResult>();
  beforeAll(async () => {
    prep = await prepareAssignment(loadAssignment(path.join(ROOT, 'assignments', id)), { skipMissingData: true });
    // The examples graded as a class would be: the batch path, two workers, sandboxes warmed ahead.
    const cls = mkdtempSync(path.join(os.tmpdir(), `nngrade-examples-${id}-`));
    const names = readdirSync(path.join(ROOT, 'submissions', id), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    for (const name of names) cpSync(exampleDir(id, name), path.join(cls, name), { recursive: true });
    const out = mkdtempSync(path.join(os.tmpdir(), `nngrade-examples-out-`));
    await gradeBatch(prep, listClassRoot(cls, prep.loaded.spec.submission.entry), { out, workers: 2, isolation: detectIsolation() });
    for (const name of names) results.set(name, JSON.parse(readFileSync(resultFile(out, name), 'utf8')) as GradeResult);
  }, 600_000);

  it('every submission folder has an expected score', () => {
    const dirs = readdirSync(path.join(ROOT, 'submissions', id), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(dirs.sort()).toEqual(Object.keys(expected).sort());
    // Parts whose data set is not on this machine are skipped, so full marks are the points of the others.
    // Written answers (manual parts) wait for a person and are not in the score either.
    const gradable = prep.loaded.spec.parts.filter((p) => prep.tasks.has(p.id) && p.kind !== 'manual').reduce((s, p) => s + p.points, 0);
    expect(Object.values(expected).some((e) => Math.abs(e.score - gradable) < 1e-9)).toBe(true);
  });

  it.each(Object.keys(expected))('%s', async (name) => {
    const want = expected[name];
    const r = results.get(name)!;
    // Scores are exact, except for trained models, whose accuracy may move in the last digits
    // between machines (float32 kernels): those get ±0.05 points.
    for (const p of r.parts) {
      if (p.kind === 'accuracy') expect(Math.abs(p.score - want.parts[p.id]), p.id).toBeLessThanOrEqual(0.05);
      else expect(p.score, p.id).toBe(want.parts[p.id]);
    }
    expect(Object.keys(want.parts).sort()).toEqual(r.parts.map((p) => p.id).sort());
    expect(Math.abs(r.score - want.score)).toBeLessThanOrEqual(0.05 * r.parts.filter((p) => p.kind === 'accuracy').length + 1e-9);
    if (want.score === r.maxScore) expect(r.parts.every((p) => p.status === 'passed' || p.status === 'skipped' || p.status === 'pending')).toBe(true);
    for (const [part, text] of Object.entries(want.mentions ?? {})) {
      const messages = r.parts.find((p) => p.id === part)!.messages.join('\n');
      for (const t of Array.isArray(text) ? text : [text]) expect(messages).toContain(t);
    }
    // A part that loses points always says why.
    for (const p of r.parts) if (p.score < p.maxScore) expect(p.messages.length).toBeGreaterThan(0);
  });
});

describe('the seed-000 reference', () => {
  it('computes L = 0.1332476222330792 (±1e-12) on the seeded weights and data', async () => {
    const prep = await prepareAssignment(loadAssignment(path.join(ROOT, 'assignments', 'fashion-mnist-hw4')));
    const out = prep.expected.get('scratch-backprop#0') as { L: number; gradients: { b1: number[] } };
    expect(Math.abs(out.L - 0.1332476222330792)).toBeLessThanOrEqual(1e-12);
    // The published b1 gradient, to the 8 digits the homework prints.
    expect(out.gradients.b1.map((x) => Number(x.toFixed(8)))).toEqual([0.00492577, -0.00058023, -0.00065977]);
  });
});

describe('feedback: "verdict" parts', () => {
  it("tell a student which answers are wrong without revealing the expected values; instructors see them", async () => {
    const prep = await prepareAssignment(loadAssignment(path.join(ROOT, 'assignments', 'mnist-cnn-hw5')), { skipMissingData: true });
    const dir = exampleDir('mnist-cnn-hw5', 'no-dilation');
    const student = (await gradeSubmission(prep, dir)).parts.find((p) => p.id === 'output-size')!;
    expect(student.messages).toEqual(['16×16, 2×2 filter, stride 2, padding 1, dilation 4: incorrect']);
    expect(JSON.stringify(student)).not.toMatch(/expected/);
    const instructor = (await gradeSubmission(prep, dir, { all: true })).parts.find((p) => p.id === 'output-size')!;
    expect(instructor.messages[0]).toContain('expected 7, received 9');
    expect(instructor.score).toBe(student.score);
  });
});
