// Manual parts end to end on a small class: pending in results (counted apart), export → fill in →
// import (every bad row named by its CSV line, nothing changed), then graded scores in results,
// manifest, reports and gradebooks.
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { loadAssignment } from '../grader/spec/load.ts';
import { prepareAssignment } from '../grader/grade.ts';
import { listClassRoot } from '../grader/batch/entries.ts';
import { gradeBatch, readManifest, resultFile } from '../grader/batch/batch.ts';
import { exportScores, importScores } from '../grader/batch/scores.ts';
import { detectIsolation } from '../grader/sandbox/isolation.ts';
import { renderTerminal } from '../grader/report/terminal.ts';
import { renderHtml } from '../grader/report/html.ts';
import { gradebookCsv } from '../grader/report/csv.ts';
import { classroomResult } from '../grader/output/classroom.ts';
import type { GradeResult } from '../grader/judge/result.ts';
import { exampleDir, specVariant } from './helpers.ts';

const KEEP = ['scratch-forward', 'written-overfitting', 'written-regularisation'];
let out: string;
const result = (id: string): GradeResult => JSON.parse(readFileSync(resultFile(out, id), 'utf8'));

beforeAll(async () => {
  const spec = specVariant('fashion-mnist-hw4', (s) => {
    s.parts = s.parts.filter((p: { id: string }) => KEEP.includes(p.id));
    s.points = s.parts.reduce((n: number, p: { points: number }) => n + p.points, 0);
  });
  const cls = mkdtempSync(path.join(os.tmpdir(), 'nngrade-manual-class-'));
  for (const who of ['ada', 'bob']) cpSync(exampleDir('fashion-mnist-hw4', 'correct'), path.join(cls, who), { recursive: true });
  rmSync(path.join(cls, 'bob', 'written', 'regularisation.md')); // bob did not answer the second question
  out = mkdtempSync(path.join(os.tmpdir(), 'nngrade-manual-out-'));
  await gradeBatch(await prepareAssignment(loadAssignment(spec)), listClassRoot(cls, 'submission.ts'), { out, workers: 2, isolation: detectIsolation() });
});

describe('manual parts', () => {
  it('are pending until graded, counted apart from the autograded score in every output, never as 0', () => {
    const r = result('ada');
    expect(r.parts.filter((p) => p.kind === 'manual').map((p) => [p.id, p.status, p.score])).toEqual([['written-overfitting', 'pending', 0], ['written-regularisation', 'pending', 0]]);
    expect([r.score, r.maxScore, r.pending]).toEqual([3, 3, { parts: 2, points: 4 }]);
    expect(r.parts[1].manual).toMatchObject({ source: 'written/overfitting.md', answer: expect.stringContaining('dropout'), rubric: expect.any(Array) });
    expect(result('bob').parts[2].manual!.missing).toBe('written/regularisation.md is not in the submission');
    expect(renderTerminal(r)).toContain('+ 4 points graded by a person (2 parts pending)');
    expect(gradebookCsv([r]).split('\r\n')[1]).toBe('ada,3,3,3,,');
    const c = classroomResult(r, { now: new Date() });
    expect([c.max_score, c.tests.length]).toEqual([3, 1]);
  });

  it('export → fill in → import: graded scores in the results, the manifest and the report', async () => {
    const exported = exportScores(out);
    expect([exported.rows, exported.pending]).toEqual([4, 4]);
    const rows: string[][] = parse(exported.csv);
    expect(rows[0]).toEqual(['student', 'part', 'max_points', 'answer', 'signs', 'remedies', 'wrong-claim', 'compares', 'reason', 'comment']);
    expect(rows[1].slice(0, 3)).toEqual(['ada', 'written-overfitting', '2']);
    expect(rows[1][3]).toMatch(/^Yes, after about epoch 8/);
    const filled = [
      rows[0].join(','),
      'ada,written-overfitting,2,,x,x,,,,Clear and complete.',
      'ada,written-regularisation,2,,,,,x,,"Compared, but no reason given."',
      'bob,written-overfitting,2,,x,yes,x,,,Said a falling training loss alone shows overfitting.',
    ].join('\n');
    const csv = path.join(out, 'grading.csv');
    writeFileSync(csv, filled);
    const r = importScores(csv, out, new Date('2026-12-02T10:00:00Z'));
    expect(r).toMatchObject({ graded: 3, students: 2, stillPending: 1 });
    const ada = result('ada');
    expect(ada.parts.filter((p) => p.kind === 'manual').map((p) => [p.status, p.score])).toEqual([['passed', 2], ['partial', 1]]);
    expect([ada.score, ada.maxScore, ada.pending]).toEqual([6, 7, undefined]);
    expect(ada.parts[2].manual).toMatchObject({ applied: ['compares'], comment: 'Compared, but no reason given.', gradedAt: '2026-12-02T10:00:00.000Z' });
    const bob = result('bob');
    expect(bob.parts[1].score).toBe(1.5); // 1 + 1 − 0.5
    expect([bob.score, bob.maxScore, bob.pending]).toEqual([4.5, 5, { parts: 1, points: 2 }]);
    expect(readManifest(out)!.submissions.ada).toMatchObject({ score: 6, maxScore: 7 });
    const html = await renderHtml(ada, { audience: 'student' });
    expect(html).toContain('Compared, but no reason given.');
    expect(html).toMatch(/<tr class="applied"><td>✓<\/td><td>compares both variants/);
    // Exporting again shows the marks made, so a second pass starts from them.
    const again: string[][] = parse(exportScores(out).csv);
    expect(again.find((x) => x[0] === 'ada' && x[1] === 'written-overfitting')!.slice(4)).toEqual(['x', 'x', '', '', '', 'Clear and complete.']);
  });

  it('bad rows: each named with its CSV line and what is wrong; nothing is changed', () => {
    const before = readFileSync(resultFile(out, 'ada'), 'utf8');
    const csv = path.join(out, 'bad.csv');
    writeFileSync(csv, [
      'student,part,signs,remedies,reason,bogus,comment',
      'ada,written-overfitting,x,maybe,,,',
      'carol,written-overfitting,x,,,,',
      'ada,scratch-forward,x,,,,',
      'ada,written-regularisation,x,,,,',
      'bob,written-nope,,,,,',
      'bob,written-regularisation,,,x,,',
      'bob,written-regularisation,,,x,,',
    ].join('\n'));
    let err: Error & { details?: string[] } = new Error('none');
    try {
      importScores(csv, out);
    } catch (e) {
      err = e as typeof err;
    }
    expect(err.message).toBe(`${path.relative(process.cwd(), csv).startsWith('..') ? csv : path.relative(process.cwd(), csv)}: 6 rows cannot be imported; nothing was changed`);
    expect(err.details).toEqual([
      expect.stringMatching(/bad\.csv:2: column "remedies": "maybe" is not a mark \(x, 1 or yes/),
      expect.stringMatching(/bad\.csv:3: no result for student "carol"/),
      expect.stringMatching(/bad\.csv:4: part scratch-forward is graded automatically \(function\), not by a person/),
      expect.stringMatching(/bad\.csv:5: part written-regularisation has no rubric item "signs" \(its items: compares, reason\)/),
      expect.stringMatching(/bad\.csv:6: bob's result has no part "written-nope" \(manual parts: written-overfitting, written-regularisation\)/),
      expect.stringMatching(/bad\.csv:8: bob \/ written-regularisation is already graded on line 7/),
    ]);
    expect(readFileSync(resultFile(out, 'ada'), 'utf8')).toBe(before);
  });
});

describe('a manual answer', () => {
  it('is kept without terminal escapes or control characters', async () => {
    const { manualPart } = await import('../grader/parts/manual.ts');
    const part = { id: 'w', title: 'W', kind: 'manual' as const, visibility: 'visible' as const, points: 1, question: 'Q?', answer: { file: 'a.md' }, rubric: [{ id: 'ok', points: 1, text: 'ok' }] };
    const j = await manualPart.judge(part, { student: new Map([['w#answer', { ok: true, value: 'fine\u001b[2J\u0007 answer\n', ms: 0, output: '' }]]), reference: new Map(), callReference: () => undefined, fixtures: {}, spec: { parts: [] } as never, submissionDir: '/x', locate: () => undefined });
    expect(j.status).toBe('pending');
    expect(j.manual!.answer).toBe('fine answer\n');
  });
});
