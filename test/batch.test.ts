// Grading a class folder: broken entries are their students' errors, results and run records on disk,
// resume after a kill -9, regrade from run records without a sandbox, determinism.
import { beforeAll, describe, expect, it } from 'vitest';
import type { GradeResult } from '../grader/judge/result.ts';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAssignment } from '../grader/spec/load.ts';
import { gradeSubmission, prepareAssignment, type PreparedAssignment } from '../grader/grade.ts';
import { listClassRoot } from '../grader/batch/entries.ts';
import { gradeBatch, readManifest, regradeBatch, resultFile, runFile } from '../grader/batch/batch.ts';
import { detectIsolation } from '../grader/sandbox/isolation.ts';
import { Sandbox } from '../grader/sandbox/sandbox.ts';
import { CLI, ROOT, cli, exampleDir, specVariant } from './helpers.ts';

const SCRATCH = ['scratch-forward', 'scratch-backprop', 'scratch-gradcheck', 'scratch-backprop-hidden'];
const EXPECTED = JSON.parse(readFileSync(path.join(ROOT, 'submissions', 'fashion-mnist-hw4', 'EXPECTED.json'), 'utf8'));
const scratchScore = (name: string) => SCRATCH.reduce((s, p) => s + EXPECTED[name].parts[p], 0);

/** The from-scratch parts of fashion-mnist-hw4 only: fast, no tf. */
function scratchSpec(edit: (s: Record<string, any>) => void = () => {}): string {
  return specVariant('fashion-mnist-hw4', (s) => {
    s.parts = s.parts.filter((p: { id: string }) => SCRATCH.includes(p.id));
    s.points = s.parts.reduce((n: number, p: { points: number }) => n + p.points, 0);
    edit(s);
  });
}

function classFolder(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'nngrade-class-'));
  for (const name of ['correct', 'b1-row', 'relu-hidden', 'missing-1-over-n']) cpSync(exampleDir('fashion-mnist-hw4', name), path.join(root, name), { recursive: true });
  mkdirSync(path.join(root, 'empty'));
  mkdirSync(path.join(root, 'wrong-entry'));
  writeFileSync(path.join(root, 'wrong-entry', 'main.ts'), 'export const x = 1;\n');
  writeFileSync(path.join(root, 'notes.txt'), 'not a submission\n');
  mkdirSync(path.join(root, 'syntax-error'));
  writeFileSync(path.join(root, 'syntax-error', 'submission.ts'), 'export function forwardPropagation( {\n');
  return root;
}

let spec: string;
let prep: PreparedAssignment;
let root: string;
const isolation = detectIsolation();

beforeAll(async () => {
  spec = scratchSpec();
  prep = await prepareAssignment(loadAssignment(spec));
  root = classFolder();
});

describe('grade <assignment> <class-folder>', () => {
  it('grades each folder, makes broken entries error results with a reason, and writes results, run records and a manifest', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'nngrade-out-'));
    const entries = listClassRoot(root, 'submission.ts');
    const s = await gradeBatch(prep, entries, { out, workers: 2, isolation });
    expect(s.graded).toBe(5);
    expect(s.errors).toBe(3);
    const m = readManifest(out)!;
    expect(Object.keys(m.submissions).sort()).toEqual(['b1-row', 'correct', 'empty', 'missing-1-over-n', 'notes.txt', 'relu-hidden', 'syntax-error', 'wrong-entry']);
    for (const name of ['correct', 'b1-row', 'relu-hidden', 'missing-1-over-n']) {
      expect(m.submissions[name].score, name).toBeCloseTo(scratchScore(name), 9);
      expect(existsSync(runFile(out, name))).toBe(true);
    }
    expect(m.submissions['syntax-error']).toMatchObject({ status: 'graded', score: 0 });
    expect(m.submissions.empty).toMatchObject({ status: 'error', message: expect.stringContaining('empty folder (expected submission.ts)') });
    expect(m.submissions['wrong-entry'].message).toContain('has no submission.ts (it holds: main.ts)');
    expect(m.submissions['notes.txt'].message).toContain('is a file, not a submission (expected a folder holding submission.ts, or a .zip');
    const empty = JSON.parse(readFileSync(resultFile(out, 'empty'), 'utf8'));
    expect(empty.parts.every((p: { status: string }) => p.status === 'error')).toBe(true);
    // No temp files left behind by the atomic writes.
    expect(readdirSync(path.join(out, 'results')).every((f) => f.endsWith('.json'))).toBe(true);
  });

  it('the CLI: exit 1 when some hand-ins could not be graded, 0 when all could; a usage mistake is 2', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'nngrade-out-'));
    expect(cli(['grade', spec, root, '--out', out, '--isolation', 'auto', '--json']).code).toBe(1);
    const clean = mkdtempSync(path.join(os.tmpdir(), 'nngrade-class-'));
    cpSync(exampleDir('fashion-mnist-hw4', 'correct'), path.join(clean, 'alice'), { recursive: true });
    const r = cli(['grade', spec, clean, '--out', mkdtempSync(path.join(os.tmpdir(), 'nngrade-out-')), '--isolation', 'auto', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({ id: 'alice', score: 12, maxScore: 12, status: 'graded' });
    // A roster files the hand-in under the student's id and names who handed in nothing.
    const roster = path.join(clean, '..', `${path.basename(clean)}-roster.csv`);
    writeFileSync(roster, 'Submission,Student,Email\nalice,s1001,alice@uni.edu\nbob,s1002,bob@uni.edu\n');
    const rOut = mkdtempSync(path.join(os.tmpdir(), 'nngrade-out-'));
    const withRoster = cli(['grade', spec, clean, '--out', rOut, '--roster', roster, '--isolation', 'auto', '--json']);
    expect(withRoster.code).toBe(0);
    expect(JSON.parse(withRoster.stdout.trim())).toMatchObject({ id: 's1001', score: 12 });
    expect(withRoster.stderr).toContain('on the roster with no hand-in');
    expect(withRoster.stderr).toContain('s1002');
    expect(readManifest(rOut)!.absent).toEqual(['s1002']);
    expect(JSON.parse(readFileSync(resultFile(rOut, 's1001'), 'utf8')).submission.student).toBe('s1001');
    writeFileSync(roster, 'Submission,Student\nalice,s1\nbob,s1\n');
    const badRoster = cli(['grade', spec, clean, '--out', rOut, '--roster', roster, '--isolation', 'auto']);
    expect(badRoster.code).toBe(2);
    expect(badRoster.stderr).toContain('-roster.csv:3: student "s1" is already on line 2');
    const bad = cli(['grade', spec, clean, '--workers', 'zero', '--isolation', 'auto']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--workers expects a whole number');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it('is deterministic: the same hand-in graded twice gives the same scores and messages', async () => {
    const dir = path.join(root, 'relu-hidden');
    const [a, b] = [await gradeSubmission(prep, dir, { all: true }), await gradeSubmission(prep, dir, { all: true })];
    const strip = (r: typeof a) => r.parts.map((p) => ({ id: p.id, score: p.score, status: p.status, messages: p.messages, checks: p.checks }));
    expect(strip(a)).toEqual(strip(b));
  });

  it('judging in the worker thread gives the same results as judging in this thread', async () => {
    // The tf parts too (a worker thread judges only plans that rebuild or evaluate models).
    const tfSpec = specVariant('fashion-mnist-hw4', (s) => {
      s.parts = s.parts.filter((p: { id: string }) => [...SCRATCH, 'ffn-architecture', 'ffn-accuracy'].includes(p.id));
      s.points = s.parts.reduce((n: number, p: { points: number }) => n + p.points, 0);
    });
    const prep = await prepareAssignment(loadAssignment(tfSpec));
    // Right, wrong and not a submission: enough to see the two ways judge alike.
    const entries = listClassRoot(root, 'submission.ts').filter((e) => ['correct', 'relu-hidden', 'empty'].includes(e.id));
    const [worker, here] = [mkdtempSync(path.join(os.tmpdir(), 'nngrade-out-')), mkdtempSync(path.join(os.tmpdir(), 'nngrade-out-'))];
    await gradeBatch(prep, entries, { out: worker, workers: 1, isolation });
    await gradeBatch(prep, entries, { out: here, workers: 1, isolation, judgeInThread: true });
    const strip = (r: GradeResult) => ({ score: r.score, parts: r.parts.map((p) => ({ id: p.id, score: p.score, status: p.status, messages: p.messages, checks: p.checks.map((c) => ({ ...c })) })) });
    for (const e of entries) {
      const read = (out: string) => strip(JSON.parse(readFileSync(resultFile(out, e.id), 'utf8')) as GradeResult);
      expect(read(worker), e.id).toEqual(read(here));
    }
  });
});

describe('a hand-in that hangs or crashes', () => {
  it('costs only its own time limit: the batch goes on, the others are graded as usual', async () => {
    const quick = await prepareAssignment(loadAssignment(scratchSpec((sp) => { sp.limits = { timeoutMs: 800 }; })));
    const cls = mkdtempSync(path.join(os.tmpdir(), 'nngrade-class-'));
    for (const n of ['a', 'b']) cpSync(exampleDir('fashion-mnist-hw4', 'correct'), path.join(cls, n), { recursive: true });
    for (const [n, body] of [['hangs', 'for (;;) {}'], ['crashes', 'process.exit(3);']]) {
      cpSync(exampleDir('fashion-mnist-hw4', 'correct'), path.join(cls, n), { recursive: true });
      // Every export the parts call hangs (or ends the process) as soon as it is called.
      const scratch = readFileSync(path.join(cls, n, 'scratch.ts'), 'utf8').replace(/^export function (\w+)\(([^)]*)\)([^{]*)\{/gm, (_m, f, a, r) => `export function ${f}(${a})${r}{\n  ${body}`);
      writeFileSync(path.join(cls, n, 'scratch.ts'), scratch);
    }
    const out = mkdtempSync(path.join(os.tmpdir(), 'nngrade-out-'));
    const s = await gradeBatch(quick, listClassRoot(cls, 'submission.ts'), { out, workers: 2, isolation });
    expect(s.graded).toBe(4);
    const result = (id: string) => JSON.parse(readFileSync(resultFile(out, id), 'utf8')) as GradeResult;
    for (const n of ['a', 'b']) expect(result(n).score, n).toBe(result(n).maxScore);
    expect(result('hangs').parts.map((p) => p.status)).toEqual(SCRATCH.map(() => 'timeout'));
    expect(result('hangs').parts[0].messages[0]).toMatch(/0\.8 s/);
    expect(result('crashes').parts.every((p) => p.status === 'error' && p.score === 0)).toBe(true);
  }, 120_000);
});

describe('resume', () => {
  it('after a kill -9 mid-batch, --resume grades only what is missing, and keeps what was written', async () => {
    const many = mkdtempSync(path.join(os.tmpdir(), 'nngrade-class-'));
    for (let i = 0; i < 6; i++) cpSync(exampleDir('fashion-mnist-hw4', i % 2 ? 'b1-row' : 'correct'), path.join(many, `s${i}`), { recursive: true });
    const out = mkdtempSync(path.join(os.tmpdir(), 'nngrade-out-'));
    const child = spawn(process.execPath, [CLI, 'grade', spec, many, '--out', out, '--workers', '1', '--isolation', 'auto'], { stdio: 'ignore', env: { ...process.env } });
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => {
        const done = existsSync(path.join(out, 'results')) ? readdirSync(path.join(out, 'results')).filter((f) => f.endsWith('.json')).length : 0;
        if (done >= 2) { clearInterval(t); child.kill('SIGKILL'); resolve(); }
      }, 20);
      child.on('exit', () => { clearInterval(t); reject(new Error('the batch finished before it could be killed')); });
    });
    await new Promise((r) => child.on('exit', r));
    const recorded = Object.keys(readManifest(out)?.submissions ?? {});
    expect(recorded.length).toBeGreaterThanOrEqual(1);
    expect(recorded.length).toBeLessThan(6);
    const mtimes = new Map(recorded.map((id) => [id, statSync(resultFile(out, id)).mtimeMs]));
    const s = await gradeBatch(prep, listClassRoot(many, 'submission.ts'), { out, workers: 2, resume: true, isolation });
    const m = readManifest(out)!;
    // What the manifest recorded before the kill is kept as it was; the rest (a result written just before
    // the kill included) is graded now: nothing lost, nothing graded twice.
    expect(s.skipped).toBe(recorded.length);
    expect(s.graded).toBe(6 - recorded.length);
    for (const [id, t] of mtimes) expect(statSync(resultFile(out, id)).mtimeMs, id).toBe(t);
    expect(Object.keys(m.submissions).sort()).toEqual(['s0', 's1', 's2', 's3', 's4', 's5']);
    expect(readdirSync(path.join(out, 'results')).filter((f) => !f.endsWith('.json'))).toEqual([]);
    for (let i = 0; i < 6; i++) expect(m.submissions[`s${i}`].score).toBeCloseTo(scratchScore(i % 2 ? 'b1-row' : 'correct'), 9);
    // A second resume: nothing to do, no sandbox started.
    const spawned = Sandbox.spawned;
    const again = await gradeBatch(prep, listClassRoot(many, 'submission.ts'), { out, workers: 2, resume: true, isolation });
    expect(again.skipped).toBe(6);
    expect(Sandbox.spawned).toBe(spawned);
  }, 120_000);
});

describe('regrade', () => {
  it('after a tolerance change re-judges from the run records: exactly the affected scores change, no sandbox starts', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'nngrade-out-'));
    await gradeBatch(prep, listClassRoot(root, 'submission.ts'), { out, workers: 2, isolation });
    // A looser tolerance on the backprop outputs: gradients of the right shapes but wrong values (ReLU for
    // sigmoid, a missing 1/N) now pass; a wrong shape (b1 as a row) still fails, and the correct hand-in is unchanged.
    const loose = await prepareAssignment(loadAssignment(scratchSpec((s) => {
      const p = s.parts.find((x: { id: string }) => x.id === 'scratch-backprop');
      p.compare = { rtol: 100, atol: 100 };
      delete p.outputs;
    })));
    const spawned = Sandbox.spawned;
    const { changes } = await regradeBatch(loose, out);
    expect(Sandbox.spawned).toBe(spawned);
    expect(changes.map((c) => c.id)).toEqual(['missing-1-over-n', 'relu-hidden']);
    for (const c of changes) {
      expect(c.after).toBeGreaterThan(c.before);
      expect(readManifest(out)!.submissions[c.id].score).toBe(c.after);
    }
  });

  it('refuses when a part asks something the runs did not answer (new fixtures), naming the part', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'nngrade-out-'));
    await gradeBatch(prep, listClassRoot(root, 'submission.ts'), { out, workers: 2, isolation });
    const other = await prepareAssignment(loadAssignment(scratchSpec((s) => {
      for (const f of Object.values(s.fixtures) as { kind: string; seed?: number }[]) if (f.kind === 'numpy') f.seed = (f.seed ?? 0) + 1;
    })));
    await expect(regradeBatch(other, out)).rejects.toThrow(/cannot regrade without running the submissions again: parts? .*scratch-forward/);
  });
});

/** A zip of the files of `dir` under `prefix`, built with yazl; `patch` may rewrite stored names. */
async function zipOf(dir: string, prefix = '', extra: (z: import('yazl').ZipFile) => void = () => {}): Promise<Buffer> {
  const yazl = await import('yazl');
  const z = new yazl.ZipFile();
  for (const f of readdirSync(dir, { recursive: true }) as string[]) {
    const p = path.join(dir, f);
    if (statSync(p).isFile()) z.addBuffer(readFileSync(p), `${prefix}${f}`);
  }
  extra(z);
  z.end();
  const chunks: Buffer[] = [];
  for await (const c of z.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('archives as hand-ins', () => {
  it('grades .zip and .tar.gz hand-ins (a single top-level folder is descended into); refuses zip-slip, symlinks and corrupt archives', async () => {
    const { execFileSync } = await import('node:child_process');
    const cls = mkdtempSync(path.join(os.tmpdir(), 'nngrade-class-'));
    writeFileSync(path.join(cls, 'alice.zip'), await zipOf(exampleDir('fashion-mnist-hw4', 'correct')));
    const staging = mkdtempSync(path.join(os.tmpdir(), 'nngrade-stage-'));
    cpSync(exampleDir('fashion-mnist-hw4', 'b1-row'), path.join(staging, 'bob-hw4'), { recursive: true });
    execFileSync('tar', ['czf', path.join(cls, 'bob.tar.gz'), '-C', staging, 'bob-hw4']);
    cpSync(exampleDir('fashion-mnist-hw4', 'correct'), path.join(staging, 'frank'), { recursive: true });
    symlinkSync('/etc/passwd', path.join(staging, 'frank', 'leak.ts'));
    execFileSync('tar', ['czf', path.join(cls, 'frank.tar.gz'), '-C', staging, 'frank']);
    const slip = (await zipOf(exampleDir('fashion-mnist-hw4', 'correct'), '', (z) => z.addBuffer(Buffer.from('owned'), 'xx/evil-zipslip.txt'))).toString('latin1').split('xx/evil-zipslip.txt').join('../evil-zipslip.txt');
    writeFileSync(path.join(cls, 'carol.zip'), Buffer.from(slip, 'latin1'));
    writeFileSync(path.join(cls, 'dave.zip'), await zipOf(exampleDir('fashion-mnist-hw4', 'correct'), '', (z) => z.addBuffer(Buffer.from('/etc/passwd'), 'leak.ts', { mode: 0o120777 })));
    writeFileSync(path.join(cls, 'erin.zip'), Buffer.from('PK\u0003\u0004 this is not really a zip file'));
    const out = mkdtempSync(path.join(os.tmpdir(), 'nngrade-out-'));
    const s = await gradeBatch(prep, listClassRoot(cls, 'submission.ts'), { out, workers: 2, isolation });
    const m = readManifest(out)!.submissions;
    expect(m.alice).toMatchObject({ status: 'graded', score: scratchScore('correct') });
    expect(m.bob.status).toBe('graded');
    expect(m.bob.score).toBeCloseTo(scratchScore('b1-row'), 9);
    expect(m.carol).toMatchObject({ status: 'error', message: expect.stringContaining('"../evil-zipslip.txt", which points outside the archive') });
    expect(m.dave.message).toContain('"leak.ts", which is a symbolic link');
    expect(m.erin.message).toContain('erin.zip cannot be unpacked: it is not a readable zip file');
    expect(m.frank.message).toContain('"frank/leak.ts", which is a symbolic link: only files are accepted');
    expect(s.errors).toBe(4);
    for (const d of [os.tmpdir(), path.dirname(os.tmpdir()), cls]) expect(existsSync(path.join(d, 'evil-zipslip.txt'))).toBe(false);
    expect(JSON.parse(readFileSync(resultFile(out, 'alice'), 'utf8')).submission.dir).toBe(path.join(cls, 'alice.zip'));
  });
});

// Shards and merge: test/e2e/recipes.test.ts runs the docs' GitHub Actions and Kubernetes recipes.

describe('a Canvas "Download Submissions" folder', () => {
  it('groups loose <student>_<user id>_<file id>_<name> files per student, keeps the newest re-upload, unpacks a lone archive', async () => {
    const cls = mkdtempSync(path.join(os.tmpdir(), 'nngrade-canvas-'));
    const correct = exampleDir('fashion-mnist-hw4', 'correct');
    const relu = exampleDir('fashion-mnist-hw4', 'relu-hidden');
    for (const f of ['submission.ts', 'scratch.ts', 'models.ts']) writeFileSync(path.join(cls, `lovelaceada_1001_5001_${f}`), readFileSync(path.join(correct, f)));
    // Bob handed in twice: his first scratch.ts was the buggy one, the re-upload (scratch-1.ts, a newer file id) is right.
    for (const f of ['submission.ts', 'models.ts']) writeFileSync(path.join(cls, `babbagecharles_late_1002_5002_${f}`), readFileSync(path.join(correct, f)));
    writeFileSync(path.join(cls, 'babbagecharles_late_1002_5003_scratch.ts'), readFileSync(path.join(relu, 'scratch-mistake.ts')));
    writeFileSync(path.join(cls, 'babbagecharles_late_1002_5009_scratch-1.ts'), readFileSync(path.join(correct, 'scratch.ts')));
    writeFileSync(path.join(cls, 'hoppergrace_1003_5004_notes.md'), '# my notes\n');
    writeFileSync(path.join(cls, 'turingalan_1004_5005_hw4.zip'), await zipOf(correct, 'hw4/'));
    const out = mkdtempSync(path.join(os.tmpdir(), 'nngrade-out-'));
    await gradeBatch(prep, listClassRoot(cls, 'submission.ts'), { out, workers: 2, isolation });
    const m = readManifest(out)!.submissions;
    expect(Object.keys(m).sort()).toEqual(['babbagecharles_1002', 'hoppergrace_1003', 'lovelaceada_1001', 'turingalan_1004']);
    expect(m.turingalan_1004).toMatchObject({ status: 'graded', score: scratchScore('correct') });
    expect(m.lovelaceada_1001).toMatchObject({ status: 'graded', score: scratchScore('correct') });
    expect(m.babbagecharles_1002).toMatchObject({ status: 'graded', score: scratchScore('correct') });
    expect(m.hoppergrace_1003).toMatchObject({ status: 'error', message: expect.stringContaining('handed in notes.md, but no submission.ts') });
  });
});
