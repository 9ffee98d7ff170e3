// A release as an instructor makes it and a student uses it, end to end, on cifar10-mlp-hw4 (seed 003,
// the GitHub Classroom hand-in): the public starter holds no reference code and no hidden value; `init`
// makes a repo; its check gives 0 without a crash, the correct solution the visible points; the action's
// script run with Actions' env vars gives the reporter the right total and writes the job summary; the
// private overlay (a folder, a tarball, a URL with a token) grades every part. A small new assignment
// checks read-only provided files.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { CLI, ROOT } from '../helpers.ts';
import { reporter, stepResult } from '../classroom-reporter.ts';
import { loadAssignment } from '../../grader/spec/load.ts';
import { prepareAssignment } from '../../grader/plan/plan.ts';

const tmp = (p: string) => mkdtempSync(path.join(os.tmpdir(), `nngrade-${p}-`));
const ID = 'cifar10-mlp-hw4';
const env0 = { ...process.env, NO_COLOR: '1' };
const nngrade = (args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = {}) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...env0, ...env } });

let tarball: string;
let rel: string;

/** Every file under a folder (relative paths). */
const filesUnder = (dir: string, rel = ''): string[] =>
  readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(dir, path.join(rel, e.name)) : [path.join(rel, e.name)]));

/** Numbers as a leak would show them: their decimal text (10 significant digits) and their float64 bytes. */
function numbersIn(v: unknown, out: number[] = []): number[] {
  if (typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v)) out.push(v);
  else if (ArrayBuffer.isView(v)) for (const x of Array.from(v as unknown as ArrayLike<number>)) numbersIn(x, out);
  else if (Array.isArray(v)) v.forEach((x) => numbersIn(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => numbersIn(x, out));
  return out;
}

beforeAll(() => {
  const dest = tmp('pack');
  // dist/ is built by the global set-up; pack it as it is.
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest, '--loglevel=error'], { cwd: ROOT, encoding: 'utf8' });
  tarball = path.join(dest, JSON.parse(out.slice(out.indexOf('[')))[0].filename);
  rel = path.join(tmp('release'), 'out');
  const r = nngrade(['release', ID, '--out', rel]);
  expect(r.status, r.stderr).toBe(0);
});

describe(`nngrade release ${ID}`, () => {
  it('writes a public starter and a private overlay; refuses to overwrite', () => {
    for (const f of ['.nngrade/assignment.json', '.nngrade/expected.bin', 'submission.ts', 'interface.d.ts', 'package.json', 'README.md', '.github/workflows/classroom.yml']) expect(existsSync(path.join(rel, 'public', f)), f).toBe(true);
    for (const f of ['assignment.json', 'expected.bin']) expect(existsSync(path.join(rel, 'private', f)), f).toBe(true);
    expect(existsSync(path.join(rel, 'private.tgz'))).toBe(true);
    const pub = JSON.parse(readFileSync(path.join(rel, 'public', '.nngrade', 'assignment.json'), 'utf8'));
    expect(pub.parts.map((p: { id: string }) => p.id)).not.toContain('scratch-backprop-hidden');
    expect(pub.release.gradedLater).toEqual([{ id: 'scratch-backprop-hidden', title: expect.any(String), points: 2 }]);
    expect(readFileSync(path.join(rel, 'public', 'README.md'), 'utf8')).toMatch(/\| `scratch-forward` \| 3 \|/);
    const again = nngrade(['release', ID, '--out', rel]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/is not empty: release into a new folder \(nothing was written\)/);
  });

  it('the public release holds no line of the reference and no hidden fixture or expected value, as text or as float64 bytes', async () => {
    const files = filesUnder(path.join(rel, 'public')).map((f) => readFileSync(path.join(rel, 'public', f)));
    const text = files.map((b) => b.toString('latin1')).join('\n');
    const refLines = ['reference/cifar10-mlp-hw4/index.ts', ...readdirSync(path.join(ROOT, 'reference', '_shared')).map((f) => `reference/_shared/${f}`)]
      .flatMap((f) => readFileSync(path.join(ROOT, f), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l.length >= 30 && !/^(import|\/\/|\*|\/\*\*)/.test(l)));
    expect(refLines.length).toBeGreaterThan(20);
    // Type declarations the interface file hands out on purpose are not solution code.
    const iface = readFileSync(path.join(ROOT, 'assignments', ID, 'interface.d.ts'), 'utf8');
    expect(refLines.filter((l) => text.includes(l) && !iface.includes(l))).toEqual([]);
    // Hidden: the fixture only the hidden part uses, and the reference's values on it.
    const loaded = loadAssignment(path.join(ROOT, 'assignments', ID));
    const prep = await prepareAssignment(loaded, { parts: new Set(['scratch-backprop-hidden']) });
    const hidden = [...numbersIn(loaded.fixtures.unseen), ...prep.tasks.get('scratch-backprop-hidden')!.reference.flatMap((t) => numbersIn(prep.expected.get(t.id)))];
    // Distinctive numbers only: a short one like 0.3 is in any CSS file.
    hidden.splice(0, hidden.length, ...hidden.filter((x) => x.toPrecision(10).replace(/0+$/, '').replace(/^-?0\./, '').length >= 6));
    expect(hidden.length).toBeGreaterThan(100);
    const bytes = Buffer.concat(files);
    const leakedIn = (text: string, bytes: Buffer) => hidden.filter((x) => {
      const b = Buffer.alloc(8);
      b.writeDoubleLE(x);
      return text.includes(x.toPrecision(10).replace(/0+$/, '')) || bytes.includes(b);
    });
    expect(leakedIn(text, bytes)).toEqual([]);
    // Nor does any output format of a student's check from the release (buggy hand-in: the messages show values).
    const outs = tmp('outs');
    const sub = tmp('buggy');
    cpSync(path.join(ROOT, 'submissions', ID, 'correct'), sub, { recursive: true });
    cpSync(path.join(ROOT, 'submissions', ID, 'b1-row'), sub, { recursive: true });
    const r = nngrade(['check', path.join(rel, 'public', '.nngrade'), sub, '--format', 'terminal', 'json', `classroom=${path.join(outs, 'gh')}`, `gradescope=${path.join(outs, 'gs.json')}`, `prairielearn=${path.join(outs, 'pl.json')}`, '--html', '--pdf', '--report-dir', path.join(outs, 'reports')]);
    expect(r.status, r.stderr).toBe(1);
    const written = filesUnder(outs).map((f) => readFileSync(path.join(outs, f)));
    expect(written.length).toBeGreaterThanOrEqual(4);
    const all = r.stdout + r.stderr + written.map((b) => b.toString('latin1')).join('\n');
    expect(leakedIn(all, Buffer.concat(written))).toEqual([]);
    expect(refLines.filter((l) => all.includes(l) && !iface.includes(l))).toEqual([]);
  });

  it('init makes a repo; its check gives 0 points without a crash; the correct solution gets the visible points; the action reports them to Classroom', () => {
    const repo = path.join(tmp('student'), 'hw4');
    const init = nngrade(['init', rel, repo, '--nngrade', `file:${tarball}`]);
    expect(init.status, init.stderr).toBe(0);
    expect(execFileSync('git', ['log', '--oneline'], { cwd: repo, encoding: 'utf8' })).toContain('Starter code');
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: repo, stdio: 'pipe' });
    const check = () => spawnSync('npm', ['run', '--silent', 'check', '--', '--json'], { cwd: repo, encoding: 'utf8', env: env0 });
    const starter = check();
    expect(starter.status).toBe(1);
    const r0 = JSON.parse(starter.stdout);
    expect(r0.score).toBe(0);
    expect(starter.stderr).not.toMatch(/internal error|\n\s+at /);
    for (const p of r0.parts.filter((x: { status: string }) => x.status !== 'skipped')) expect(p.messages.join(' '), p.id).toMatch(/not implemented: \w+/);
    expect(r0.gradedLater.map((p: { id: string }) => p.id)).toEqual(['scratch-backprop-hidden']);

    cpSync(path.join(ROOT, 'submissions', ID, 'correct'), repo, { recursive: true });
    const solved = check();
    const r1 = JSON.parse(solved.stdout);
    const graded = r1.parts.filter((p: { status: string }) => p.status !== 'skipped');
    expect(graded.map((p: { id: string; status: string }) => [p.id, p.status])).toEqual(graded.map((p: { id: string }) => [p.id, 'passed']));
    expect(graded.length).toBeGreaterThanOrEqual(4);
    expect(r1.score).toBe(r1.maxScore);

    // The action's step as Actions runs it: its env vars, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files.
    const gh = tmp('gh');
    const actionEnv = {
      ...env0, GITHUB_ACTIONS: 'true', CI: 'true', GITHUB_WORKSPACE: repo, GITHUB_ACTION_PATH: path.join(repo, 'node_modules', 'nngrade'),
      GITHUB_OUTPUT: path.join(gh, 'output'), GITHUB_STEP_SUMMARY: path.join(gh, 'summary'), RUNNER_TEMP: gh,
      NNGRADE_ASSIGNMENT: '.nngrade', NNGRADE_SUBMISSION: '.', NNGRADE_ALL: 'false', NNGRADE_PRIVATE: '', NNGRADE_REPORT_DIR: path.join(gh, 'nngrade-report'),
    };
    const step = () => spawnSync('bash', [path.join(repo, 'node_modules', 'nngrade', 'action', 'grade.sh')], { cwd: repo, encoding: 'utf8', env: actionEnv });
    expect(step().status).toBe(0);
    const wf = readFileSync(path.join(repo, '.github', 'workflows', 'classroom.yml'), 'utf8');
    const id = /id: (nngrade-[a-z-]+)/.exec(wf)![1];
    expect(wf).toContain(`${id.toUpperCase()}_RESULTS: \${{steps.${id}.outputs.result}}`);
    const rep = reporter({ [`${id.toUpperCase()}_RESULTS`]: stepResult(readFileSync(actionEnv.GITHUB_OUTPUT, 'utf8')) }, id);
    expect(rep).toMatchObject({ maxPoints: r1.maxScore, failed: false });
    expect(rep.totalPoints).toBeCloseTo(r1.score, 9);
    const summary = readFileSync(actionEnv.GITHUB_STEP_SUMMARY, 'utf8');
    expect(summary).toContain('| part | status | points |');
    expect(summary).toMatch(/\| .* \(`scratch-forward`\) \| ✅ passed \| 3 \/ 3 \|/);
    expect(summary).toMatch(/`scratch-backprop-hidden`\) \| ⏸️ graded after you hand in \| – \/ 2 \|/);
    expect(readdirSync(path.join(gh, 'nngrade-report', ID)).some((f) => f.endsWith('.html'))).toBe(true);

    // With the private overlay (a secret in Classroom): every part, the hidden one too.
    actionEnv.NNGRADE_PRIVATE = path.join(rel, 'private.tgz');
    expect(step().status).toBe(0);
    const all = reporter({ X_RESULTS: stepResult(readFileSync(actionEnv.GITHUB_OUTPUT, 'utf8')) }, 'x');
    expect(all.totalPoints).toBeCloseTo(r1.score + 2, 9);

    // A submission the grader cannot even start on (no entry file): still a result, status error.
    const broken = tmp('broken');
    const stepBroken = spawnSync('bash', [path.join(repo, 'node_modules', 'nngrade', 'action', 'grade.sh')], { cwd: repo, encoding: 'utf8', env: { ...actionEnv, NNGRADE_PRIVATE: '', NNGRADE_SUBMISSION: broken } });
    expect(stepBroken.status).toBe(0);
    const b = reporter({ X_RESULTS: stepResult(readFileSync(actionEnv.GITHUB_OUTPUT, 'utf8')) }, 'x');
    expect(b.failed).toBe(true);
    expect(b.totalPoints).toBe(0);
  });

  it('--private: a folder, a tarball, an https-or-localhost URL with a token; bad ones are clear errors', async () => {
    const sub = path.join(ROOT, 'submissions', ID, 'correct');
    const pub = path.join(rel, 'public', '.nngrade');
    const parts = (r: ReturnType<typeof nngrade>) => JSON.parse(r.stdout).parts.filter((p: { status: string }) => p.status !== 'skipped').map((p: { id: string }) => p.id);
    expect(parts(nngrade(['check', pub, sub, '--json', '--private', path.join(rel, 'private')]))).toContain('scratch-backprop-hidden');
    const tgz = readFileSync(path.join(rel, 'private.tgz'));
    const server = http.createServer((req, res) => {
      if (req.headers.authorization !== 'Bearer s3cret') return void res.writeHead(401).end();
      res.writeHead(200, { 'content-type': 'application/gzip' }).end(tgz);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/private.tgz`;
    try {
      const run = (env: NodeJS.ProcessEnv) => new Promise<{ status: number | null; stdout: string; stderr: string }>((ok) => {
        const c = spawn(process.execPath, [CLI, 'check', pub, sub, '--json'], { env: { ...env0, ...env } });
        let stdout = '', stderr = '';
        c.stdout.on('data', (d: Buffer) => (stdout += d));
        c.stderr.on('data', (d: Buffer) => (stderr += d));
        c.on('close', (status: number | null) => ok({ status, stdout, stderr }));
      });
      const withToken = await run({ NNGRADE_PRIVATE: url, NNGRADE_PRIVATE_TOKEN: 's3cret' });
      expect(parts(withToken as never)).toContain('scratch-backprop-hidden');
      const noToken = await run({ NNGRADE_PRIVATE: url });
      expect(noToken.status).toBe(2);
      expect(noToken.stderr).toMatch(/answered 401 .*NNGRADE_PRIVATE_TOKEN/);
    } finally {
      server.close();
    }
    const plain = nngrade(['check', pub, sub, '--private', 'http://example.edu/private.tgz']);
    expect(plain.status).toBe(2);
    expect(plain.stderr).toContain('the private overlay must come over https');
    const other = tmp('other');
    writeFileSync(path.join(other, 'x.tgz'), 'not a tarball');
    expect(nngrade(['check', pub, sub, '--private', path.join(other, 'x.tgz')]).stderr).toMatch(/the private overlay .*x\.tgz cannot be unpacked/);
  });
});

describe('a new instructor\'s assignment with read-only provided files', () => {
  it('a student who edits a read-only file is told so and graded with the original', () => {
    const course = tmp('course');
    const a = path.join(course, 'scale');
    mkdirSync(path.join(a, 'ref'), { recursive: true });
    writeFileSync(path.join(a, 'helpers.ts'), 'export const FACTOR = 2;\n');
    writeFileSync(path.join(a, 'ref', 'index.ts'), "import { FACTOR } from '../helpers.ts';\nexport function scale(xs: number[]): number[] {\n  return xs.map((x) => x * FACTOR);\n}\n");
    writeFileSync(path.join(a, 'assignment.json'), JSON.stringify({
      id: 'scale-hw', title: 'Scale a vector', version: '1.0.0', points: 2,
      submission: { entry: 'submission.ts', exports: ['scale'], provided: ['helpers.ts'], readOnly: ['helpers.ts'] },
      reference: { entry: 'ref/index.ts' },
      fixtures: { v: { kind: 'inline', values: { xs: [1, 2.5, -3] } } },
      parts: [{ id: 'scale', title: 'scale(xs) multiplies by FACTOR', kind: 'function', visibility: 'visible', points: 2, call: 'scale', cases: [{ args: ['$v.xs'] }] }],
    }, null, 2));
    const out = path.join(course, 'rel');
    expect(nngrade(['release', a, '--out', out]).status).toBe(0);
    const repo = path.join(course, 'student');
    expect(nngrade(['init', out, repo, '--no-git']).status).toBe(0);
    expect(readFileSync(path.join(repo, 'helpers.ts'), 'utf8')).toBe('export const FACTOR = 2;\n');
    writeFileSync(path.join(repo, 'submission.ts'), "import { FACTOR } from './helpers.ts';\nexport function scale(xs: number[]): number[] {\n  return xs.map((x) => x * FACTOR);\n}\n");
    const ok = nngrade(['check', '.nngrade', '.', '--json'], repo);
    expect(JSON.parse(ok.stdout)).toMatchObject({ score: 2 });
    expect(JSON.parse(ok.stdout).notes).toBeUndefined();
    // Editing the provided file to "fix" the factor changes nothing: the original is graded, and the student is told.
    writeFileSync(path.join(repo, 'helpers.ts'), 'export const FACTOR = 3;\n');
    const edited = nngrade(['check', '.nngrade', '.', '--json'], repo);
    expect(JSON.parse(edited.stdout).score).toBe(2);
    expect(JSON.parse(edited.stdout).notes).toEqual(['helpers.ts is provided and must not be changed, but yours differs from the original: it was graded with the original']);
    const term = nngrade(['check', '.nngrade', '.'], repo);
    expect(term.stdout).toContain('note: helpers.ts is provided and must not be changed');
  });
});

describe('a release of cs231n-layers (chained calls, a reference step, a typecheck part)', () => {
  it('the starter checks the chained parts and the types from recorded values, and the private overlay grades the hidden one', () => {
    const out = path.join(tmp('cs231n'), 'rel');
    expect(nngrade(['release', 'cs231n-layers', '--out', out]).status).toBe(0);
    const spec = JSON.parse(readFileSync(path.join(out, 'public', '.nngrade', 'assignment.json'), 'utf8'));
    expect(spec.submission.interface).toBe('../interface.d.ts');
    expect(spec.parts.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining(['batchnorm-chained', 'relu-backward-given-cache', 'types']));
    const repo = path.join(path.dirname(out), 'student');
    expect(nngrade(['init', out, repo, '--no-git']).status).toBe(0);
    for (const f of readdirSync(path.join(ROOT, 'submissions', 'cs231n-layers', 'correct'))) cpSync(path.join(ROOT, 'submissions', 'cs231n-layers', 'correct', f), path.join(repo, f));
    const ok = JSON.parse(nngrade(['check', '.nngrade', '.', '--json'], repo).stdout);
    expect(ok.score).toBe(ok.maxScore);
    expect(ok.parts.find((p: { id: string }) => p.id === 'types').status).toBe('passed');
    // The buggy backward pass loses the chained part's dx, from the starter already.
    cpSync(path.join(ROOT, 'submissions', 'cs231n-layers', 'batchnorm-no-mean-terms', 'batchnorm.ts'), path.join(repo, 'batchnorm.ts'));
    const bug = JSON.parse(nngrade(['check', '.nngrade', '.', '--json'], repo).stdout);
    expect(bug.parts.find((p: { id: string }) => p.id === 'batchnorm-chained').score).toBeCloseTo(4 / 3, 5);
    const all = JSON.parse(nngrade(['check', '.nngrade', '.', '--json', '--private', path.join(out, 'private.tgz')], repo).stdout);
    expect(all.parts.find((p: { id: string }) => p.id === 'affine-hidden').score).toBe(2);
  }, 120_000);
});
