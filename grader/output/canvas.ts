/**
 * Canvas's gradebook import: header `Student,ID,SIS User ID,SIS Login ID,Section,<Title> (<id>)`
 * (Canvas's importer requires Student and ID first and Section last among the student columns; it
 * matches students by ID, else SIS User ID, else SIS Login ID, else name), a "Points Possible" row,
 * then one row per student; a blank cell is no score. The assignment column is "<title> (<Canvas
 * assignment id>)" with --lms-assignment-id, else the title alone (Canvas then matches by exact
 * title, or makes a new assignment).
 */
import type { OutputFormat } from './types.ts';
import { csvField } from '../report/csv.ts';
import { gradebookRows, gradeCell } from './gradebook.ts';

export const canvas: OutputFormat = {
  summary: 'Canvas: a gradebook CSV its import takes (Student, ID, SIS User ID, SIS Login ID, Section, the assignment); --roster for the ids',
  scope: 'class',
  defaultFile: () => 'canvas-grades.csv',
  render(results, ctx) {
    const first = results[0];
    const title = ctx.lmsAssignment?.title ?? first?.assignment.title ?? 'nngrade';
    const column = ctx.lmsAssignment?.id ? `${title} (${ctx.lmsAssignment.id})` : title;
    const maxScore = Math.max(0, ...results.map((r) => r.maxScore));
    const { rows, notes } = gradebookRows(results, ctx.roster);
    const lines = [['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', column], ['Points Possible', '', '', '', '', String(maxScore)]];
    for (const x of rows) lines.push([x.row?.name ?? x.student, x.row?.lmsId ?? '', x.row?.sisId ?? '', x.row?.login ?? '', x.row?.section ?? '', gradeCell(x.score)]);
    if (!ctx.roster) notes.push('no --roster: Canvas can only match these students by name (give a roster with lms_id or sis_id)');
    if (!ctx.lmsAssignment?.id) notes.push(`no --lms-assignment-id: Canvas matches the column "${column}" by its exact title, or makes a new assignment`);
    return { files: [{ path: ctx.file!, data: lines.map((l) => l.map((c) => csvField(c)).join(',')).join('\r\n') + '\r\n' }], notes };
  },
};
