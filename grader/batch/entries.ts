/**
 * A class root: each entry is one student's submission. A folder is graded as
 * it is, an archive once unpacked (archives.ts); anything else (a stray file,
 * an empty folder) is that student's error result, never the end of the
 * batch. The student id is the entry's name (an archive's without extension).
 */
import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../util/errors.ts';
import { displayPath } from '../util/paths.ts';
import { ARCHIVE } from './archives.ts';

export interface ClassEntry {
  id: string;
  /** The folder to grade. */
  dir: string;
  /** Why this entry is not a submission (then it is not graded). */
  problem?: string;
  /** `dir` is an archive, unpacked before grading. */
  archive?: boolean;
}

export function listClassRoot(root: string, entry: string): ClassEntry[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch (e) {
    throw new UserError(`cannot read the class folder ${displayPath(root)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { hint: 'pass a folder holding one folder per student' });
  }
  const out: ClassEntry[] = [];
  for (const name of names.filter((n) => !n.startsWith('.')).sort()) {
    const dir = path.join(root, name);
    const st = lstatSync(dir);
    if (st.isSymbolicLink()) out.push({ id: name, dir, problem: 'is a symbolic link, not a folder: hand-ins are graded only from folders inside the class folder' });
    else if (!st.isDirectory()) {
      if (ARCHIVE.test(name)) out.push({ id: name.replace(ARCHIVE, ''), dir, archive: true });
      else out.push({ id: name, dir, problem: `is a file, not a submission (expected a folder holding ${entry}, or a .zip, .tar.gz, .tgz or .tar of one)` });
    }
    else {
      const files = readdirSync(dir).filter((f) => !f.startsWith('.'));
      if (!files.length) out.push({ id: name, dir, problem: `is an empty folder (expected ${entry})` });
      else if (!files.includes(entry)) out.push({ id: name, dir, problem: `has no ${entry} (it holds: ${files.slice(0, 8).join(', ')}${files.length > 8 ? ', …' : ''})` });
      else out.push({ id: name, dir });
    }
  }
  const seen = new Map<string, string>();
  for (const e of out) {
    const other = seen.get(e.id);
    if (other) e.problem = `has the same student id as ${other}: rename one of them`;
    else seen.set(e.id, path.basename(e.dir));
  }
  if (!out.length) throw new UserError(`the class folder ${displayPath(root)} is empty`, { hint: 'it should hold one folder per student' });
  return out;
}
