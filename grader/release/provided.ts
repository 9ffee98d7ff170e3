/**
 * Provided read-only files (`/release/readOnly` of a release's spec): a student's copy whose hash
 * differs from the original is graded as the original (kept beside the spec in provided/), and the
 * result says so. A deleted one cannot be put back into their folder's imports: it is reported.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LoadedAssignment } from '../spec/load.ts';

export interface ProvidedCheck {
  /** Relative path → the original's text, to bundle instead of the student's copy. */
  overrides: Map<string, string>;
  /** What the result tells the student, one line per file. */
  notes: string[];
}

export function checkProvided(loaded: LoadedAssignment, submissionDir: string): ProvidedCheck {
  const out: ProvidedCheck = { overrides: new Map(), notes: [] };
  for (const { file, sha256 } of loaded.spec.release?.readOnly ?? []) {
    const theirs = path.join(submissionDir, file);
    const present = existsSync(theirs) && lstatSync(theirs).isFile();
    if (present && createHash('sha256').update(readFileSync(theirs)).digest('hex') === sha256) continue;
    const original = path.join(loaded.dir, 'provided', file);
    const haveOriginal = existsSync(original) && createHash('sha256').update(readFileSync(original)).digest('hex') === sha256;
    if (!present) out.notes.push(`${file} is provided and must not be changed, but it is missing from your submission: restore it from the starter`);
    else if (haveOriginal) {
      out.overrides.set(file, readFileSync(original, 'utf8'));
      out.notes.push(`${file} is provided and must not be changed, but yours differs from the original: it was graded with the original`);
    } else out.notes.push(`${file} is provided and must not be changed, but yours differs from the original (graded as you have it here; the instructor's grading uses the original)`);
  }
  return out;
}
