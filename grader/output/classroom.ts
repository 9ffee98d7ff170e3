/**
 * GitHub Classroom: the `result` step output its grading reporter
 * (classroom-resources/autograding-grading-reporter@v1) reads from the env var `<STEP ID>_RESULTS`:
 * base64 of {version, status, max_score, tests[]}. The reporter fails the job only on a top-level
 * status of "fail" or "error", needs a `tests` array, sums tests[].score into Classroom's points,
 * prints line_no unless it is 0 and a message only for "error" tests. One test per part graded here;
 * the student's view (hidden parts' details withheld), since the log is the student's to read.
 * Also a Markdown job summary (part table and messages) for $GITHUB_STEP_SUMMARY.
 */
import type { GradeResult } from '../judge/result.ts';
import { redactResult } from '../report/redact.ts';
import type { FormatContext, OutputFile, OutputFormat } from './types.ts';
import { partText, pts, scoreLine } from './text.ts';

export interface ClassroomTest {
  name: string;
  status: 'pass' | 'fail' | 'error';
  score: number;
  message: string;
  test_code: string;
  filename: string;
  line_no: number;
  duration: number;
}

export interface ClassroomResult {
  version: 1;
  status: 'pass' | 'fail' | 'error';
  max_score: number;
  tests: ClassroomTest[];
}

export function classroomResult(r: GradeResult, ctx: Pick<FormatContext, 'now' | 'dueDate' | 'published'>): ClassroomResult {
  const shown = redactResult(r, { audience: 'student', now: ctx.now, dueDate: ctx.dueDate, published: ctx.published });
  // Parts a person grades later are not Classroom's tests (their points would count as lost).
  const graded = shown.parts.filter((p) => p.status !== 'skipped' && p.status !== 'pending');
  const tests: ClassroomTest[] = graded.map((p) => ({
    name: `${p.title} (${p.id})`,
    status: p.status === 'passed' ? 'pass' : p.status === 'error' || p.status === 'timeout' ? 'error' : 'fail',
    score: Math.round(p.score * 1e4) / 1e4,
    message: partText(p),
    test_code: `npx nngrade check ${r.assignment.id} --part ${p.id}`,
    filename: p.location?.file ?? '',
    line_no: p.location?.line ?? 0,
    duration: p.durationMs,
  }));
  if (!tests.length) {
    // Never a result without tests: the reporter would throw on it.
    tests.push({ name: 'nngrade', status: 'error', score: 0, message: r.formatErrors?.join('\n') || 'no part was graded', test_code: `npx nngrade check ${r.assignment.id}`, filename: '', line_no: 0, duration: 0 });
  }
  const status = tests.some((t) => t.status === 'fail') ? 'fail' : tests.some((t) => t.status === 'error') ? 'error' : 'pass';
  return { version: 1, status, max_score: graded.reduce((s, p) => s + p.maxScore, 0), tests };
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** The job summary: the part table and what went wrong, in the student's view. */
export function classroomSummary(r: GradeResult, ctx: Pick<FormatContext, 'now' | 'dueDate' | 'published'>): string {
  const shown = redactResult(r, { audience: 'student', now: ctx.now, dueDate: ctx.dueDate, published: ctx.published });
  const icon: Record<string, string> = { passed: '✅', partial: '🟡', failed: '❌', error: '💥', timeout: '⏱️', skipped: '⏸️', pending: '✍️' };
  const lines = [`### ${cell(scoreLine(r))}`, ''];
  for (const n of r.notes ?? []) lines.push(`> **Note:** ${cell(n)}`, '');
  lines.push('| part | status | points |', '| --- | --- | --- |');
  const label = (st: string) => (st === 'skipped' ? 'not graded here' : st === 'pending' ? 'graded by a person' : st);
  for (const p of shown.parts) lines.push(`| ${cell(p.title)} (\`${p.id}\`) | ${icon[p.status] ?? ''} ${label(p.status)} | ${p.status === 'skipped' || p.status === 'pending' ? '–' : pts(p.score)} / ${pts(p.maxScore)} |`);
  for (const p of r.gradedLater ?? []) lines.push(`| ${cell(p.title)} (\`${p.id}\`) | ⏸️ graded after you hand in | – / ${pts(p.points)} |`);
  // What went wrong, once per distinct text (a compile error is every part's: said once, for all of them).
  const groups = new Map<string, string[]>();
  for (const p of shown.parts.filter((x) => x.status !== 'passed' && x.status !== 'skipped' && x.status !== 'pending')) {
    const body = (p.redacted ? p.redacted.reason : [...p.messages, ...(p.location ? [`at ${p.location.file}:${p.location.line}`] : [])].join('\n')).replace(/```/g, "'''");
    groups.set(body, [...(groups.get(body) ?? []), p.title]);
  }
  for (const [body, titles] of groups) lines.push('', `#### ${cell(titles.join(' · '))}`, '', '```text', body, '```');
  return lines.join('\n') + '\n';
}

export const classroom: OutputFormat = {
  summary: "GitHub Classroom: the `result` output for autograding-grading-reporter (base64 JSON in $GITHUB_OUTPUT) and a job summary",
  scope: 'submission',
  render([r], ctx) {
    const json = JSON.stringify(classroomResult(r, ctx));
    const b64 = Buffer.from(json, 'utf8').toString('base64');
    const files: OutputFile[] = [];
    const out = ctx.file ?? ctx.env.GITHUB_OUTPUT;
    if (out) files.push({ path: out, data: `result=${b64}\n`, append: !ctx.file });
    if (ctx.env.GITHUB_STEP_SUMMARY) files.push({ path: ctx.env.GITHUB_STEP_SUMMARY, data: classroomSummary(r, ctx), append: true });
    return { files, stdout: out ? undefined : json + '\n' };
  },
};
