// The Gradescope and PrairieLearn recipes in docs/recipes, run as those platforms run them (their folder
// layouts under a temporary root): results.json always written, with the right score, for a correct
// hand-in, a broken one, and one the overall time budget cuts off.
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync as exec, spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { CLI, ROOT } from '../helpers.ts';

const tmp = (p: string) => mkdtempSync(path.join(os.tmpdir(), `nngrade-${p}-`));
const ID = 'fashion-mnist-hw4';
const RECIPES = path.join(ROOT, 'docs', 'recipes');
let installed: string;
let release: string;

beforeAll(() => {
  const dest = tmp('pack');
  const out = exec('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest, '--loglevel=error'], { cwd: ROOT, encoding: 'utf8' });
  const tarball = path.join(dest, JSON.parse(out.slice(out.indexOf('[')))[0].filename);
  installed = tmp('installed');
  writeFileSync(path.join(installed, 'package.json'), JSON.stringify({ name: 'course-autograder', private: true }));
  exec('npm', ['i', '-D', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: installed, stdio: 'pipe' });
  release = path.join(tmp('release'), 'out');
  exec(process.execPath, [CLI, 'release', ID, '--out', release], { stdio: 'pipe' });
});

/** A course folder as the recipes expect it: release/, private/ and node_modules/ with nngrade. */
function courseFolder(dir: string, script: string) {
  mkdirSync(dir, { recursive: true });
  cpSync(path.join(release, 'public'), path.join(dir, 'release'), { recursive: true });
  cpSync(path.join(release, 'private'), path.join(dir, 'private'), { recursive: true });
  symlinkSync(path.join(installed, 'node_modules'), path.join(dir, 'node_modules'));
  cpSync(script, path.join(dir, path.basename(script)));
}

const correct = (to: string) => cpSync(path.join(ROOT, 'submissions', ID, 'correct'), to, { recursive: true });
const run = (script: string, env: NodeJS.ProcessEnv) => spawnSync('bash', [script], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });

describe('docs/recipes/gradescope', () => {
  it('setup.sh pins a Node ≥ 20 from nodejs.org with its checksum, not Ubuntu\'s nodejs; run_autograder has a shebang and LF line ends', () => {
    const setup = readFileSync(path.join(RECIPES, 'gradescope', 'setup.sh'), 'utf8');
    expect(Number(/NODE_VERSION=(\d+)\./.exec(setup)![1])).toBeGreaterThanOrEqual(20);
    expect(setup).toContain('SHASUMS256.txt');
    expect(setup).not.toMatch(/apt-get install[^\n]*\bnodejs\b/);
    for (const f of ['setup.sh', 'run_autograder']) {
      const t = readFileSync(path.join(RECIPES, 'gradescope', f), 'utf8');
      expect(t.startsWith('#!')).toBe(true);
      expect(t).not.toContain('\r');
    }
  });

  it('run_autograder writes /autograder/results/results.json for a correct, a broken and a cut-off hand-in', () => {
    const root = tmp('autograder');
    courseFolder(path.join(root, 'source'), path.join(RECIPES, 'gradescope', 'run_autograder'));
    const script = path.join(root, 'source', 'run_autograder');
    const results = () => JSON.parse(readFileSync(path.join(root, 'results', 'results.json'), 'utf8'));
    correct(path.join(root, 'submission'));
    expect(run(script, { AUTOGRADER: root }).status).toBe(0);
    const ok = results();
    const graded = ok.tests.filter((t: { output: string }) => !t.output.startsWith('not graded here'));
    expect(ok.score).toBe(graded.reduce((s: number, t: { max_score: number }) => s + t.max_score, 0));
    expect(ok.tests.find((t: { name: string }) => /unseen|not seen/i.test(t.name))).toMatchObject({ visibility: 'hidden', status: 'passed' });
    // Nothing handed in: a result saying so, each test failed with the reason.
    const empty = tmp('empty-root');
    courseFolder(path.join(empty, 'source'), path.join(RECIPES, 'gradescope', 'run_autograder'));
    mkdirSync(path.join(empty, 'submission'));
    expect(run(path.join(empty, 'source', 'run_autograder'), { AUTOGRADER: empty }).status).toBe(0);
    const e = JSON.parse(readFileSync(path.join(empty, 'results', 'results.json'), 'utf8'));
    expect(e.score).toBe(0);
    expect(e.tests.length).toBeGreaterThan(0);
    expect(e.tests[0].output).toMatch(/empty|submission\.ts/);
    // The overall budget runs out: still a results.json, saying so.
    expect(run(script, { AUTOGRADER: root, NNGRADE_BUDGET_SECONDS: '0.2' }).status).toBe(0);
    expect(results()).toMatchObject({ score: 0, output: expect.stringContaining('grading took longer than 0.2 s') });
  });
});

describe('docs/recipes/prairielearn', () => {
  it('info.json asks for external grading without network, within 600 s; run.sh writes /grade/results/results.json', () => {
    const info = JSON.parse(readFileSync(path.join(RECIPES, 'prairielearn', 'info.json'), 'utf8'));
    expect(info.externalGradingOptions).toMatchObject({ enabled: true, entrypoint: '/grade/serverFilesCourse/nngrade/run.sh', enableNetworking: false });
    expect(info.externalGradingOptions.timeout).toBeLessThanOrEqual(600);
    const root = tmp('grade');
    courseFolder(path.join(root, 'serverFilesCourse', 'nngrade'), path.join(RECIPES, 'prairielearn', 'run.sh'));
    const script = path.join(root, 'serverFilesCourse', 'nngrade', 'run.sh');
    correct(path.join(root, 'student'));
    expect(run(script, { GRADE: root }).status).toBe(0);
    const file = path.join(root, 'results', 'results.json');
    const ok = JSON.parse(readFileSync(file, 'utf8'));
    expect(ok).toMatchObject({ gradable: true, score: 1 });
    expect(readFileSync(file).length).toBeLessThan(1024 * 1024);
    // A hand-in that does not compile: not gradable, with the reason; no attempt used.
    writeFileSync(path.join(root, 'student', 'submission.ts'), 'export function forwardPropagation( {\n');
    expect(run(script, { GRADE: root }).status).toBe(0);
    const bad = JSON.parse(readFileSync(file, 'utf8'));
    expect(bad.gradable).toBe(false);
    expect(bad.format_errors.join('\n')).toMatch(/submission\.ts:\d+:\d+/);
  });
});
