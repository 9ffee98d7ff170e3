/**
 * One submission through the whole path: tasks from each part kind, the
 * reference's values (cached), the submission bundled and scanned, its tasks
 * run in the sandbox, then judged and scored here in the trusted parent.
 */
import { mkdtempSync, mkdirSync, rmSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SpecError, type LoadedAssignment } from './spec/load.ts';
import type { PartBase } from './spec/types.ts';
import { partKinds } from './parts/registry.ts';
import type { PartTasks } from './parts/types.ts';
import { loadReference, referenceValues, callReference, type Reference } from './reference/reference.ts';
import { bundleExports, bundleSubmission, type BundledSubmission } from './submission/bundle.ts';
import { findViolations } from './submission/scan.ts';
import { Sandbox, type TaskOutcome } from './sandbox/sandbox.ts';
import { detectIsolation, prepareDirsForChild, type Isolation } from './sandbox/isolation.ts';
import { redactPaths } from './judge/redact-paths.ts';
import { locateInStack, formatLocation } from './sandbox/locate.ts';
import { allocatePoints, statusFor, totalScore } from './judge/score.ts';
import { RESULT_FORMAT_VERSION, type GradeResult, type PartResult } from './judge/result.ts';
import { isUserError, UserError } from './util/errors.ts';
import { fixturesUsed, loadDatasetFixtures } from './fixtures/resolve.ts';
import { packageRoot } from './util/paths.ts';

export interface GradeOptions {
  /** Grade every part, not only the visible ones (instructors). */
  all?: boolean;
  /** Only these part ids. */
  only?: string[];
  /** Who reads the result: a student's self-check hides expected values of `feedback: "verdict"` parts. Default: instructor with `all`, else student. */
  audience?: 'student' | 'instructor';
  /** The sandbox's OS layers (default: what this machine offers; see requireIsolation). */
  isolation?: Isolation;
}

/** For a student, a `feedback: "verdict"` part says which checks failed but not what was expected. */
export function verdictOnly(p: PartResult): PartResult {
  const checks = p.checks.map((c) => {
    const { expected: _e, worst: _w, maxAbsError: _a, maxRelError: _r, ...rest } = c;
    return { ...rest, message: c.passed ? 'correct' : 'incorrect' };
  });
  const failed = checks.filter((c) => !c.passed).map((c) => `${c.name}: incorrect`);
  const errors = p.status === 'error' || p.status === 'timeout' ? p.messages : [];
  return { ...p, checks, messages: [...errors, ...failed] };
}

export const NNGRADE_VERSION: string = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version;

function tfjsVersion(): string | undefined {
  try {
    return JSON.parse(readFileSync(path.join(packageRoot(), 'node_modules', '@tensorflow', 'tfjs-core', 'package.json'), 'utf8')).version;
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
  expected: Map<string, unknown>;
  /** Parts left out because their data set is missing (only with skipMissingData). */
  skipped: { part: string; reason: string }[];
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
  if (parts.some((p) => partKinds[p.kind].usesTf)) await (await import('./tf/backend.ts')).initTf();
  // Only what these parts need (tree-shaken): from-scratch parts then do not load tf in the grader.
  const needed = parts.flatMap((p) => [...partKinds[p.kind].exportsUsed(p), ...(partKinds[p.kind].referenceExportsUsed?.(p) ?? [])]);
  const reference = await loadReference(loaded.referenceEntry, needed);
  const missing = [...new Set(needed)].filter((n) => !(n in reference.module));
  if (missing.length) throw new UserError(`the reference does not export ${missing.map((m) => `"${m}"`).join(', ')}, which the parts call`, { where: loaded.referenceEntry });
  const tasks = new Map<string, PartTasks>();
  for (const p of parts) tasks.set(p.id, partKinds[p.kind].tasks(p, { spec, fixtures: loaded.fixtures, index: spec.parts.indexOf(p) }));
  const all = [...tasks.values()].flatMap((t) => t.reference);
  const expected = await referenceValues(reference, all, (t) => `task ${t.id}`);
  const problems = (await Promise.all(parts.map((p) => partKinds[p.kind].check?.(p, expected) ?? []))).flat();
  if (problems.length) throw new SpecError(loaded.file, problems.map((p) => ({ ...p, where: loaded.where(p.pointer) })));
  return { loaded, reference, tasks, expected, skipped };
}

/** What grading one part needs from the run around it. */
interface PartRun {
  prep: PreparedAssignment;
  opts: GradeOptions;
  selected: Set<string>;
  sub: BundledSubmission;
  compileMessage?: string;
  /** The sandbox a part runs in: parts that need no tf get one without it when the submission allows. */
  sandboxFor(part: PartBase): Sandbox;
  backends: Set<string>;
}

function skippedPart(part: PartBase, run: PartRun): PartResult {
  const { prep, opts, selected } = run;
  const why = selected.has(part.id)
    ? `not graded: ${prep.skipped.find((x) => x.part === part.id)?.reason ?? 'not prepared'}`
    : opts.only && !opts.only.includes(part.id)
      ? 'not selected (--part)'
      : `not checked here (${part.visibility}); the instructor grades it`;
  return { id: part.id, title: part.title, kind: part.kind, visibility: part.visibility, maxScore: part.points, score: 0, status: 'skipped', messages: [why], checks: [], durationMs: 0 };
}

async function gradePart(part: PartBase, run: PartRun): Promise<PartResult> {
  const { prep, opts, sub, backends } = run;
  const { spec } = prep.loaded;
  const kind = partKinds[part.kind];
  const base = { id: part.id, title: part.title, kind: part.kind, visibility: part.visibility, maxScore: part.points };
  const p0 = performance.now();
  const pt = prep.tasks.get(part.id);
  if (!run.selected.has(part.id) || !pt) return skippedPart(part, run);
  if (run.compileMessage && pt.student.length) {
    return { ...base, score: 0, status: 'error', messages: [`the submission does not compile:\n${run.compileMessage}`], checks: [], durationMs: 0, location: sub.compileErrors[0]?.location };
  }
  if (part.forbid) {
    const violations = kind.exportsUsed(part).flatMap((e) => findViolations(sub, e, part.forbid!));
    if (violations.length) {
      return {
        ...base, score: 0, status: 'failed', checks: [], durationMs: performance.now() - p0, location: violations[0].location,
        messages: violations.map((v) => `${formatLocation(v.location)}: ${v.message}`),
      };
    }
  }
  const outcomes = new Map<string, TaskOutcome>();
  for (const t of pt.student) {
    const o = await run.sandboxFor(part).run(t, part.timeoutMs ?? spec.limits?.timeoutMs ?? 10_000);
    if (o.backend) backends.add(o.backend);
    outcomes.set(t.id, o);
  }
  const j = await kind.judge(part, {
    student: outcomes,
    reference: prep.expected,
    callReference: (name, args) => callReference(prep.reference, name, args),
    fixtures: prep.loaded.fixtures,
    submissionDir: sub.dir,
    locate: (stack) => locateInStack(stack, sub.dir),
  });
  if (j.backend) backends.add(j.backend);
  const score = allocatePoints(j.checks, part.points);
  const result: PartResult = {
    ...base,
    score,
    status: j.status ?? statusFor(score, part.points),
    messages: j.messages,
    checks: j.checks,
    durationMs: performance.now() - p0,
    ...(j.location ? { location: j.location } : {}),
    ...(j.output ? { output: j.output } : {}),
    ...(j.artifacts?.length ? { artifacts: j.artifacts } : {}),
  };
  const audience = opts.audience ?? (opts.all ? 'instructor' : 'student');
  return audience === 'student' && part.feedback === 'verdict' ? verdictOnly(result) : result;
}

export async function gradeSubmission(prep: PreparedAssignment, submissionDir: string, opts: GradeOptions = {}): Promise<GradeResult> {
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const { spec } = prep.loaded;
  const selected = selectParts(spec.parts, opts);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'nngrade-'));
  const workDir = path.join(tmp, 'work');
  mkdirSync(workDir);
  const bundleDir = path.join(tmp, 'bundle');
  mkdirSync(bundleDir);
  prepareDirsForChild(tmp, bundleDir, workDir);
  const parts: PartResult[] = [];
  const backends = new Set<string>();
  const isolation = opts.isolation ?? detectIsolation();
  // A backstop behind the per-task time limits: twice their sum in CPU seconds, plus start-up.
  const limitMs = spec.parts.filter((p) => selected.has(p.id)).reduce((n, p) => n + (prep.tasks.get(p.id)?.student.length ?? 0) * (p.timeoutMs ?? spec.limits?.timeoutMs ?? 10_000), 0);
  const options = { workDir, memoryMb: spec.limits?.memoryMb ?? 1024, readDirs: [path.join(packageRoot(), 'node_modules')], isolation, cpuSeconds: 2 * limitMs / 1000 + 60 };
  const main = new Sandbox({ ...options, bundle: path.join(bundleDir, 'submission.mjs') });
  let plain: Sandbox | undefined;
  const hasTasks = (p: PartBase) => selected.has(p.id) && (prep.tasks.get(p.id)?.student.length ?? 0) > 0;
  try {
    // The child process starts while the submission is bundled.
    if (spec.parts.some(hasTasks)) main.warm();
    const sub = await bundleSubmission(submissionDir, spec.submission.entry, bundleDir);
    const compileMessage = sub.compileErrors.length
      ? sub.compileErrors.map((e) => `${e.location ? `${formatLocation(e.location)}: ` : ''}${e.message}${e.lineText ? `\n    ${e.lineText.trim()}` : ''}`).join('\n')
      : undefined;
    // Loading tf costs ~0.5 s: when the submission imports it but some parts need no tf, those run
    // from a tree-shaken bundle of their exports in a tf-free process (the one already warming up).
    const plainParts = spec.parts.filter((p) => hasTasks(p) && !partKinds[p.kind].usesTf);
    const plainBundle = sub.usesTf && plainParts.length ? await bundleExports(sub, plainParts.flatMap((p) => partKinds[p.kind].exportsUsed(p)), path.join(bundleDir, 'plain.mjs')) : undefined;
    if (plainBundle) {
      plain = main;
      plain.useBundle(plainBundle, false);
    } else main.useBundle(path.join(bundleDir, 'submission.mjs'), sub.usesTf);
    let full: Sandbox | undefined = plainBundle ? undefined : main;
    const sandboxFor = (p: PartBase): Sandbox => {
      if (plain && !partKinds[p.kind].usesTf) return plain;
      return (full ??= new Sandbox({ ...options, bundle: path.join(bundleDir, 'submission.mjs'), tf: sub.usesTf }));
    };
    const run: PartRun = { prep, opts, selected, sub, compileMessage, sandboxFor, backends };
    try {
      const redact = (p: PartResult) => redactPaths(p, { [sub.dir]: '', [path.resolve(submissionDir)]: '', [tmp]: '<sandbox>', [packageRoot()]: '<nngrade>' });
      for (const part of spec.parts) parts.push(redact(await gradePart(part, run)));
    } finally {
      full?.close();
    }
  } finally {
    main.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  const graded = parts.filter((p) => p.status !== 'skipped');
  const { score, maxScore } = totalScore(graded);
  return {
    formatVersion: RESULT_FORMAT_VERSION,
    assignment: { id: spec.id, title: spec.title, version: spec.version },
    submission: { dir: path.resolve(submissionDir), entry: spec.submission.entry },
    score,
    maxScore,
    backend: backends.size ? [...backends].join('+') : 'none',
    ...(backends.size ? { tfjsVersion: tfjsVersion() } : {}),
    isolation: [...isolation.layers],
    durationMs: Math.round(performance.now() - t0),
    startedAt,
    nngradeVersion: NNGRADE_VERSION,
    parts,
  };
}
