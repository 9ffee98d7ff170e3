// The platforms' formats, field by field, on recorded fashion-mnist-hw4 results (no sandbox): GitHub
// Classroom (decoded by the grading reporter's own rules), Gradescope, PrairieLearn, Canvas, Moodle.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { GradeResult } from '../grader/judge/result.ts';
import { outputFormats } from '../grader/output/registry.ts';
import { emitFormats, parseFormats } from '../grader/output/emit.ts';
import { classroomResult, classroomSummary } from '../grader/output/classroom.ts';
import { gradescopeResults } from '../grader/output/gradescope.ts';
import { prairielearnResults } from '../grader/output/prairielearn.ts';
import { parseRoster } from '../grader/batch/roster.ts';
import { errorResult } from '../grader/judge/error-result.ts';
import { reporter } from './classroom-reporter.ts';

const FIX = path.join(import.meta.dirname, 'fixtures', 'results');
const load = (n: string): GradeResult => JSON.parse(readFileSync(path.join(FIX, `fashion-mnist-hw4-${n}.json`), 'utf8'));
const NOW = new Date('2026-11-01T00:00:00Z');
const HIDDEN_VALUE = '0.20073942'; // an expected value of the hidden part, in buggy-grad's messages

describe('registry', () => {
  it('has one module per format, each with a summary and a scope', () => {
    expect(Object.keys(outputFormats).sort()).toEqual(['canvas', 'classroom', 'csv', 'dashboard', 'gradescope', 'html', 'json', 'moodle', 'pdf', 'prairielearn', 'terminal']);
    for (const f of Object.values(outputFormats)) expect(['submission', 'class']).toContain(f.scope);
  });
  it('--format parsing: names, =file, commas; an unknown name or a gradebook for one check is a clear error', () => {
    expect(parseFormats(['classroom,gradescope=out/r.json']).map((f) => [f.name, f.file])).toEqual([['classroom', undefined], ['gradescope', 'out/r.json']]);
    expect(() => parseFormats(['gradscope'])).toThrow(/unknown output format "gradscope"/);
    expect(() => parseFormats(['canvas'], 'submission')).toThrow(/--format canvas is a class gradebook: make it from the saved results with `nngrade report/);
    expect(() => parseFormats(['json='])).toThrow(/needs a file after the "="/);
  });
});

describe('GitHub Classroom', () => {
  it('one test per graded part; the reporter decodes it, sums the right points and fails the job on a lost point', async () => {
    const r = load('buggy-grad');
    const c = classroomResult(r, { now: NOW });
    expect(c.version).toBe(1);
    expect(c.max_score).toBe(20);
    expect(c.tests.map((t) => [t.status, t.score])).toEqual([['pass', 3], ['fail', 3], ['fail', 0.4], ['fail', 1.2], ['pass', 3], ['pass', 3], ['pass', 1], ['pass', 1]]);
    for (const t of c.tests) {
      expect(Object.keys(t).sort()).toEqual(['duration', 'filename', 'line_no', 'message', 'name', 'score', 'status', 'test_code']);
      expect(typeof t.line_no).toBe('number');
    }
    expect(c.status).toBe('fail');
    // Through the action's GITHUB_OUTPUT, under a hyphenated step id as Classroom workflows use.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nngrade-gh-'));
    const env = { GITHUB_OUTPUT: path.join(dir, 'output'), GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md') };
    writeFileSync(env.GITHUB_OUTPUT, 'other=1\n');
    await emitFormats(parseFormats(['classroom']), [r], { audience: 'student', now: NOW, env });
    const out = readFileSync(env.GITHUB_OUTPUT, 'utf8');
    expect(out.startsWith('other=1\n')).toBe(true); // appended, not replaced
    const value = /^result=(.*)$/m.exec(out)![1];
    const rep = reporter({ 'NNGRADE-HW4_RESULTS': value }, 'nngrade-hw4');
    expect(rep).toMatchObject({ maxPoints: 20, failed: true });
    expect(rep.totalPoints).toBeCloseTo(15.6, 9);
    expect(rep.lines.some((l) => / - line undefined/.test(l))).toBe(false);
    // The job summary: the part table in the student's view.
    const summary = readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8');
    expect(summary).toContain('| part | status | points |');
    expect(summary).toContain('| Loss and gradients by backpropagation (`scratch-backprop`) | 🟡 partial | 3 / 5 |');
    expect(summary + Buffer.from(value, 'base64').toString()).not.toContain(HIDDEN_VALUE);
  });

  it('a full score passes; a hand-in that cannot be graded is still a result with tests, status error', () => {
    const ok = classroomResult(load('correct'), { now: NOW });
    expect(ok.status).toBe('pass');
    expect(ok.tests.reduce((s, t) => s + t.score, 0)).toBe(ok.max_score);
    const spec = { id: 'fashion-mnist-hw4', title: 'HW4', version: '1', submission: { entry: 'submission.ts' }, parts: load('correct').parts.map((p) => ({ id: p.id, title: p.title, kind: p.kind, visibility: p.visibility, points: p.maxScore })) };
    const broken = classroomResult(errorResult({ loaded: { spec } } as never, '/x', 'the submission folder is empty'), { now: NOW });
    expect(broken.status).toBe('error');
    expect(broken.tests.length).toBe(8);
    expect(broken.tests[0].message).toContain('the submission folder is empty');
    expect(classroomSummary(errorResult({ loaded: { spec } } as never, '/x', 'the folder is empty'), { now: NOW }).match(/the folder is empty/g)!.length).toBe(1); // said once, for all parts
  });
});

describe('Gradescope results.json', () => {
  it('score, execution_time, output, visibilities; per part name, number, score, max_score, status, output, visibility', () => {
    const g = gradescopeResults(load('buggy-grad'));
    expect(Object.keys(g).sort()).toEqual(['execution_time', 'output', 'output_format', 'score', 'stdout_visibility', 'tests', 'visibility']);
    expect(g.score).toBe(15.6);
    expect(typeof g.execution_time).toBe('number');
    expect(g.stdout_visibility).toBe('hidden');
    expect(g.tests.map((t) => [t.number, t.score, t.max_score, t.status, t.visibility])).toEqual([
      ['1', 3, 3, 'passed', 'visible'], ['2', 3, 5, 'failed', 'visible'], ['3', 0.4, 2, 'failed', 'visible'], ['4', 1.2, 2, 'failed', 'hidden'],
      ['5', 3, 3, 'passed', 'visible'], ['6', 3, 3, 'passed', 'visible'], ['7', 1, 1, 'passed', 'visible'], ['8', 1, 1, 'passed', 'visible'],
    ]);
    expect(g.tests[1].name).toBe('Loss and gradients by backpropagation');
    expect(g.tests[1].output).toContain('that is 2 × the expected value');
    // Gradescope withholds hidden tests itself: the instructor sees the details there.
    expect(g.tests[3].output).toContain(HIDDEN_VALUE);
    for (const t of g.tests) expect(t.output_format).toBe('text');
  });
});

describe('PrairieLearn results.json', () => {
  it('gradable, score in 0..1, message, tests with points and max_points, plots as data URIs, student view', async () => {
    const p = await prairielearnResults(load('buggy-grad'), { now: NOW });
    expect(p.gradable).toBe(true);
    expect(p.score).toBeCloseTo(15.6 / 20, 12);
    expect(p.tests.map((t) => [t.name, t.points, t.max_points])[1]).toEqual(['Loss and gradients by backpropagation', 3, 5]);
    for (const t of p.tests) expect(Object.keys(t).sort()).toEqual(['description', 'max_points', 'message', 'name', 'output', 'points']);
    expect(p.images.length).toBeGreaterThan(0);
    for (const im of p.images) expect(im.url).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(JSON.stringify(p)).not.toContain(HIDDEN_VALUE);
    expect(Buffer.byteLength(JSON.stringify(p))).toBeLessThan(1024 * 1024);
  });
  it('a hand-in that does not compile: gradable false with format_errors; the file stays under the cap', async () => {
    const r = load('correct');
    r.formatErrors = ['submission.ts:3:15: Could not resolve "./models.ts"'];
    const p = await prairielearnResults(r, { now: NOW });
    expect(p).toMatchObject({ gradable: false, score: 0, format_errors: ['submission.ts:3:15: Could not resolve "./models.ts"'] });
    const big = load('buggy-grad');
    big.parts[0].output = 'x'.repeat(16_000);
    const small = await prairielearnResults(big, { now: NOW }, 40_000);
    expect(Buffer.byteLength(JSON.stringify(small))).toBeLessThanOrEqual(40_000);
  });
});

const ROSTER = parseRoster('submission,student,name,email,sis_id,login,section,lms_id\ncorrect,s1,"Lovelace, Ada",ada@uni.edu,1001,ada,A,987\nbuggy-grad,s2,Alan Turing,alan@uni.edu,1002,alan,B,988\nabsent,s3,Grace Hopper,grace@uni.edu,1003,grace,A,989\n', 'roster.csv');
const classResults = () => ['correct', 'buggy-grad'].map((n, i) => ({ ...load(n), submission: { ...load(n).submission, student: `s${i + 1}` } }));

describe('Canvas gradebook', () => {
  it('the header its importer requires, a Points Possible row, one row per roster student, blank for no score', async () => {
    const f = await outputFormats.canvas.render(classResults(), { audience: 'instructor', now: NOW, env: {}, roster: ROSTER, file: 'c.csv', lmsAssignment: { id: '12345' } });
    const text = String(f.files![0].data);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows: string[][] = parse(text);
    expect(rows[0]).toEqual(['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', `${load('correct').assignment.title} (12345)`]);
    expect(/^(.*)\s\((\d+)\)$/.exec(rows[0][5])![2]).toBe('12345'); // how Canvas parses the column
    expect(rows[1]).toEqual(['Points Possible', '', '', '', '', '20']);
    expect(rows.slice(2)).toEqual([['Lovelace, Ada', '987', '1001', 'ada', 'A', '20'], ['Alan Turing', '988', '1002', 'alan', 'B', '15.6'], ['Grace Hopper', '989', '1003', 'grace', 'A', '']]);
    expect(f.notes!.join('\n')).toContain('no result for s3');
  });
});

describe('Moodle gradebook', () => {
  it('one identifier column its import maps (email first) and the grade; blank for none; says how to map it', async () => {
    const f = await outputFormats.moodle.render(classResults(), { audience: 'instructor', now: NOW, env: {}, roster: ROSTER, file: 'm.csv' });
    const rows: string[][] = parse(String(f.files![0].data));
    expect(rows).toEqual([['Email address', load('correct').assignment.title], ['ada@uni.edu', '20'], ['alan@uni.edu', '15.6'], ['grace@uni.edu', '']]);
    expect(f.notes!.join('\n')).toMatch(/map "Email address" to useremail/);
    const noEmail = parseRoster('submission,student,sis_id\ncorrect,s1,1001\nbuggy-grad,s2,1002\n', 'r.csv');
    const g = await outputFormats.moodle.render(classResults(), { audience: 'instructor', now: NOW, env: {}, roster: noEmail, file: 'm.csv' });
    expect(parse(String(g.files![0].data))[0][0]).toBe('ID number');
    const none = parseRoster('submission,student,name\ncorrect,s1,Ada\n', 'r.csv');
    expect(() => outputFormats.moodle.render(classResults(), { audience: 'instructor', now: NOW, env: {}, roster: none, file: 'm.csv' })).toThrow(/no column that every student has filled in among email, sis_id/);
  });
});
