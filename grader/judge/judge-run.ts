/**
 * judge: (plan, run record) → GradeResult. Each part's checks from its kind's
 * judge over the recorded outcomes, scored; nothing runs in a sandbox and no
 * submission file is read, so a recorded run can be judged again (regrade).
 */
import { partKinds } from '../parts/registry.ts';
import type { PartBase } from '../spec/types.ts';
import { callReference } from '../reference/reference.ts';
import type { TaskOutcome } from '../sandbox/sandbox.ts';
import { locateInStack, formatLocation } from '../sandbox/locate.ts';
import { allocatePoints, countedParts, pendingOf, statusFor, totalScore } from './score.ts';
import { RESULT_FORMAT_VERSION, type GradeResult, type PartResult } from './result.ts';
import { redactPaths, redactText } from './redact-paths.ts';
import { moduleDirs, packageRoot } from '../util/paths.ts';
import { NNGRADE_VERSION, tfjsVersion, type GradeOptions, type PreparedAssignment } from '../plan/plan.ts';
import type { RunRecord } from '../run/record.ts';

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

function skippedPart(part: PartBase, prep: PreparedAssignment, record: RunRecord, opts: GradeOptions): PartResult {
  const why = record.selected.includes(part.id)
    ? `not graded: ${prep.skipped.find((x) => x.part === part.id)?.reason ?? 'not prepared'}`
    : opts.only && !opts.only.includes(part.id)
      ? 'not selected (--part)'
      : `not checked here (${part.visibility}); the instructor grades it`;
  return { id: part.id, title: part.title, kind: part.kind, visibility: part.visibility, maxScore: part.points, score: 0, status: 'skipped', messages: [why], checks: [], durationMs: 0 };
}

async function judgePart(part: PartBase, prep: PreparedAssignment, record: RunRecord, opts: GradeOptions, backends: Set<string>): Promise<PartResult> {
  const kind = partKinds[part.kind];
  const base = { id: part.id, title: part.title, kind: part.kind, visibility: part.visibility, maxScore: part.points };
  const run = record.parts[part.id];
  const pt = prep.tasks.get(part.id);
  if (!run || !pt || !record.selected.includes(part.id)) return skippedPart(part, prep, record, opts);
  const p0 = performance.now();
  const errors = record.bundle.compileErrors;
  if (errors.length && pt.student.length) {
    const text = errors.map((e) => `${e.location ? `${formatLocation(e.location)}: ` : ''}${e.message}${e.lineText ? `\n    ${e.lineText.trim()}` : ''}`).join('\n');
    return { ...base, score: 0, status: 'error', messages: [`the submission does not compile:\n${text}`], checks: [], durationMs: 0, location: errors[0]?.location };
  }
  if (run.violations?.length) {
    return {
      ...base, score: 0, status: 'failed', checks: [], durationMs: run.ms, location: run.violations[0].location,
      messages: run.violations.map((v) => `${formatLocation(v.location)}: ${v.message}`),
    };
  }
  const student = new Map<string, TaskOutcome>(Object.entries(record.outcomes));
  for (const t of pt.student) {
    const b = student.get(t.id)?.backend;
    if (b) backends.add(b);
  }
  const j = await kind.judge(part, {
    student,
    reference: prep.expected,
    callReference: (name, args) => callReference(prep.reference, name, args),
    fixtures: prep.loaded.fixtures,
    spec: prep.loaded.spec,
    submissionDir: record.submission.realDir,
    locate: (stack) => locateInStack(stack, record.submission.realDir),
    typecheck: record.typecheck,
  });
  if (j.backend) backends.add(j.backend);
  const score = allocatePoints(j.checks, part.points);
  const result: PartResult = {
    ...base,
    score,
    status: j.status ?? statusFor(score, part.points),
    messages: j.messages,
    checks: j.checks,
    durationMs: run.ms + (performance.now() - p0),
    ...(j.location ? { location: j.location } : {}),
    ...(j.output ? { output: j.output } : {}),
    ...(j.artifacts?.length ? { artifacts: j.artifacts } : {}),
    ...(j.manual ? { manual: j.manual } : {}),
  };
  const audience = opts.audience ?? (opts.all ? 'instructor' : 'student');
  return audience === 'student' && part.feedback === 'verdict' ? verdictOnly(result) : result;
}

export async function judgeRun(prep: PreparedAssignment, record: RunRecord, opts: GradeOptions = {}): Promise<GradeResult> {
  const t0 = performance.now();
  const { spec } = prep.loaded;
  const backends = new Set<string>();
  const names = { [record.submission.realDir]: '', [record.submission.dir]: '', [record.sandboxDir]: '<sandbox>', [packageRoot()]: '<nngrade>', ...Object.fromEntries(moduleDirs().map((d) => [d, '<node_modules>'])) };
  const parts: PartResult[] = [];
  for (const part of spec.parts) parts.push(redactPaths(await judgePart(part, prep, record, opts, backends), names));
  const { score, maxScore } = totalScore(countedParts(parts));
  const pending = pendingOf(parts);
  return {
    formatVersion: RESULT_FORMAT_VERSION,
    assignment: { id: spec.id, title: spec.title, version: spec.version },
    submission: { dir: record.submission.dir, entry: record.submission.entry },
    score,
    maxScore,
    backend: backends.size ? [...backends].join('+') : 'none',
    ...(backends.size ? { tfjsVersion: tfjsVersion() } : {}),
    isolation: record.isolation,
    durationMs: Math.round(record.durationMs + (performance.now() - t0)),
    startedAt: record.startedAt,
    nngradeVersion: NNGRADE_VERSION,
    ...(pending ? { pending } : {}),
    ...(prep.variant ? { variant: prep.variant } : {}),
    ...(record.notes?.length ? { notes: record.notes } : {}),
    ...(record.typecheck ? { typecheck: { problems: record.typecheck.problems.map((x) => ({ ...x, message: redactText(x.message, names) })), ...(record.typecheck.skipped ? { skipped: record.typecheck.skipped } : {}), scored: spec.parts.some((p) => p.kind === 'typecheck' && record.selected.includes(p.id)) } } : {}),
    ...(spec.release?.gradedLater?.length ? { gradedLater: spec.release.gradedLater } : {}),
    ...(record.bundle.compileErrors.length ? { formatErrors: record.bundle.compileErrors.map((e) => `${e.location ? `${formatLocation(e.location)}: ` : ''}${e.message}`) } : {}),
    parts,
  };
}
