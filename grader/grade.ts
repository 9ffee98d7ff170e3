/**
 * One submission through the whole path: plan (once per batch, plan/plan.ts)
 * → run (the sandbox, run/run.ts) → judge (pure, judge/judge-run.ts).
 */
import type { GradeResult } from './judge/result.ts';
import { judgeRun } from './judge/judge-run.ts';
import { runSubmission, type RunOptions } from './run/run.ts';
import type { PreparedAssignment } from './plan/plan.ts';

export { prepareAssignment, prepareVariant, selectParts, NNGRADE_VERSION, type GradeOptions, type PreparedAssignment, type PrepareOptions } from './plan/plan.ts';
export { verdictOnly } from './judge/judge-run.ts';
export type { RunOptions } from './run/run.ts';

export async function gradeSubmission(prep: PreparedAssignment, submissionDir: string, opts: RunOptions = {}): Promise<GradeResult> {
  return judgeRun(prep, await runSubmission(prep, submissionDir, opts), opts);
}

