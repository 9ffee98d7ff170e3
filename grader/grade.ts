/**
 * One submission through the whole path: plan (once per batch, plan/plan.ts)
 * → run (the sandbox, run/run.ts) → judge (pure, judge/judge-run.ts).
 */
import type { GradeResult } from './judge/result.ts';
import { judgeRun } from './judge/judge-run.ts';
import { runSubmission, type RunOptions } from './run/run.ts';
import type { PreparedAssignment } from './plan/plan.ts';
import type { RunRecord } from './run/record.ts';

export { prepareAssignment, prepareVariant, selectParts, NNGRADE_VERSION, type GradeOptions, type PreparedAssignment, type PrepareOptions } from './plan/plan.ts';
export { verdictOnly } from './judge/judge-run.ts';
export type { RunOptions } from './run/run.ts';

export async function gradeSubmission(prep: PreparedAssignment, submissionDir: string, opts: RunOptions = {}): Promise<GradeResult> {
  return judgeRun(prep, await runSubmission(prep, submissionDir, opts), opts);
}

/** Run and judge, keeping the run record (for batches that save it beside the result). */
export async function gradeAndRecord(prep: PreparedAssignment, submissionDir: string, opts: RunOptions = {}): Promise<{ result: GradeResult; record: RunRecord }> {
  const record = await runSubmission(prep, submissionDir, opts);
  return { result: await judgeRun(prep, record, opts), record };
}
