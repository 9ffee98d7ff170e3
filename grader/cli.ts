/**
 * nngrade's command line: validate specs, let a student check a submission,
 * grade the example submissions, print the schema.
 */
import { Command, Option } from 'commander';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { writeFileAtomic } from './util/atomic.ts';
import path from 'node:path';
import pc from 'picocolors';
import Table from 'cli-table3';
import { loadAssignment, SpecError, type LoadedAssignment } from './spec/load.ts';
import { outputFormats } from './output/registry.ts';
import { emitFormats, parseFormats, PLATFORM_FORMATS } from './output/emit.ts';
import { errorResult, setupErrorResult } from './judge/error-result.ts';
import { openPrivate, type PrivateOverlay } from './release/private.ts';
import { registerReleaseCommands } from './commands/release.ts';
import { selfGrade } from './plan/self-grade.ts';
import { findBlindSpots } from './plan/blind-spots.ts';
import { warmTypechecker } from './submission/typecheck-run.ts';
import { registerScoresCommand } from './commands/scores.ts';
import { assignmentSchema } from './spec/schema.ts';
import { gradeSubmission, prepareAssignment, prepareVariant, selectParts, NNGRADE_VERSION } from './grade.ts';
import { perStudentFixtures } from './fixtures/resolve.ts';
import { renderTerminal, tableStyle } from './report/terminal.ts';
import { renderJson } from './report/json.ts';
import { isUserError, UserError } from './util/errors.ts';
import { exitOnError, printUserError } from './util/cli-errors.ts';
import { registerReportCommand } from './commands/report.ts';
import { registerDataCommand } from './commands/data.ts';
import type { GradeResult } from './judge/result.ts';
import { displayPath, packageRoot } from './util/paths.ts';
import { partKinds } from './parts/registry.ts';
import { listExamples, materializeExample } from './submission/examples.ts';
import { listClassRoot } from './batch/entries.ts';
import { gradeBatch, manifestName, mergeBatches, parseShard, readManifest, regradeBatch, shardOf, MANIFEST } from './batch/batch.ts';
import { applyRoster, readRoster } from './batch/roster.ts';
import os from 'node:os';
import { requireIsolation, type Isolation, type IsolationMode } from './sandbox/isolation.ts';
import { BatchProgress } from './batch/progress.ts';

async function run<T>(f: () => Promise<T>, userErrorExit = 2): Promise<T> {
  try {
    return await f();
  } catch (e) {
    exitOnError(e, userErrorExit);
  }
}

interface ReportFlags { html?: boolean; pdf?: boolean; reportDir: string; templates?: string; dashboard?: boolean }

/** --html / --pdf on check and grade: the reports of these results (the renderers load only when asked for). */
async function writeReportsFor(results: GradeResult[], o: ReportFlags, audience: 'student' | 'instructor'): Promise<void> {
  if (!o.html && !o.pdf && !o.dashboard) return;
  const { writeReports } = await import('./report/write.ts');
  const r = await writeReports(results, { html: o.html || o.dashboard, pdf: o.pdf, audience, outDir: o.reportDir, templatesDir: o.templates, dashboard: o.dashboard });
  console.error(pc.dim(`reports: ${r.files.length} file${r.files.length === 1 ? '' : 's'} in ${displayPath(path.resolve(o.reportDir))}`));
  if (r.pdfSkipped) console.error(`${pc.yellow('warning:')} PDF skipped: ${r.pdfSkipped}`);
}

const reportOptions = (c: Command) =>
  c
    .option('--html', 'also write an HTML report per result')
    .option('--pdf', 'also write a PDF report per result (needs Chromium: apt-get install chromium, or set NNGRADE_CHROMIUM)')
    .option('--report-dir <dir>', 'where --html/--pdf write', 'reports')
    .option('--templates <dir>', 'your own report templates folder');


/** --data on check, grade and validate: where the data sets are (as NNGRADE_DATA: a folder holding <name>/). */
const dataOption = () => new Option('--data <dir>', 'a folder holding the data sets (fashion-mnist/, mnist/, cifar10/), looked in before /usr/share/datasets and the cache (= NNGRADE_DATA)');
function useDataDir(dir: string | undefined): void {
  if (dir === undefined) return;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`--data ${JSON.stringify(dir)} is not a folder`, { hint: 'give the folder that holds fashion-mnist/, mnist/ or cifar10/' });
  process.env.NNGRADE_DATA = path.resolve(dir);
}

/** --isolation on check and grade: strict refuses to grade without bubblewrap; auto uses what the machine has. */
const isolationOption = (def: IsolationMode) =>
  new Option('--isolation <mode>', 'strict: refuse to grade without the OS sandbox (bubblewrap); auto: use the layers this machine has, and say which are missing')
    .choices(['strict', 'auto'])
    .default(def);

/** The sandbox's layers for this run; a missing OS layer is said once, on stderr. */
function isolationFor(mode: IsolationMode): Isolation {
  const iso = requireIsolation(mode);
  for (const n of iso.notes) console.error(`${pc.yellow('note:')} ${n}`);
  return iso;
}

const program = new Command();
program
  .name('nngrade')
  .description('Declarative autograder for neural-network course assignments')
  .version(NNGRADE_VERSION)
  .showSuggestionAfterError()
  // Usage mistakes (unknown flag, missing argument) exit 2; --help and --version exit 0.
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
  .addHelpText('after', `
Part kinds: ${Object.entries(partKinds).map(([k, v]) => `\n  ${k.padEnd(13)} ${v.summary}`).join('')}

Exit codes: 0 all checked parts pass (or the spec is valid); 1 some part falls short (or the spec is invalid);
            2 a usage mistake (bad path, flag or spec); 3 an internal error.`);

program
  .command('validate')
  .description("check assignment specs against the schema and for consistency; runs each reference once, then grades it against its own spec (it must get full marks)")
  .argument('<assignment...>', 'assignment folders, assignment.json files, or ids under ./assignments')
  .option('--no-self-grade', 'do not grade the reference against the spec (no sandbox)')
  .option('--lint', "also warn about cases whose fixtures cannot reveal an ignored input (the reference run with each numeric input zeroed still gets full marks, e.g. all-zero biases hide a forgotten b1)")
  .addOption(dataOption())
  .addOption(isolationOption('auto'))
  .action(async (assignments: string[], o: { selfGrade: boolean; lint?: boolean; isolation: IsolationMode; data?: string }) => {
    await run(async () => useDataDir(o.data));
    let bad = 0;
    let isolation: Isolation | undefined;
    for (const a of assignments) {
      try {
        const loaded = loadAssignment(a);
        const prep = await prepareAssignment(loaded, { skipMissingData: true });
        const s = loaded.spec;
        const self = o.selfGrade ? await selfGrade(prep, (isolation ??= isolationFor(o.isolation))) : undefined;
        console.log(`${pc.green('✓')} ${displayPath(loaded.file)}: valid (${s.parts.length} part${s.parts.length === 1 ? '' : 's'}, ${s.points} points)${self?.graded.length ? `; the reference gets full marks on ${self.graded.length} part${self.graded.length === 1 ? '' : 's'}` : ''}`);
        for (const x of prep.skipped) console.log(pc.yellow(`  note: part ${x.part} was not run against the reference: ${x.reason}`));
        for (const x of self?.left ?? []) console.log(pc.dim(`  part ${x.part} was not graded on the reference: ${x.reason}`));
        if (o.lint) {
          const spots = await findBlindSpots(prep);
          for (const x of spots) console.log(`  ${pc.yellow('lint:')} ${loaded.where(x.pointer) ?? displayPath(loaded.file)} ${pc.dim(x.pointer)}: ${x.message}`);
          if (!spots.length) console.log(pc.dim('  lint: every numeric input of every function case changes what is compared'));
        }
      } catch (e) {
        if (!isUserError(e)) throw e;
        bad++;
        printUserError(e);
      }
    }
    process.exit(bad ? 1 : 0);
  });

reportOptions(program
  .command('check'))
  .description("grade a submission against an assignment: a student's self-check (visible parts only, unless --all)")
  .argument('<assignment>', 'assignment folder, assignment.json, or id under ./assignments')
  .argument('[submission-dir]', 'folder holding the submission', '.')
  .option('--json', 'print the result object (format documented in the README) instead of the table (= --format json)')
  .option('--format <format...>', `output formats (name, or name=file to say where it goes): ${Object.entries(outputFormats).filter(([, f]) => f.scope === 'submission').map(([n]) => n).join(', ')} (default: terminal)`)
  .option('--all', 'grade every part, hidden ones too (for instructors)')
  .option('--private <dir|tgz|url>', "a release's private overlay (private/ or private.tgz from `nngrade release`, or an https URL of it; token in NNGRADE_PRIVATE_TOKEN): grades every part (default: $NNGRADE_PRIVATE)")
  .option('--part <id...>', 'grade only these parts')
  .option('--student <id>', 'whose variant to grade, when fixtures are drawn per student (default: $NNGRADE_STUDENT, or GitHub\'s $GITHUB_ACTOR in Actions)')
  .option('--out <file>', 'also write the JSON result to this file')
  .option('-v, --verbose', "show what the submission printed")
  .option('--no-typecheck', "do not type-check the exports against the assignment's interface.d.ts (its problems are warnings that cost no points, unless a typecheck part scores them)")
  .addOption(dataOption())
  .addOption(isolationOption('auto'))
  .action(async (assignment: string, dir: string, o: { json?: boolean; format?: string[]; all?: boolean; private?: string; part?: string[]; student?: string; out?: string; verbose?: boolean; typecheck: boolean; isolation: IsolationMode; data?: string } & ReportFlags) => {
    await run(async () => useDataDir(o.data));
    const formats = await run(async () => parseFormats(o.format ?? [o.json ? 'json' : 'terminal'], 'submission'));
    // A platform reads a file or an output it needs whatever happens: a hand-in or set-up that cannot be
    // graded still gets a result saying why, in every format asked for.
    const forPlatform = formats.some((f) => PLATFORM_FORMATS.has(f.name));
    let loaded: LoadedAssignment | undefined;
    let overlay: PrivateOverlay | undefined;
    const privateSource = o.private ?? (process.env.NNGRADE_PRIVATE || undefined);
    const grade = async () => {
      // The compiler's declarations load in a worker thread while the plan is made.
      if (o.typecheck) warmTypechecker();
      const isolation = isolationFor(o.isolation);
      loaded = loadAssignment(assignment);
      if (privateSource) {
        overlay = await openPrivate(privateSource, process.env.NNGRADE_PRIVATE_TOKEN || undefined);
        const full = loadAssignment(overlay.dir);
        const want = loaded.spec.release?.of.id ?? loaded.spec.id, got = full.spec.release?.of.id ?? full.spec.id;
        if (want !== got) throw new UserError(`the private overlay is of ${got}, not of ${want}`, { hint: 'give the private overlay released with this assignment' });
        loaded = full;
        o.all ??= true;
      }
      if (o.part) {
        const unknown = o.part.filter((p) => !loaded!.spec.parts.some((x) => x.id === p));
        if (unknown.length) throw new UserError(`no part ${unknown.map((u) => `"${u}"`).join(', ')} in ${loaded.spec.id}`, { hint: `its parts are: ${loaded.spec.parts.map((p) => p.id).join(', ')}` });
      }
      const opts = { all: o.all, only: o.part, isolation, typecheck: o.typecheck };
      let prep = await prepareAssignment(loaded, { parts: selectParts(loaded.spec.parts, opts), skipMissingData: true });
      if (perStudentFixtures(loaded.spec).length) {
        const student = o.student ?? (process.env.NNGRADE_STUDENT || (process.env.GITHUB_ACTIONS === 'true' ? process.env.GITHUB_ACTOR : undefined));
        if (student) prep = await prepareVariant(prep, student);
        else console.error(`${pc.yellow('note:')} ${loaded.spec.id} draws some fixtures per student; without --student <id> the base variant is graded`);
      }
      return gradeSubmission(prep, dir, opts);
    };
    let result: GradeResult;
    let failed = false;
    if (forPlatform) {
      try {
        result = await grade();
      } catch (e) {
        failed = true;
        if (isUserError(e)) printUserError(e);
        else console.error(`nngrade hit an internal error (a bug in nngrade; please report it with this trace):\n${(e as Error)?.stack ?? String(e)}`);
        const why = isUserError(e) ? (e as Error).message : `nngrade could not grade this submission because of an internal error (${(e as Error)?.message ?? String(e)})`;
        result = loaded ? errorResult({ loaded }, path.resolve(dir), why) : setupErrorResult(assignment, path.resolve(dir), why);
      }
    } else result = await run(grade);
    overlay?.cleanup();
    if (o.out) writeFileAtomic(o.out, renderJson(result));
    const audience = o.all ? 'instructor' : 'student';
    const emitted = await run(() => emitFormats(formats, [result], { audience, verbose: o.verbose, now: new Date(), env: process.env }));
    process.stdout.write(emitted.stdout);
    for (const n of emitted.notes) console.error(`${pc.yellow('note:')} ${n}`);
    for (const f of emitted.files) console.error(pc.dim(`wrote ${displayPath(path.resolve(f))}`));
    await run(() => writeReportsFor([result], o, audience));
    process.exitCode = failed ? 2 : result.score >= result.maxScore - 1e-9 ? 0 : 1;
  });

/** One row of the grade table. */
function resultRow(r: GradeResult, who: string[]): (string | number)[] {
  const count = (st: string) => r.parts.filter((p) => p.status === st).length;
  const colour = r.score >= r.maxScore - 1e-9 ? pc.green : r.score > 0 ? pc.yellow : pc.red;
  return [...who, colour(`${Math.round(r.score * 100) / 100} / ${r.maxScore}`), `${count('passed')}/${count('partial')}/${count('failed')}/${count('error') + count('timeout')}`, r.durationMs];
}

/** A class folder rather than an assignment: a folder without assignment.json that is not an assignment id. */
function isClassFolder(arg: string, assignmentsRoot: string): boolean {
  return existsSync(arg) && statSync(arg).isDirectory() && !existsSync(path.join(arg, 'assignment.json')) && !existsSync(path.join(assignmentsRoot, arg, 'assignment.json'));
}

interface GradeFlags extends ReportFlags { submissions: string; out: string; isolation: IsolationMode; workers: string; resume?: boolean; json?: boolean; typecheck?: boolean; shard?: string; audience: 'student' | 'instructor'; roster?: string; data?: string }

async function gradeClass(assignment: string, classRoot: string, o: GradeFlags, isolation: Isolation): Promise<number> {
  const workers = Number(o.workers);
  if (!Number.isInteger(workers) || workers < 1) throw new UserError(`--workers expects a whole number ≥ 1, got ${JSON.stringify(o.workers)}`);
  const shard = o.shard !== undefined ? parseShard(o.shard) : undefined;
  const loaded = loadAssignment(assignment);
  let entries = listClassRoot(classRoot, loaded.spec.submission.entry);
  let absent: string[] = [];
  if (o.roster) {
    const mapped = applyRoster(entries, readRoster(o.roster));
    entries = mapped.entries;
    absent = mapped.absent.map((r) => r.student).filter((id) => !shard || shardOf(id, shard.count) === shard.index);
    if (mapped.unlisted.length) console.error(`${pc.yellow('note:')} not on the roster, graded under their own names: ${mapped.unlisted.join(', ')}`);
    if (absent.length) console.error(`${pc.yellow('note:')} on the roster with no hand-in in ${displayPath(classRoot)}: ${absent.join(', ')}`);
  }
  const prep = await prepareAssignment(loaded, { skipMissingData: true });
  for (const x of prep.skipped) console.error(pc.yellow(`${loaded.spec.id}: part ${x.part} is not graded: ${x.reason}`));
  const t0 = performance.now();
  const progress = new BatchProgress(entries.length, !o.json && process.stderr.isTTY === true && !process.env.CI);
  const summary = await gradeBatch(prep, entries, {
    out: o.out, workers, resume: o.resume, isolation, shard, absent, typecheck: o.typecheck,
    onStart: (id) => progress.start(id),
    onDone: (e) => {
      if (o.json && e.result) process.stdout.write(JSON.stringify({ id: e.id, score: e.result.score, maxScore: e.result.maxScore, status: e.result.parts.every((p) => p.status === 'error') ? 'error' : 'graded', ms: Math.round(e.ms) }) + '\n');
      progress.done(e.id, e.result, e.skipped, e.ms);
    },
  });
  progress.stop();
  if (!o.json) {
    const table = new Table({ head: ['student', 'score', 'parts (passed/partial/failed/error)', 'ms'], style: tableStyle() });
    for (const r of summary.results) table.push(resultRow(r, [r.submission.student ?? r.submission.dir]));
    console.log(table.toString());
  }
  const rate = summary.graded ? ` (${((summary.graded / (performance.now() - t0)) * 60_000).toFixed(0)}/min)` : '';
  console.error(pc.dim(`${shard ? `shard ${shard.index}/${shard.count}: ` : ''}${summary.graded} graded${rate}, ${summary.skipped} unchanged, ${summary.errors} could not be graded; results, run records and ${manifestName(shard)} in ${displayPath(path.resolve(o.out))}`));
  await writeReportsFor(summary.results, o, o.audience);
  return summary.errors ? 1 : 0;
}

reportOptions(program
  .command('grade'))
  .description('grade a class: `grade <assignment> <class-folder>` (one folder per student); or the example submissions (submissions/<assignment-id>/*) of the given assignments, or of all of them; every part')
  .argument('[assignment...]', 'an assignment and a class folder; or assignment folders or ids (default: every folder in ./assignments) to grade their examples')
  .option('--submissions <dir>', 'where the example submissions live', 'submissions')
  .addOption(new Option('--out <dir>', 'where results go (a class: results/<student>.json, runs/<student>.run.json, manifest.json)').default('out'))
  .option('--workers <n>', 'submissions graded at once (a class)', String(os.availableParallelism()))
  .option('--typecheck', "also type-check each hand-in against the assignment's interface.d.ts and keep the problems in its result (warnings; ~0.2 s each; typecheck parts do it anyway)")
  .option('--resume', 'skip students whose hand-in and the assignment are unchanged since they were graded into --out (a class)')
  .option('--json', 'print one JSON line per graded student instead of the table (a class)')
  .option('--roster <csv>', 'who each hand-in is: a CSV with a submission column (the entry\'s name) and student, name, email, sis_id, login, section, lms_id as you have them (a class)')
  .option('--shard <i/n>', 'grade only shard i of n (0 ≤ i < n; by a hash of the student id), e.g. --shard $JOB_COMPLETION_INDEX/4; merge the outputs with `nngrade merge` (a class)')
  .option('--dashboard', 'also write a class dashboard (dashboard.html) and gradebook.csv per assignment, with HTML reports')
  .addOption(new Option('--audience <who>', 'whom --html/--pdf reports are for: instructor (every part, hidden values) or student (what the spec lets students see, for handing back)').choices(['student', 'instructor']).default('instructor'))
  .addOption(dataOption())
  .addOption(isolationOption(process.platform === 'linux' ? 'strict' : 'auto'))
  .action(async (assignments: string[], o: GradeFlags) => {
    const code = await run(async () => {
      useDataDir(o.data);
      const isolation = isolationFor(o.isolation);
      const root = existsSync('assignments') ? 'assignments' : path.join(packageRoot(), 'assignments');
      if (assignments.length === 2 && isClassFolder(assignments[1], root)) {
        const a = existsSync(assignments[0]) ? assignments[0] : path.join(root, assignments[0]);
        return gradeClass(a, assignments[1], o, isolation);
      }
      const subRoot = existsSync(o.submissions) ? o.submissions : path.join(packageRoot(), 'submissions');
      const ids = assignments.length ? assignments : readdirSync(root).filter((d) => existsSync(path.join(root, d, 'assignment.json')));
      if (!ids.length) throw new UserError(`no assignments found in ${displayPath(root)}`);
      const table = new Table({ head: ['assignment', 'submission', 'score', 'parts (passed/partial/failed/error)', 'ms'], style: tableStyle() });
      const results: GradeResult[] = [];
      for (const id of ids) {
        const loaded = loadAssignment(existsSync(id) ? id : path.join(root, id));
        const prep = await prepareAssignment(loaded, { skipMissingData: true });
        for (const x of prep.skipped) console.error(pc.yellow(`${loaded.spec.id}: part ${x.part} is not graded: ${x.reason}`));
        const dir = path.join(subRoot, loaded.spec.id);
        if (!existsSync(dir)) throw new UserError(`no example submissions for ${loaded.spec.id}: expected folders in ${displayPath(dir)}`, { hint: 'to grade a class: nngrade grade <assignment> <class-folder>' });
        for (const s of listExamples(dir)) {
          const example = materializeExample(path.join(dir, s));
          // Each example is a student of its own name (its variant, when fixtures are drawn per student).
          const r = await gradeSubmission(await prepareVariant(prep, s), example.dir, { all: true, isolation, typecheck: o.typecheck }).finally(() => example.cleanup());
          r.submission.dir = path.resolve(dir, s);
          results.push(r);
          writeFileAtomic(path.join(o.out, loaded.spec.id, `${s}.json`), renderJson(r));
          table.push(resultRow(r, [loaded.spec.id, s]));
        }
      }
      console.log(table.toString());
      console.log(pc.dim(`results written to ${displayPath(path.resolve(o.out))}/<assignment>/<submission>.json`));
      await writeReportsFor(results, o, o.audience);
      return 0;
    });
    process.exitCode = code;
  });

program
  .command('merge')
  .description('one batch from the outputs of several (the shards of a GitHub Actions matrix or a Kubernetes indexed job): results, run records, one manifest')
  .argument('<dirs...>', 'the --out folders of the shards')
  .requiredOption('--out <dir>', 'where the merged batch goes')
  .action(async (dirs: string[], o: { out: string }) => {
    const code = await run(async () => {
      const r = mergeBatches(dirs, o.out);
      for (const d of r.duplicates) console.error(`${pc.yellow('duplicate:')} ${d.id} is in ${d.in.join(' and ')} (the first is kept)`);
      if (r.missingShards.length) console.error(`${pc.yellow('missing:')} shard${r.missingShards.length > 1 ? 's' : ''} ${r.missingShards.join(', ')} (no manifest for them among the inputs)`);
      console.error(pc.dim(`${r.submissions} submissions merged into ${displayPath(path.resolve(o.out))}`));
      return r.duplicates.length || r.missingShards.length ? 1 : 0;
    });
    process.exitCode = code;
  });

program
  .command('regrade')
  .description("judge a graded class again from its recorded runs, against the assignment as it is now (a fixed tolerance, new points): no student code runs")
  .argument('<out-dir>', 'the --out folder of `nngrade grade <assignment> <class-folder>`')
  .argument('[assignment]', 'the assignment (default: the one the batch was graded with)')
  .action(async (out: string, assignment: string | undefined) => {
    await run(async () => {
      const manifest = readManifest(out);
      if (!manifest) throw new UserError(`no batch in ${displayPath(out)}: ${MANIFEST} is missing`, { hint: 'regrade works on the --out folder of `nngrade grade <assignment> <class-folder>`' });
      const loaded = loadAssignment(assignment ?? manifest.assignment.spec);
      if (loaded.spec.id !== manifest.assignment.id) throw new UserError(`${displayPath(out)} holds a batch of ${manifest.assignment.id}, not ${loaded.spec.id}`);
      const prep = await prepareAssignment(loaded, { skipMissingData: true });
      const { changes, results } = await regradeBatch(prep, out);
      for (const c of changes) console.log(`${c.id}: ${Math.round(c.before * 100) / 100} → ${Math.round(c.after * 100) / 100}`);
      console.error(pc.dim(`${results.length} judged again from their run records, ${changes.length} score${changes.length === 1 ? '' : 's'} changed`));
    });
  });

registerReportCommand(program);
registerReleaseCommands(program);
registerScoresCommand(program);
registerDataCommand(program);

program
  .command('schema')
  .description('print the assignment JSON Schema (assignments/assignment.schema.json is this)')
  .action(() => {
    process.stdout.write(JSON.stringify(assignmentSchema(), null, 2) + '\n');
  });

await program.parseAsync(process.argv).catch((e) => {
  if (e instanceof SpecError || isUserError(e)) {
    printUserError(e);
    process.exit(2);
  }
  throw e;
});
