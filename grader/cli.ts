/**
 * nngrade's command line: validate specs, let a student check a submission,
 * grade the example submissions, print the schema.
 */
import { Command, Option } from 'commander';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import Table from 'cli-table3';
import { loadAssignment, SpecError } from './spec/load.ts';
import { assignmentSchema } from './spec/schema.ts';
import { gradeSubmission, prepareAssignment, NNGRADE_VERSION } from './grade.ts';
import { renderTerminal } from './report/terminal.ts';
import { renderJson } from './report/json.ts';
import { isUserError, UserError } from './util/errors.ts';
import { displayPath, packageRoot } from './util/paths.ts';
import { partKinds } from './parts/registry.ts';

function printUserError(e: UserError): void {
  console.error(pc.red(pc.bold('error: ')) + e.message);
  if (e.where) console.error(`  at ${e.where}`);
  for (const d of e.details) console.error(`  - ${d}`);
  if (e.hint) console.error(pc.dim(`  hint: ${e.hint}`));
}

async function run<T>(f: () => Promise<T>, userErrorExit = 2): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (isUserError(e)) {
      printUserError(e);
      process.exit(userErrorExit);
    }
    console.error(pc.red('nngrade hit an internal error (a bug in nngrade, not in your work); please report it with this trace:'));
    console.error(e instanceof Error ? e.stack : String(e));
    process.exit(3);
  }
}

function writeAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
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
Part kinds: ${Object.entries(partKinds).map(([k, v]) => `\n  ${k.padEnd(10)} ${v.summary}`).join('')}

Exit codes: 0 all checked parts pass (or the spec is valid); 1 some part falls short (or the spec is invalid);
            2 a usage mistake (bad path, flag or spec); 3 an internal error.`);

program
  .command('validate')
  .description('check assignment specs against the schema and for consistency; runs each reference once')
  .argument('<assignment...>', 'assignment folders, assignment.json files, or ids under ./assignments')
  .action(async (assignments: string[]) => {
    let bad = 0;
    for (const a of assignments) {
      try {
        const loaded = loadAssignment(a);
        await prepareAssignment(loaded);
        const s = loaded.spec;
        console.log(`${pc.green('✓')} ${displayPath(loaded.file)}: valid (${s.parts.length} part${s.parts.length === 1 ? '' : 's'}, ${s.points} points)`);
      } catch (e) {
        if (!isUserError(e)) throw e;
        bad++;
        printUserError(e);
      }
    }
    process.exit(bad ? 1 : 0);
  });

program
  .command('check')
  .description("grade a submission against an assignment: a student's self-check (visible parts only, unless --all)")
  .argument('<assignment>', 'assignment folder, assignment.json, or id under ./assignments')
  .argument('[submission-dir]', 'folder holding the submission', '.')
  .option('--json', 'print the result object (format documented in the README) instead of the table')
  .option('--all', 'grade every part, hidden ones too (for instructors)')
  .option('--part <id...>', 'grade only these parts')
  .option('--out <file>', 'also write the JSON result to this file')
  .option('-v, --verbose', "show what the submission printed")
  .action(async (assignment: string, dir: string, o: { json?: boolean; all?: boolean; part?: string[]; out?: string; verbose?: boolean }) => {
    const result = await run(async () => {
      const loaded = loadAssignment(assignment);
      if (o.part) {
        const unknown = o.part.filter((p) => !loaded.spec.parts.some((x) => x.id === p));
        if (unknown.length) throw new UserError(`no part ${unknown.map((u) => `"${u}"`).join(', ')} in ${loaded.spec.id}`, { hint: `its parts are: ${loaded.spec.parts.map((p) => p.id).join(', ')}` });
      }
      const prep = await prepareAssignment(loaded);
      return gradeSubmission(prep, dir, { all: o.all, only: o.part });
    });
    if (o.out) writeAtomic(o.out, renderJson(result));
    process.stdout.write(o.json ? renderJson(result) : renderTerminal(result, { verbose: o.verbose }));
    process.exitCode = result.score >= result.maxScore - 1e-9 ? 0 : 1;
  });

program
  .command('grade')
  .description('grade the example submissions (submissions/<assignment-id>/*) of the given assignments, or of all of them; every part')
  .argument('[assignment...]', 'assignment folders or ids (default: every folder in ./assignments)')
  .option('--submissions <dir>', 'where the example submissions live', 'submissions')
  .addOption(new Option('--out <dir>', 'write one JSON result per submission here').default('out'))
  .action(async (assignments: string[], o: { submissions: string; out: string }) => {
    await run(async () => {
      const root = existsSync('assignments') ? 'assignments' : path.join(packageRoot(), 'assignments');
      const subRoot = existsSync(o.submissions) ? o.submissions : path.join(packageRoot(), 'submissions');
      const ids = assignments.length ? assignments : readdirSync(root).filter((d) => existsSync(path.join(root, d, 'assignment.json')));
      if (!ids.length) throw new UserError(`no assignments found in ${displayPath(root)}`);
      const table = new Table({ head: ['assignment', 'submission', 'score', 'parts (passed/partial/failed/error)', 'ms'], style: { head: ['cyan'] } });
      for (const id of ids) {
        const loaded = loadAssignment(existsSync(id) ? id : path.join(root, id));
        const prep = await prepareAssignment(loaded);
        const dir = path.join(subRoot, loaded.spec.id);
        if (!existsSync(dir)) throw new UserError(`no example submissions for ${loaded.spec.id}: expected folders in ${displayPath(dir)}`);
        for (const s of readdirSync(dir).sort()) {
          if (!statSync(path.join(dir, s)).isDirectory()) continue;
          const r = await gradeSubmission(prep, path.join(dir, s), { all: true });
          writeAtomic(path.join(o.out, loaded.spec.id, `${s}.json`), renderJson(r));
          const count = (st: string) => r.parts.filter((p) => p.status === st).length;
          const colour = r.score >= r.maxScore - 1e-9 ? pc.green : r.score > 0 ? pc.yellow : pc.red;
          table.push([loaded.spec.id, s, colour(`${Math.round(r.score * 100) / 100} / ${r.maxScore}`), `${count('passed')}/${count('partial')}/${count('failed')}/${count('error') + count('timeout')}`, r.durationMs]);
        }
      }
      console.log(table.toString());
      console.log(pc.dim(`results written to ${displayPath(path.resolve(o.out))}/<assignment>/<submission>.json`));
    });
  });

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
