/**
 * Moodle's grade import (CSV): one identifier column that its import maps to useremail,
 * useridnumber or username, and one numeric grade column (its header becomes the grade item's name
 * when mapped to "new"). A blank cell is no grade. The identifier is the first of email, idnumber
 * (the roster's sis_id) and username (login) that every roster row has; without a roster, the
 * student ids as usernames.
 */
import type { OutputFormat } from './types.ts';
import { csvField } from '../report/csv.ts';
import { UserError } from '../util/errors.ts';
import { gradebookRows, gradeCell } from './gradebook.ts';

const IDS = [
  { field: 'email', header: 'Email address', mapTo: 'useremail' },
  { field: 'sisId', header: 'ID number', mapTo: 'useridnumber' },
  { field: 'login', header: 'Username', mapTo: 'username' },
] as const;

export const moodle: OutputFormat = {
  summary: "Moodle: a grade-import CSV (an email, ID number or username column and the grade); --roster for the ids",
  scope: 'class',
  defaultFile: () => 'moodle-grades.csv',
  render(results, ctx) {
    const { rows, notes } = gradebookRows(results, ctx.roster);
    const listed = rows.filter((x) => x.row);
    const id = ctx.roster ? IDS.find((c) => listed.length && listed.every((x) => x.row![c.field])) : IDS[2];
    if (!id) throw new UserError('the roster has no column that every student has filled in among email, sis_id (Moodle\'s ID number) and login (username): Moodle needs one to match students');
    const title = ctx.lmsAssignment?.title ?? results[0]?.assignment.title ?? 'nngrade';
    const lines = [[id.header, title]];
    // Without a roster the student ids serve as usernames; with one, only its students can be matched.
    for (const x of rows) if (x.row || !ctx.roster) lines.push([x.row ? String(x.row[id.field]) : x.student, gradeCell(x.score)]);
    notes.push(`in Moodle's import, map "${id.header}" to ${id.mapTo} and "${title}" to its grade item (max grade ${Math.max(0, ...results.map((r) => r.maxScore))})`);
    return { files: [{ path: ctx.file!, data: lines.map((l) => l.map((c) => csvField(c)).join(',')).join('\r\n') + '\r\n' }], notes };
  },
};
