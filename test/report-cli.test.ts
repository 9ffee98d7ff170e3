/**
 * `nngrade report`: reports from saved results, without grading again. The
 * command is bundled (as scripts/build.mjs bundles the CLI) into a small
 * program holding only it, and run as a child process for real exit codes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as cheerio from 'cheerio';
import { build } from 'esbuild';
import { SECRETS, handmadeResult } from './fixtures/results/handmade.ts';

const root = path.resolve(import.meta.dirname, '..');
const fixtures = path.join(root, 'test/fixtures/results');
const entry = path.join(root, 'node_modules/.cache/nngrade-test/report-cli.mjs');

beforeAll(async () => {
  await build({
    stdin: {
      contents: `import { Command } from 'commander';
import { registerReportCommand } from './grader/commands/report.ts';
const program = new Command().name('nngrade');
registerReportCommand(program);
program.exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
await program.parseAsync(process.argv);`,
      resolveDir: root,
      sourcefile: 'report-cli-entry.ts',
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: entry,
    logLevel: 'error',
  });
}, 60_000);

function nngrade(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [entry, 'report', ...args], { encoding: 'utf8', env: { ...process.env, ...env, NO_COLOR: '1' }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmp(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'nngrade-report-cli-'));
}

describe('nngrade report', () => {
  it('writes an HTML report per result (student view by default)', () => {
    const out = tmp();
    try {
      const r = nngrade([path.join(fixtures, 'fashion-mnist-hw4-buggy-grad.json'), path.join(fixtures, 'fashion-mnist-hw4-correct.json'), '--out', out]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('2 results → 2 HTML');
      expect(readdirSync(path.join(out, 'fashion-mnist-hw4')).sort()).toEqual(['buggy-grad.html', 'correct.html']);
      const $ = cheerio.load(readFileSync(path.join(out, 'fashion-mnist-hw4', 'buggy-grad.html'), 'utf8'));
      expect($('section[data-part="scratch-backprop-hidden"] .withheld').length).toBe(1);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);

  it('instructor audience, dashboard and gradebook, folders of results, due date and published flags', () => {
    const out = tmp();
    const inDir = tmp();
    try {
      mkdirSync(path.join(inDir, 'fashion-mnist-hw4'));
      for (const n of ['correct', 'crash', 'no-deriv']) copyFileSync(path.join(fixtures, `fashion-mnist-hw4-${n}.json`), path.join(inDir, 'fashion-mnist-hw4', `${n}.json`));
      const r = nngrade([inDir, '--audience', 'instructor', '--dashboard', '--out', out]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('3 results → 4 HTML, 1 CSV');
      const hw = path.join(out, 'fashion-mnist-hw4');
      expect(readdirSync(hw).sort()).toEqual(['correct.html', 'crash.html', 'dashboard.html', 'gradebook.csv', 'no-deriv.html']);
      const $ = cheerio.load(readFileSync(path.join(hw, 'dashboard.html'), 'utf8'));
      expect($('table.students a.report-link').map((_, e) => $(e).attr('href')).get().sort()).toEqual(['correct.html', 'crash.html', 'no-deriv.html']);
      const c = cheerio.load(readFileSync(path.join(hw, 'crash.html'), 'utf8'));
      expect(c('section[data-part="scratch-backprop-hidden"] .withheld').length).toBe(0);

      // A student view after the due date, published.
      const hm = path.join(inDir, 'hm.json');
      writeFileSync(hm, JSON.stringify(handmadeResult()));
      const out2 = path.join(out, 'students');
      const s = nngrade([hm, '--due-date', '2026-01-01T00:00:00Z', '--published', '--out', out2]);
      expect(s.code).toBe(0);
      const h = readFileSync(path.join(out2, handmadeResult().assignment.id, 'alice-ng.html'), 'utf8');
      expect(h).toContain(String(SECRETS.dueValue));
      expect(h).toContain(String(SECRETS.publishedValue));
      expect(h).not.toContain(String(SECRETS.hiddenLoss));
    } finally {
      rmSync(out, { recursive: true, force: true });
      rmSync(inDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('invalid JSON: a clear error naming the file, exit 2, no stack trace, nothing written', () => {
    const out = tmp();
    const dir = tmp();
    try {
      const bad = path.join(dir, 'broken.json');
      writeFileSync(bad, '{"formatVersion": 1, "parts": [');
      const r = nngrade([path.join(fixtures, 'fashion-mnist-hw4-correct.json'), bad, '--out', path.join(out, 'x')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('broken.json is not valid JSON');
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(existsSync(path.join(out, 'x'))).toBe(false);
    } finally {
      rmSync(out, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('a JSON file that is not a GradeResult: says what is wrong with which file, exit 2', () => {
    const dir = tmp();
    try {
      const notResult = path.join(dir, 'package.json');
      writeFileSync(notResult, JSON.stringify({ name: 'x', version: '1.0.0' }));
      let r = nngrade([notResult, '--out', dir]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/package\.json is not an nngrade result: it has no formatVersion/);
      expect(r.stderr).not.toMatch(/^\s+at /m);

      const badPart = path.join(dir, 'bad-part.json');
      const res = handmadeResult() as unknown as { parts: { status: string }[] };
      res.parts[2].status = 'great';
      writeFileSync(badPart, JSON.stringify(res));
      r = nngrade([badPart, '--out', dir]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('bad-part.json is not an nngrade result: parts[2].status "great" is not one of');

      r = nngrade([path.join(dir, 'missing.json')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('no such file');
      expect(readdirSync(dir).sort()).toEqual(['bad-part.json', 'package.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('a bad --audience is a usage error (exit 2)', () => {
    const r = nngrade([path.join(fixtures, 'fashion-mnist-hw4-correct.json'), '--audience', 'parents']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Allowed choices are student, instructor/);
  }, 60_000);

  it('--pdf without a Chromium: HTML still written, PDF skipped with how to get one, exit 0', () => {
    const out = tmp();
    try {
      const r = nngrade([path.join(fixtures, 'fashion-mnist-hw4-correct.json'), '--html', '--pdf', '--out', out], { NNGRADE_CHROMIUM: '/no/such/chromium' });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('PDF skipped');
      expect(r.stderr).toContain('apt-get install chromium');
      expect(readdirSync(path.join(out, 'fashion-mnist-hw4'))).toEqual(['correct.html']);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
