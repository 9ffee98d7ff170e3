/** The result of a hand-in that could not be graded at all: every part an error with the reason. */
import type { PreparedAssignment } from '../plan/plan.ts';
import { NNGRADE_VERSION } from '../plan/plan.ts';
import { RESULT_FORMAT_VERSION, type GradeResult } from './result.ts';
import { totalScore } from './score.ts';

export function errorResult(prep: Pick<PreparedAssignment, 'loaded'>, dir: string, message: string): GradeResult {
  const { spec } = prep.loaded;
  const parts = spec.parts.map((p) => ({ id: p.id, title: p.title, kind: p.kind, visibility: p.visibility, maxScore: p.points, score: 0, status: 'error' as const, messages: [message], checks: [], durationMs: 0 }));
  return {
    formatVersion: RESULT_FORMAT_VERSION, assignment: { id: spec.id, title: spec.title, version: spec.version }, submission: { dir, entry: spec.submission.entry },
    ...totalScore(parts), backend: 'none', durationMs: 0, startedAt: new Date().toISOString(), nngradeVersion: NNGRADE_VERSION, formatErrors: [message], parts,
  };
}

/**
 * When not even the assignment could be read (a platform's set-up is broken): one error part, so a
 * platform still gets a result that says what went wrong.
 */
export function setupErrorResult(assignment: string, dir: string, message: string): GradeResult {
  const parts = [{ id: 'nngrade', title: 'nngrade could not grade this submission', kind: 'setup', visibility: 'visible' as const, maxScore: 0, score: 0, status: 'error' as const, messages: [message], checks: [], durationMs: 0 }];
  return {
    formatVersion: RESULT_FORMAT_VERSION, assignment: { id: assignment, title: assignment, version: '' }, submission: { dir, entry: '' },
    score: 0, maxScore: 0, backend: 'none', durationMs: 0, startedAt: new Date().toISOString(), nngradeVersion: NNGRADE_VERSION, formatErrors: [message], parts,
  };
}
