/**
 * `nngrade report <result.json...>`: HTML/PDF reports, a class dashboard and
 * a CSV gradebook from saved results, without grading again.
 *
 * Wire it into the CLI with one line in grader/cli.ts (before parseAsync):
 *   registerReportCommand(program);
 * plus `import { registerReportCommand } from './commands/report.ts';`.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import pc from 'picocolors';
import type { GradeResult } from '../judge/result.ts';
import { UserError } from '../util/errors.ts';
import { exitOnError } from '../util/cli-errors.ts';
import { displayPath } from '../util/paths.ts';
import { readResultFile } from '../report/validate.ts';
import type { Audience } from '../report/redact.ts';
import { outputFormats } from '../output/registry.ts';
import { emitFormats, parseFormats } from '../output/emit.ts';
import { readRoster } from '../batch/roster.ts';

export interface ReportCommandOptions {
  html?: boolean;
  pdf?: boolean;
  audience: Audience;
  out: string;
  templates?: string;
  dashboard?: boolean;
  dueDate?: string;
  published?: boolean;
  format?: string[];
  roster?: string;
  lmsAssignmentId?: string;
  lmsTitle?: string;
}

/** The result files named on the command line; a folder stands for the .json files under it. */
export function resultFiles(args: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json')) out.push(p);
    }
  };
  for (const a of args) {
    if (existsSync(a) && statSync(a).isDirectory()) {
      const before = out.length;
      walk(a);
      if (out.length === before) throw new UserError(`no .json result files in the folder ${displayPath(a)}`);
    } else out.push(a);
  }
  return out;
}

function parseDate(s: string | undefined): Date | undefined {
  if (s === undefined) return undefined;
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new UserError(`--due-date ${JSON.stringify(s)} is not a date`, { hint: 'use ISO 8601, e.g. 2026-12-01T23:59:00Z' });
  return d;
}

export async function runReportCommand(files: string[], o: ReportCommandOptions): Promise<number> {
  const dueDate = parseDate(o.dueDate);
  // Read and check every file before writing anything.
  const results: GradeResult[] = [];
  for (const f of resultFiles(files)) results.push(...readResultFile(f));
  if (o.format) return emitReportFormats(results, o, dueDate);
  const html = o.html || !o.pdf;
  // Loaded only here: the renderers (Handlebars, Vega, Puppeteer) cost start-up time nobody else should pay.
  const { writeReports } = await import('../report/write.ts');
  const { files: written, pdfSkipped } = await writeReports(results, {
    html,
    pdf: Boolean(o.pdf),
    audience: o.audience,
    outDir: o.out,
    templatesDir: o.templates,
    dashboard: o.dashboard,
    dueDate,
    published: o.published,
  });
  const count = (ext: string) => written.filter((f) => f.endsWith(ext)).length;
  const what = [count('.html') && `${count('.html')} HTML`, count('.pdf') && `${count('.pdf')} PDF`, count('.csv') && `${count('.csv')} CSV`].filter(Boolean).join(', ');
  console.log(`${pc.green('✓')} ${results.length} result${results.length === 1 ? '' : 's'} → ${what || 'nothing'} in ${displayPath(path.resolve(o.out))}${o.audience === 'instructor' ? pc.dim(' (instructor view)') : ''}`);
  const dashboards = written.filter((f) => path.basename(f) === 'dashboard.html');
  for (const d of dashboards) console.log(`  dashboard: ${displayPath(path.resolve(d))}`);
  if (o.dashboard && o.audience === 'student') console.log(pc.dim('  note: the dashboard always shows every part (it is for instructors); do not hand it out'));
  if (pdfSkipped) console.error(`${pc.yellow('warning:')} PDF skipped: ${pdfSkipped}`);
  return 0;
}

/** `report --format …`: each format into --out (a gradebook as its file there, the reports as folders). */
async function emitReportFormats(results: GradeResult[], o: ReportCommandOptions, dueDate: Date | undefined): Promise<number> {
  const requests = parseFormats(o.format!).map((q) => {
    if (q.format.scope === 'submission' && q.name !== 'json') throw new UserError(`--format ${q.name} is for one submission (a platform's run): use it with \`nngrade check … --format ${q.name}\``);
    return { ...q, file: q.file ?? (q.format.folder ? o.out : q.format.defaultFile ? path.join(o.out, q.format.defaultFile(process.env)!) : undefined) };
  });
  const roster = o.roster ? readRoster(o.roster) : undefined;
  const lmsAssignment = o.lmsAssignmentId || o.lmsTitle ? { id: o.lmsAssignmentId, title: o.lmsTitle } : undefined;
  const r = await emitFormats(requests, results, { audience: o.audience, now: new Date(), dueDate, published: o.published, env: process.env, roster, lmsAssignment, templatesDir: o.templates });
  process.stdout.write(r.stdout);
  for (const n of r.notes) console.error(`${pc.yellow('note:')} ${n}`);
  console.log(`${pc.green('✓')} ${results.length} result${results.length === 1 ? '' : 's'} → ${r.files.length} file${r.files.length === 1 ? '' : 's'}${r.files.length ? ` (${[...new Set(r.files.map((f) => displayPath(path.resolve(f))))].slice(0, 4).join(', ')}${r.files.length > 4 ? ', …' : ''})` : ''}`);
  return 0;
}

export function registerReportCommand(program: Command): Command {
  return program
    .command('report')
    .description('make HTML/PDF reports (and a class dashboard with a CSV gradebook) from saved results, without grading again')
    .argument('<result...>', 'result .json files (from check --json/--out or grade --out), or folders holding them')
    .option('--html', 'write an HTML report per result (the default when --pdf is not given)')
    .option('--pdf', 'write a PDF report per result (needs Chromium: apt-get install chromium, or set NNGRADE_CHROMIUM)')
    .addOption(new Option('--audience <who>', 'student: hidden parts show only status and points; instructor: everything').choices(['student', 'instructor']).default('student'))
    .option('--out <dir>', 'folder to write into', 'reports')
    .option('--templates <dir>', 'your own templates folder (same file names as nngrade/templates; missing files fall back to ours)')
    .option('--dashboard', 'also write dashboard.html (instructor view) and gradebook.csv for the batch')
    .option('--due-date <date>', 'the due date: after_due_date parts are shown to students once it has passed')
    .option('--published', 'grades are published: after_published parts are shown to students')
    .option('--format <format...>', `what to write instead (name, or name=file): ${Object.entries(outputFormats).filter(([n, f]) => f.scope === 'class' || n === 'json').map(([n]) => n).join(', ')}`)
    .option('--roster <csv>', 'who each result is (canvas, moodle): a CSV with student and name, email, sis_id, login, section, lms_id columns (see grade --roster)')
    .option('--lms-assignment-id <id>', "canvas: the assignment's Canvas id, so its column is \"<title> (<id>)\" as Canvas exports it")
    .option('--lms-title <title>', 'canvas, moodle: the grade column\'s title (default: the assignment title)')
    // Usage mistakes exit 2 (as for every nngrade command), whatever order the CLI registers things in.
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action(async (files: string[], o: ReportCommandOptions) => {
      try {
        process.exitCode = await runReportCommand(files, o);
      } catch (e) {
        exitOnError(e);
      }
    });
}
