/**
 * A class root: each entry is one student's submission. A folder is graded as
 * it is; anything else (a stray file, an empty folder) is that student's error
 * result, never the end of the batch. The student id is the entry's name.
 */
import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../util/errors.ts';
import { displayPath } from '../util/paths.ts';

export interface ClassEntry {
  id: string;
  /** The folder to grade. */
  dir: string;
  /** Why this entry is not a submission (then it is not graded). */
  problem?: string;
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
    else if (!st.isDirectory()) out.push({ id: name, dir, problem: `is a file, not a submission folder (expected a folder holding ${entry}; archives are not unpacked yet)` });
    else {
      const files = readdirSync(dir).filter((f) => !f.startsWith('.'));
      if (!files.length) out.push({ id: name, dir, problem: `is an empty folder (expected ${entry})` });
      else if (!files.includes(entry)) out.push({ id: name, dir, problem: `has no ${entry} (it holds: ${files.slice(0, 8).join(', ')}${files.length > 8 ? ', …' : ''})` });
      else out.push({ id: name, dir });
    }
  }
  if (!out.length) throw new UserError(`the class folder ${displayPath(root)} is empty`, { hint: 'it should hold one folder per student' });
  return out;
}
