/** Shared by the LMS gradebooks: one row per student (roster order, then results not on it), absent ones blank. */
import type { GradeResult } from '../judge/result.ts';
import type { Roster, RosterRow } from '../batch/roster.ts';
import { submissionName } from '../report/view.ts';
import { UserError } from '../util/errors.ts';

export interface GradebookRow {
  student: string;
  row?: RosterRow;
  /** undefined: no result (absent): a blank cell, not 0. */
  score?: number;
}

export function gradebookRows(results: GradeResult[], roster?: Roster): { rows: GradebookRow[]; notes: string[] } {
  const ids = [...new Set(results.map((r) => r.assignment.id))];
  if (ids.length > 1) throw new UserError(`these results are of ${ids.length} assignments (${ids.join(', ')}): an LMS gradebook file is one assignment's column; make one per assignment`);
  const seen = new Map<string, GradeResult>();
  for (const r of results) {
    const who = submissionName(r.submission);
    if (seen.has(who)) throw new UserError(`two results are of ${JSON.stringify(who)} (${seen.get(who)!.submission.dir} and ${r.submission.dir}): a gradebook has one row per student`);
    seen.set(who, r);
  }
  const byStudent = new Map(results.map((r) => [submissionName(r.submission), r]));
  const rows: GradebookRow[] = [];
  const notes: string[] = [];
  for (const row of roster?.rows ?? []) {
    const r = byStudent.get(row.student);
    byStudent.delete(row.student);
    rows.push({ student: row.student, row, score: r?.score });
  }
  const absent = rows.filter((x) => x.score === undefined).map((x) => x.student);
  if (absent.length) notes.push(`no result for ${absent.join(', ')}: their cells are left blank (no score)`);
  const unlisted = [...byStudent.keys()];
  if (roster && unlisted.length) notes.push(`not on the roster, so the LMS may not match them: ${unlisted.join(', ')}`);
  for (const [student, r] of byStudent) rows.push({ student, score: r.score });
  return { rows, notes };
}

export const gradeCell = (x: number | undefined) => (x === undefined ? '' : String(Math.round(x * 100) / 100));
