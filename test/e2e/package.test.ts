// The package as a student or an instructor gets it: packed from a copy of the sources (no dist/:
// prepack builds it), installed from the tarball into an empty project (npm's cache, registry only as
// a fallback), and run there with tf in the sandbox. The tarball holds no reference or example solution.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers.ts';

const tmp = (p: string) => mkdtempSync(path.join(os.tmpdir(), `nngrade-${p}-`));
const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

let tarball: string;
let unpacked: string;

/** Every file of the packed tarball, by its path inside the package. */
function packagedFiles(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? packagedFiles(dir, path.join(rel, e.name)) : [path.join(rel, e.name)]));
}

beforeAll(() => {
  // A copy of what git knows (committed or not), without dist/: the package must build itself.
  const src = tmp('src');
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter((f) => f && existsSync(path.join(ROOT, f)));
  for (const f of files) cpSync(path.join(ROOT, f), path.join(src, f), { recursive: false, force: true });
  expect(existsSync(path.join(src, 'dist'))).toBe(false);
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(src, 'node_modules'));
  const dest = tmp('pack');
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dest, '--loglevel=error'], { cwd: src, encoding: 'utf8' });
  tarball = path.join(dest, JSON.parse(out.slice(out.indexOf('[')))[0].filename);
  unpacked = tmp('unpacked');
  execFileSync('tar', ['-xzf', tarball, '-C', unpacked]);
});

describe('the npm package', () => {
  it('is the engine, CLI, templates, schema and a built dist/: no reference, example submission, test or bench', () => {
    const files = packagedFiles(path.join(unpacked, 'package'));
    for (const f of ['bin/nngrade.js', 'dist/cli.js', 'dist/sandbox-child.js', 'dist/spec-validator.cjs', 'templates/report.hbs', 'assignments/assignment.schema.json', 'package.json']) expect(files).toContain(f);
    for (const f of files) expect(f).not.toMatch(/^(reference|submissions|test|bench|grader|scripts)\//);
    // Not a line of any reference solution or example submission, anywhere in the package.
    const solutionLines = new Set<string>();
    for (const root of ['reference', 'submissions']) {
      for (const f of execFileSync('git', ['ls-files', root], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter((x) => /\.ts$/.test(x))) {
        for (const line of readFileSync(path.join(ROOT, f), 'utf8').split('\n')) {
          const t = line.trim();
          // Distinctive code lines only (not `}` or an import every file has).
          if (t.length >= 40 && !/^(import|export \{|\/\/|\*|\/\*\*)/.test(t)) solutionLines.add(t);
        }
      }
    }
    expect(solutionLines.size).toBeGreaterThan(100);
    const text = files.map((f) => readFileSync(path.join(unpacked, 'package', f), 'utf8')).join('\n');
    const leaked = [...solutionLines].filter((l) => text.includes(l));
    expect(leaked).toEqual([]);
  });

  it('installs from the tarball into an empty project, and `npx nngrade check` runs tf parts in the sandbox there', () => {
    const proj = tmp('student');
    writeFileSync(path.join(proj, 'package.json'), JSON.stringify({ name: 'hw5-student', version: '1.0.0', private: true, type: 'module' }));
    execFileSync('npm', ['i', '-D', tarball, ...NPM_FLAGS], { cwd: proj, stdio: 'pipe' });
    expect(existsSync(path.join(proj, 'node_modules', '@tensorflow', 'tfjs'))).toBe(true); // hoisted beside nngrade, not under it
    // An assignment with its reference beside it, as an instructor keeps them; the correct hand-in.
    mkdirSync(path.join(proj, 'assignments'));
    cpSync(path.join(ROOT, 'assignments', 'mnist-cnn-hw5'), path.join(proj, 'assignments', 'mnist-cnn-hw5'), { recursive: true });
    cpSync(path.join(ROOT, 'reference'), path.join(proj, 'reference'), { recursive: true });
    cpSync(path.join(ROOT, 'submissions', 'mnist-cnn-hw5', 'correct'), path.join(proj, 'mine'), { recursive: true });
    const r = spawnSync('npx', ['nngrade', 'check', 'assignments/mnist-cnn-hw5', 'mine', '--all', '--json', '--isolation', 'auto'], { cwd: proj, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const result = JSON.parse(r.stdout);
    // Written answers wait for a person (pending); the rest is graded here.
    const graded = result.parts.filter((p: { status: string }) => p.status !== 'skipped' && p.status !== 'pending');
    expect(graded.filter((p: { kind: string }) => p.kind === 'architecture').length).toBe(3);
    for (const p of graded) expect([p.id, p.status, p.messages]).toEqual([p.id, 'passed', p.messages]);
    expect(result.backend).toMatch(/wasm|cpu|tensorflow/);
    // Paths in what the student reads are the package's, not this machine's.
    expect(r.stdout).not.toContain(path.join(proj, 'node_modules'));
  });

  it('installs from a git URL (npm runs prepare, which builds dist/) and runs', () => {
    const proj = tmp('git-install');
    writeFileSync(path.join(proj, 'package.json'), JSON.stringify({ name: 'student', version: '1.0.0', private: true }));
    execFileSync('npm', ['i', '-D', `git+file://${ROOT}`, ...NPM_FLAGS], { cwd: proj, stdio: 'pipe' });
    expect(existsSync(path.join(proj, 'node_modules', 'nngrade', 'dist', 'cli.js'))).toBe(true);
    expect(existsSync(path.join(proj, 'node_modules', 'nngrade', 'reference'))).toBe(false);
    const v = spawnSync('npx', ['nngrade', '--version'], { cwd: proj, encoding: 'utf8' });
    expect(v.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });
});
