// The typecheck part kind judged on recorded type-check results (no compiler), and the run stage's
// check end to end: problems as warnings in the result, or as a part's lost points.
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { partKinds } from '../grader/parts/registry.ts';
import type { TypecheckPart } from '../grader/parts/typecheck.ts';
import type { TypecheckResult } from '../grader/submission/typecheck.ts';
import type { AssignmentSpec } from '../grader/spec/types.ts';
import { loadAssignment } from '../grader/spec/load.ts';
import { gradeSubmission, prepareAssignment } from '../grader/grade.ts';
import { detectIsolation } from '../grader/sandbox/isolation.ts';
import { ROOT, cli } from './helpers.ts';

const part = { id: 'types', title: 'types', kind: 'typecheck', points: 2, visibility: 'visible' } as TypecheckPart;
const judge = (p: TypecheckPart, typecheck?: TypecheckResult) =>
  partKinds.typecheck.judge(p, { student: new Map(), reference: new Map(), fixtures: {}, spec: {} as AssignmentSpec, submissionDir: '', callReference: () => undefined, locate: () => undefined, typecheck });

describe('typecheck part, judged on recorded results', () => {
  it('no problems: full marks', async () => {
    const j = await judge(part, { problems: [], ms: 1 });
    expect(j.checks.map((c) => c.passed)).toEqual([true, true]);
  });

  it("an export's problem fails the exports check with file:line; a helper's fails the files check", async () => {
    const j = await judge(part, { ms: 1, problems: [
      { file: 'layers.ts', line: 3, column: 1, export: 'softmaxLoss', message: 'softmaxLoss: its type (x: Mat, y: string) => number is not the interface\'s.' },
      { file: 'util.ts', line: 9, column: 7, message: "Type 'string' is not assignable to type 'number'." },
    ] });
    expect(j.checks.map((c) => c.passed)).toEqual([false, false]);
    expect(j.messages[0]).toBe("exports match the interface: layers.ts:3:1 softmaxLoss: its type (x: Mat, y: string) => number is not the interface's");
    expect(j.location).toEqual({ file: 'layers.ts', line: 3, column: 1 });
    // files: false counts only how the exports fit; an export outside `exports` is not counted.
    const only = await judge({ ...part, files: false, exports: ['affineForward'] }, { ms: 1, problems: [{ file: 'a.ts', line: 1, column: 1, export: 'softmaxLoss', message: 'x' }, { file: 'b.ts', line: 1, column: 1, message: 'y' }] });
    expect(only.checks.map((c) => [c.name, c.passed])).toEqual([['exports match the interface', true]]);
  });

  it('a check that could not run: not graded when the grader has no compiler, failed with the reason otherwise', async () => {
    expect((await judge(part, { problems: [], ms: 0, skipped: 'typescript is not installed' })).status).toBe('error');
    const stopped = await judge(part, { problems: [], ms: 30000, skipped: 'the type check took longer than 30 s and was stopped' });
    expect(stopped.status).toBeUndefined();
    expect(stopped.checks.every((c) => !c.passed && c.message.includes('took longer than 30 s'))).toBe(true);
    expect((await judge(part, undefined)).messages[0]).toMatch(/not type-checked/);
  });
});

describe('the type checker in its worker thread', () => {
  it('a check over its time limit is stopped and says so; the next check gets a fresh worker', async () => {
    const { typecheckIsolated } = await import('../grader/submission/typecheck-run.ts');
    const opts = { submissionDir: path.join(ROOT, 'submissions', 'cs231n-layers', 'correct'), entry: 'submission.ts', interfaceFile: path.join(ROOT, 'assignments', 'cs231n-layers', 'interface.d.ts'), exports: ['softmaxLoss'] };
    // Another hand-in's check waiting on the same worker is not failed with it: it is checked again.
    const [stopped, bystander] = await Promise.all([typecheckIsolated(opts, 5), typecheckIsolated(opts, 60_000)]);
    expect(stopped.skipped).toBe('the type check took longer than 0 s and was stopped');
    expect(bystander).toMatchObject({ problems: [] });
    expect(bystander.skipped).toBeUndefined();
    const again = await typecheckIsolated(opts, 60_000);
    expect(again).toMatchObject({ problems: [] });
    expect(again.skipped).toBeUndefined();
  }, 90_000);
});

describe('the type checker cannot be made to read the reference', () => {
  it('absolute, relative and symlinked imports of the reference resolve to nothing; no reference type reaches the result', async () => {
    const sub = mkdtempSync(path.join(os.tmpdir(), 'nngrade-types-leak-'));
    cpSync(path.join(ROOT, 'submissions', 'cs231n-layers', 'correct'), sub, { recursive: true });
    const ref = path.join(ROOT, 'reference', 'cs231n-layers', 'index.ts');
    symlinkSync(ref, path.join(sub, 'ref.ts'));
    const rel = path.relative(sub, ref);
    writeFileSync(path.join(sub, 'leak.ts'), [
      `import type * as A from '${ref}';`, `import type * as B from '${rel}';`, "import type * as C from './ref.ts';",
      `/// <reference path="${ref}" />`,
      // Each would print the reference's own types in its message if the file were read.
      'export const a: number = null as unknown as typeof A.batchnormBackward;',
      'export const b: number = null as unknown as typeof B.batchnormForward;',
      'export const c: number = null as unknown as typeof C.softmaxLoss;', '',
    ].join('\n'));
    writeFileSync(path.join(sub, 'submission.ts'), readFileSync(path.join(sub, 'submission.ts'), 'utf8') + "export * from './leak.ts';\n");
    const prep = await prepareAssignment(loadAssignment(path.join(ROOT, 'assignments', 'cs231n-layers')));
    const r = await gradeSubmission(prep, sub, { all: true, only: ['types'], isolation: detectIsolation() });
    const text = JSON.stringify(r);
    expect(r.typecheck!.problems.filter((p) => /Cannot find module/.test(p.message))).toHaveLength(3);
    for (const secret of ['BatchnormCache', 'invStd', 'xhat']) expect(text).not.toContain(secret);
  }, 60_000);
});

describe('the run stage type-checks against interface.d.ts', () => {
  it("problems are warnings in the result (no points) unless a typecheck part scores them", async () => {
    const sub = mkdtempSync(path.join(os.tmpdir(), 'nngrade-types-'));
    cpSync(path.join(ROOT, 'submissions', 'cs231n-layers', 'correct'), sub, { recursive: true });
    // Right values, the wrong declared type: the export takes string labels (the file itself type-checks).
    writeFileSync(path.join(sub, 'softmax.ts'), readFileSync(path.join(sub, 'softmax.ts'), 'utf8').replace('export function softmaxLoss(', 'function softmaxLossImpl(') + '\nexport const softmaxLoss = (x: Mat, y: string[]) => softmaxLossImpl(x, y as unknown as number[]);\n');
    const prep = await prepareAssignment(loadAssignment(path.join(ROOT, 'assignments', 'cs231n-layers')));
    const scored = await gradeSubmission(prep, sub, { all: true, only: ['types', 'softmax-loss'], isolation: detectIsolation() });
    expect(scored.typecheck?.scored).toBe(true);
    expect(scored.parts.find((p) => p.id === 'types')!.score).toBe(0.5);
    expect(scored.typecheck!.problems).toEqual([expect.objectContaining({ file: 'softmax.ts', export: 'softmaxLoss' })]);
    // The values are still right: the function part does not care about the declared types.
    expect(scored.parts.find((p) => p.id === 'softmax-loss')!.score).toBe(2);
    const warned = await gradeSubmission(prep, sub, { all: true, only: ['softmax-loss'], isolation: detectIsolation(), typecheck: true });
    expect(warned.typecheck).toMatchObject({ scored: false, problems: [expect.objectContaining({ export: 'softmaxLoss' })] });
    expect(warned.score).toBe(warned.maxScore);
    // The student's check prints them as warnings after the table (the typecheck part not graded here).
    const r = cli(['check', 'cs231n-layers', sub, '--part', 'softmax-loss', '--typecheck']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/type check against interface\.d\.ts: 1 problem \(warnings; they cost no points\)\n {2}softmax\.ts:\d+:\d+ softmaxLoss: its type/);
  }, 60_000);
});
