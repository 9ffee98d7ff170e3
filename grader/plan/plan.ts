/**
 * plan: everything that does not depend on a submission, done once per batch:
 * the spec's parts, fixtures and data sets, the reference's expected values
 * (cached), and the tasks each part sends to the sandbox.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { hashValue } from '../util/hash-value.ts';
import path from 'node:path';
import { createRequire } from 'node:module';
import { SpecError, type LoadedAssignment } from '../spec/load.ts';
import type { PartBase, PerStudentSeed } from '../spec/types.ts';
import { partKinds, usesTf } from '../parts/registry.ts';
import type { PartTasks } from '../parts/types.ts';
import type { Task } from '../sandbox/protocol.ts';
import { loadReference, readReferenceValues, referenceValues, taskKey, type Reference } from '../reference/reference.ts';
import { isUserError, UserError } from '../util/errors.ts';
import { fixturesUsed, loadDatasetFixtures, loadFixtures, perStudentFixtures, seedOf } from '../fixtures/resolve.ts';
import { packageRoot } from '../util/paths.ts';

export interface GradeOptions {
  /** Grade every part, not only the visible ones (instructors). */
  all?: boolean;
  /** Only these part ids. */
  only?: string[];
  /** Who reads the result: a student's self-check hides expected values of `feedback: "verdict"` parts. Default: instructor with `all`, else student. */
  audience?: 'student' | 'instructor';
}

export const NNGRADE_VERSION: string = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version;

export function tfjsVersion(): string | undefined {
  try {
    return JSON.parse(readFileSync(createRequire(path.join(packageRoot(), 'package.json')).resolve('@tensorflow/tfjs-core/package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** Which parts a run grades: visible ones for a student's check, all with --all. */
export function selectParts(parts: PartBase[], opts: GradeOptions): Set<string> {
  const ids = new Set<string>();
  for (const p of parts) {
    if (opts.only && !opts.only.includes(p.id)) continue;
    if (opts.all || p.visibility === 'visible') ids.add(p.id);
  }
  return ids;
}

export interface PreparedAssignment {
  loaded: LoadedAssignment;
  reference: Reference;
  tasks: Map<string, PartTasks>;
  /** What each part asks the submission, hashed when the plan is made (a recorded run answers a part only while this is unchanged). */
  taskHashes: Map<string, string>;
  expected: Map<string, unknown>;
  /** Parts left out because their data set is missing (only with skipMissingData). */
  skipped: { part: string; reason: string }[];
  /** The student this plan's per-student fixtures were drawn for, and their seeds. */
  variant?: { student: string; seeds: Record<string, number> };
}

export interface PrepareOptions {
  /** Prepare only these parts (default: all). */
  parts?: Set<string>;
  /** Leave out parts whose data set cannot be found (validate), instead of failing. */
  skipMissingData?: boolean;
}

/** Everything that does not depend on the submission, done once per assignment. */
export async function prepareAssignment(loaded: LoadedAssignment, opts: PrepareOptions = {}): Promise<PreparedAssignment> {
  const { spec } = loaded;
  const skipped: { part: string; reason: string }[] = [];
  const wanted = spec.parts.filter((p) => !opts.parts || opts.parts.has(p.id));
  const parts: PartBase[] = [];
  for (const p of wanted) {
    try {
      await loadDatasetFixtures(spec, loaded.dir, loaded.fixtures, fixturesUsed(p));
      parts.push(p);
    } catch (e) {
      if (!opts.skipMissingData || !isUserError(e)) throw e;
      skipped.push({ part: p.id, reason: [e.message, ...e.details, e.hint ? `to get it: ${e.hint}` : ''].filter(Boolean).join('; ') });
    }
  }
  // The reference builds its models with the grader's tf: set the backend before it creates any tensor.
  if (parts.some((p) => usesTf(p))) await (await import('../tf/backend.ts')).initTf();
  const tasks = new Map<string, PartTasks>();
  for (const p of parts) tasks.set(p.id, partKinds[p.kind].tasks(p, { spec, fixtures: loaded.fixtures, index: spec.parts.indexOf(p) }));
  let reference: Reference;
  let expected: Map<string, unknown>;
  if (loaded.referenceEntry) {
    // Only what these parts need (tree-shaken): from-scratch parts then do not load tf in the grader.
    // Every export a reference task calls (a tied part's model builder, a from-scratch predict) and the judge's calls.
    const taskExports = (t: Task) => [t.export, ...('predict' in t ? [t.predict] : []), ...('gradExport' in t && t.gradExport ? [t.gradExport] : []), ...('steps' in t ? (t.steps ?? []).map((x) => x.export) : [])];
    const needed = [...new Set([...parts.flatMap((p) => [...partKinds[p.kind].exportsUsed(p), ...(partKinds[p.kind].referenceExportsUsed?.(p) ?? [])]), ...[...tasks.values()].flatMap((t) => t.reference.flatMap(taskExports))])];
    reference = await loadReference(loaded.referenceEntry, needed);
    const missing = [...new Set(needed)].filter((n) => !(n in reference.module));
    if (missing.length) throw new UserError(`the reference does not export ${missing.map((m) => `"${m}"`).join(', ')}, which the parts call`, { where: loaded.referenceEntry });
    expected = await referenceValues(reference, [...tasks.values()].flatMap((t) => t.reference), (t) => `task ${t.id}`);
  } else {
    // A release: the values were computed from the reference when it was made; no reference code here.
    const file = loaded.referenceValues!;
    const recorded = readReferenceValues(file);
    reference = { entry: file, module: {}, hash: recorded.hash, precomputed: true };
    expected = new Map();
    for (const [id, t] of [...tasks]) {
      const stale = t.reference.filter((x) => recorded.values.get(x.id)?.key !== taskKey(x));
      if (stale.length) {
        tasks.delete(id);
        parts.splice(parts.findIndex((p) => p.id === id), 1);
        skipped.push({ part: id, reason: `its expected values are not in ${path.basename(file)} (the part was changed after the release was made, or its data was missing when it was made)` });
        continue;
      }
      for (const x of t.reference) expected.set(x.id, recorded.values.get(x.id)!.value);
    }
  }
  const taskHashes = new Map([...tasks].map(([id, t]) => [id, taskHash(t)]));
  const problems = (await Promise.all(parts.map((p) => partKinds[p.kind].check?.(p, expected) ?? []))).flat();
  if (problems.length) throw new SpecError(loaded.file, problems.map((p) => ({ ...p, where: loaded.where(p.pointer) })));
  return { loaded, reference, tasks, taskHashes, expected, skipped };
}


/**
 * The plan for one student's variant: the fixtures seeded per student drawn from their own seeds, and
 * the tasks and the reference's values of the parts that use them; everything else is shared. The
 * same plan when the assignment has no per-student fixtures.
 */
export async function prepareVariant(prep: PreparedAssignment, student: string): Promise<PreparedAssignment> {
  const { spec } = prep.loaded;
  const names = perStudentFixtures(spec);
  if (!names.length) return prep;
  const drawn = loadFixtures(spec, prep.loaded.dir, { student }, names);
  if (drawn.problems.length) throw new UserError(`the fixtures drawn for ${student} could not be made: ${drawn.problems[0].message}`);
  const fixtures = { ...prep.loaded.fixtures, ...drawn.fixtures };
  const loaded = { ...prep.loaded, fixtures };
  const tasks = new Map(prep.tasks);
  const changed = spec.parts.filter((p) => tasks.has(p.id) && [...fixturesUsed(p)].some((f) => names.includes(f)));
  for (const p of changed) tasks.set(p.id, partKinds[p.kind].tasks(p, { spec, fixtures, index: spec.parts.indexOf(p) }));
  const expected = new Map(prep.expected);
  if (changed.length) {
    if (prep.reference.precomputed) throw new UserError(`parts ${changed.map((p) => p.id).join(', ')} draw their fixtures per student, so they need the reference's code, which this release does not carry`, { hint: 'grade them with the private overlay (--private)' });
    const values = await referenceValues(prep.reference, changed.flatMap((p) => tasks.get(p.id)!.reference), (t) => `task ${t.id} (variant of ${student})`);
    for (const [k, v] of values) expected.set(k, v);
  }
  const taskHashes = new Map(prep.taskHashes);
  for (const p of changed) taskHashes.set(p.id, taskHash(tasks.get(p.id)));
  const seeds = Object.fromEntries(names.map((n) => [n, seedOf(spec, n, (spec.fixtures![n] as { seed: number | PerStudentSeed }).seed, { student })]));
  return { ...prep, loaded, tasks, taskHashes, expected, variant: { student, seeds } };
}

/** What a part asks the submission, as a hash: a recorded run can be re-judged only while this is unchanged. */
function taskHash(tasks: PartTasks | undefined): string {
  const h = createHash('sha256');
  hashValue(h, tasks?.student ?? []);
  return h.digest('hex').slice(0, 16);
}

/** The spec and reference a plan was made from, as one hash (recorded in batch manifests). */
export function planHash(prep: PreparedAssignment): string {
  return createHash('sha256').update(JSON.stringify(prep.loaded.spec)).update(prep.reference.hash).update(NNGRADE_VERSION).digest('hex').slice(0, 16);
}
