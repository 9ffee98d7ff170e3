/**
 * `validate` grades the reference against its own spec, through the same path as a submission (bundle,
 * sandbox, judge): every part it does not get full marks on is a spec mistake (an output path that does
 * not exist, a property the reference itself fails, a forbidden import the reference needs), reported
 * with the part's JSON pointer. Parts that grade handed-in files (a trained model) are left out: the
 * reference's code cannot stand in for them.
 */
import { build } from 'esbuild';
import path from 'node:path';
import { SpecError } from '../spec/load.ts';
import { partKinds } from '../parts/registry.ts';
import { gradeSubmission, type PreparedAssignment } from '../grade.ts';
import type { Isolation } from '../sandbox/isolation.ts';
import { providedPackagesPlugin } from '../submission/bundle.ts';

/** The folder holding the reference and every local file it imports, and the entry relative to it. */
async function referenceRoot(entry: string): Promise<{ dir: string; entry: string }> {
  const r = await build({ entryPoints: [entry], bundle: true, write: false, metafile: true, platform: 'node', format: 'esm', logLevel: 'silent', plugins: [providedPackagesPlugin()] });
  const files = Object.keys(r.metafile.inputs).map((f) => path.resolve(f)).filter((f) => !f.includes(`${path.sep}node_modules${path.sep}`));
  let dir = path.dirname(path.resolve(entry));
  while (files.some((f) => path.relative(dir, f).startsWith('..'))) dir = path.dirname(dir);
  return { dir, entry: path.relative(dir, path.resolve(entry)) };
}

export interface SelfGrade {
  /** Parts graded (the rest grade handed-in files, or were not prepared). */
  graded: string[];
  left: { part: string; reason: string }[];
}

export async function selfGrade(prep: PreparedAssignment, isolation: Isolation): Promise<SelfGrade> {
  const { spec } = prep.loaded;
  if (!prep.loaded.referenceEntry) return { graded: [], left: [] };
  const left: SelfGrade['left'] = [];
  const only = spec.parts.filter((p) => {
    if (!prep.tasks.has(p.id)) return false;
    if (partKinds[p.kind].gradesHandedInFiles?.(p)) {
      left.push({ part: p.id, reason: 'it grades files a student hands in' });
      return false;
    }
    return true;
  }).map((p) => p.id);
  if (!only.length) return { graded: [], left };
  const root = await referenceRoot(prep.loaded.referenceEntry);
  // The reference stands where a submission would: its entry instead of the spec's.
  const asSubmission: PreparedAssignment = { ...prep, loaded: { ...prep.loaded, spec: { ...spec, submission: { ...spec.submission, entry: root.entry } } } };
  const result = await gradeSubmission(asSubmission, root.dir, { all: true, only, isolation });
  const problems = result.parts
    .filter((p) => only.includes(p.id) && p.score < p.maxScore - 1e-9)
    .map((p) => {
      const i = spec.parts.findIndex((x) => x.id === p.id);
      const failed = p.checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.message}`);
      const why = (failed.length ? failed : p.messages).slice(0, 3).join('; ');
      return { pointer: `/parts/${i}`, where: prep.loaded.where(`/parts/${i}`), message: `the reference itself gets ${Math.round(p.score * 100) / 100} of ${p.maxScore} points on part "${p.id}" (${p.status}): ${why}` };
    });
  if (problems.length) throw new SpecError(prep.loaded.file, problems);
  return { graded: only, left };
}
