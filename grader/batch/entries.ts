/**
 * A class root: each entry is one student's submission. A folder is graded as
 * it is, an archive once unpacked (archives.ts), the loose files of a Canvas
 * export gathered per student; anything else (a stray file, an empty folder)
 * is that student's error result, never the end of the batch. The student id
 * is the entry's name (an archive's without extension; `<student>_<user id>`
 * for Canvas files).
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
  /** Loose files of an LMS export (Canvas), gathered into one folder under these names before grading. */
  files?: { from: string; name: string }[];
}

/**
 * Canvas's "Download Submissions" zip holds loose files named
 * `<student>[_late|_LATE]_<user id>_<file id>_<file name>`; a file uploaded again carries `-1`, `-2`…
 * before its extension.
 */
const CANVAS = /^([A-Za-z0-9-]+?)(?:_late)?_(\d+)_(\d+)_(.+)$/i;

/** The loose Canvas files of a class folder, grouped per student (`<student>_<user id>`). */
function canvasGroups(root: string, names: string[], matched: Set<string>): Map<string, { from: string; name: string; fileId: number }[]> {
  const groups = new Map<string, { from: string; name: string; fileId: number }[]>();
  for (const n of names) {
    const m = CANVAS.exec(n);
    if (!m || m[4] === '.' || m[4] === '..' || !lstatSync(path.join(root, n)).isFile()) continue;
    matched.add(n);
    const id = `${m[1]}_${m[2]}`;
    groups.set(id, [...(groups.get(id) ?? []), { from: path.join(root, n), name: m[4], fileId: Number(m[3]) }]);
  }
  for (const files of groups.values()) {
    // The newest upload of a name wins (Canvas numbers re-uploads name-1.ext, name-2.ext; file ids grow).
    files.sort((a, b) => a.fileId - b.fileId);
    for (const f of files) {
      const plain = f.name.replace(/-\d+(\.[^.]+)$/, '$1');
      if (plain !== f.name) f.name = plain;
    }
    const latest = new Map(files.map((f) => [f.name, f]));
    files.splice(0, files.length, ...latest.values());
  }
  return groups;
}

export function listClassRoot(root: string, entry: string): ClassEntry[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch (e) {
    throw new UserError(`cannot read the class folder ${displayPath(root)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { hint: 'pass a folder holding one folder per student' });
  }
  const out: ClassEntry[] = [];
  const visible = names.filter((n) => !n.startsWith('.')).sort();
  const grouped = new Set<string>();
  const canvas = canvasGroups(root, visible, grouped);
  for (const [id, files] of canvas) {
    const only = files.length === 1 && ARCHIVE.test(files[0].name) ? files[0] : undefined;
    if (only) out.push({ id, dir: only.from, archive: true });
    else out.push({ id, dir: path.join(root, id), files: files.map(({ from, name }) => ({ from, name })), ...(files.some((f) => f.name === entry) ? {} : { problem: `handed in ${files.map((f) => f.name).join(', ')}, but no ${entry}` }) });
  }
  for (const name of visible.filter((n) => !grouped.has(n))) {
    const dir = path.join(root, name);
    try {
      classify(name, dir);
    } catch (e) {
      out.push({ id: name, dir, problem: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
    }
  }
  function classify(name: string, dir: string): void {
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
