/**
 * A roster CSV: who each hand-in belongs to. Its header names the columns
 * (any order, case and spacing ignored; other columns are kept out of the way):
 *
 *   submission  the entry's name in the class folder (a folder, an archive
 *               without its extension, a Canvas `<student>_<user id>`, a
 *               Classroom repo `<assignment>-<github user>`)
 *   student     the id nngrade files the results under (default: submission)
 *   name, email, sis_id, login, section, lms_id
 *               the identities an LMS gradebook matches on (Canvas, Moodle)
 *
 * At least one of submission and student must be there. Every row is checked:
 * a blank key, a repeated submission or student is an error naming the CSV line.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { UserError } from '../util/errors.ts';
import { displayPath } from '../util/paths.ts';
import type { ClassEntry } from './entries.ts';

export interface RosterRow {
  /** The CSV line the row starts on (1 is the header). */
  line: number;
  submission: string;
  student: string;
  name?: string;
  email?: string;
  sisId?: string;
  login?: string;
  section?: string;
  lmsId?: string;
}

export interface Roster {
  file: string;
  rows: RosterRow[];
  bySubmission: Map<string, RosterRow>;
  byStudent: Map<string, RosterRow>;
}

type Field = Exclude<keyof RosterRow, 'line'>;

/** Header spellings per field (lower-cased, spaces and dashes as underscores). */
const COLUMNS: Record<Field, string[]> = {
  submission: ['submission', 'folder', 'entry', 'repo', 'repository'],
  student: ['student', 'student_id', 'id'],
  name: ['name', 'full_name', 'student_name'],
  email: ['email', 'email_address'],
  sisId: ['sis_id', 'sis_user_id', 'idnumber', 'id_number'],
  login: ['login', 'sis_login_id', 'username', 'user_name', 'github', 'github_username'],
  section: ['section'],
  lmsId: ['lms_id', 'canvas_id', 'canvas_user_id', 'user_id', 'moodle_id'],
};

const norm = (h: string) => h.trim().toLowerCase().replace(/[\s-]+/g, '_');

export function parseRoster(text: string, file: string): Roster {
  const where = displayPath(file);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, info: true }) as unknown as typeof records;
  } catch (e) {
    throw new UserError(`${where} is not a readable CSV: ${(e as Error).message}`);
  }
  if (!records.length) throw new UserError(`${where} is empty: expected a header row (submission, student, name, email, sis_id, login, section, lms_id) and one row per student`);
  const header = records[0].record.map(norm);
  const col = {} as Partial<Record<Field, number>>;
  for (const [field, names] of Object.entries(COLUMNS) as [Field, string[]][]) {
    const i = header.findIndex((h) => names.includes(h));
    if (i >= 0) col[field] = i;
  }
  if (col.submission === undefined && col.student === undefined) {
    throw new UserError(`${where}:1: the header has no submission or student column (it has: ${records[0].record.join(', ') || 'nothing'})`, {
      hint: 'name the column holding each hand-in\'s folder or archive name "submission"; "student" for the id to file results under',
    });
  }
  const roster: Roster = { file, rows: [], bySubmission: new Map(), byStudent: new Map() };
  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    const get = (f: Field) => (col[f] !== undefined ? (record[col[f]!] ?? '').trim() : '') || undefined;
    const submission = get('submission') ?? get('student');
    const student = get('student') ?? submission;
    if (!submission || !student) throw new UserError(`${where}:${line}: the ${col.submission !== undefined ? 'submission' : 'student'} column is blank`);
    if (/[/\\\0]/.test(student) || student === '.' || student === '..') throw new UserError(`${where}:${line}: student id ${JSON.stringify(student)} cannot name a results file (no slashes)`);
    const row: RosterRow = { line, submission, student };
    for (const f of ['name', 'email', 'sisId', 'login', 'section', 'lmsId'] as const) {
      const v = get(f);
      if (v !== undefined) row[f] = v;
    }
    const dupS = roster.bySubmission.get(submission);
    if (dupS) throw new UserError(`${where}:${line}: submission ${JSON.stringify(submission)} is already on line ${dupS.line}`);
    const dupT = roster.byStudent.get(student);
    if (dupT) throw new UserError(`${where}:${line}: student ${JSON.stringify(student)} is already on line ${dupT.line}`);
    roster.rows.push(row);
    roster.bySubmission.set(submission, row);
    roster.byStudent.set(student, row);
  }
  return roster;
}

export function readRoster(file: string): Roster {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read the roster ${displayPath(file)}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  return parseRoster(text, file);
}

/**
 * The class's entries under their roster ids. Entries the roster doesn't
 * list keep their own name (`unlisted`); roster rows with no entry are
 * `absent` (they handed in nothing). Two entries mapped to one id cannot happen:
 * roster submissions and students are unique, and an unlisted name that is
 * some other row's student id is refused.
 */
export function applyRoster(entries: ClassEntry[], roster: Roster): { entries: ClassEntry[]; unlisted: string[]; absent: RosterRow[] } {
  const seen = new Set<string>();
  const unlisted: string[] = [];
  const mapped = entries.map((e) => {
    const row = roster.bySubmission.get(e.id);
    if (!row) {
      const clash = roster.byStudent.get(e.id);
      if (clash && clash.submission !== e.id) {
        throw new UserError(`${displayPath(roster.file)}:${clash.line}: student ${JSON.stringify(e.id)} is handed in as ${JSON.stringify(clash.submission)}, but the class folder also holds an entry named ${JSON.stringify(e.id)} that the roster doesn't list`);
      }
      unlisted.push(e.id);
      return e;
    }
    seen.add(row.submission);
    return { ...e, id: row.student };
  });
  return { entries: mapped, unlisted, absent: roster.rows.filter((r) => !seen.has(r.submission)) };
}
