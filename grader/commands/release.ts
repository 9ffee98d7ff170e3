/** `nngrade release` (a starter for students and an overlay for the grader) and `nngrade init` (a student repo from a release). */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { loadAssignment } from '../spec/load.ts';
import { makeRelease, RELEASE_DIR } from '../release/release.ts';
import { UserError } from '../util/errors.ts';
import { exitOnError } from '../util/cli-errors.ts';
import { displayPath } from '../util/paths.ts';

/** A student repository from a public release: its files, package.json's nngrade as asked, a git repo with one commit. */
export function initStudentRepo(release: string, dir: string, opts: { nngrade?: string; git?: boolean } = {}): string[] {
  const pub = existsSync(path.join(release, 'public', RELEASE_DIR)) ? path.join(release, 'public') : release;
  if (!existsSync(path.join(pub, RELEASE_DIR, 'assignment.json'))) throw new UserError(`${displayPath(release)} is not a public release: it has no ${RELEASE_DIR}/assignment.json`, { hint: 'make one with `nngrade release <assignment> --out <dir>` and pass <dir> or <dir>/public' });
  if (existsSync(dir) && readdirSync(dir).length) throw new UserError(`${displayPath(dir)} is not empty: init makes a new repository (nothing was written)`);
  cpSync(pub, dir, { recursive: true });
  const notes: string[] = [];
  if (opts.nngrade) {
    const file = path.join(dir, 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    pkg.devDependencies = { ...pkg.devDependencies, nngrade: opts.nngrade };
    writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
  }
  if (opts.git !== false) {
    try {
      const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=nngrade', '-c', 'user.email=nngrade@localhost', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, stdio: 'pipe' });
      git('init', '-q');
      git('add', '-A');
      git('commit', '-q', '-m', 'Starter code');
    } catch (e) {
      notes.push(`not made a git repository (${(e as Error).message.split('\n')[0]})`);
    }
  }
  return notes;
}

export function registerReleaseCommands(program: Command): void {
  program
    .command('release')
    .description("a release of an assignment: public/ for students (visible parts, expected values as data, stubs, a Classroom workflow; no reference code) and private/ + private.tgz for the grader (every part)")
    .argument('<assignment>', 'assignment folder, assignment.json, or id under ./assignments')
    .requiredOption('--out <dir>', 'where public/, private/ and private.tgz go (must be new or empty)')
    .option('--nngrade <spec>', "the nngrade the starter's package.json installs (an npm range, a tarball, a git URL)")
    .option('--action <uses>', 'the action the Classroom workflow runs (default: the nngrade the starter installs, ./node_modules/nngrade)')
    .action(async (assignment: string, o: { out: string; nngrade?: string; action?: string }) => {
      try {
        const root = existsSync(assignment) ? assignment : path.join('assignments', assignment);
        const r = await makeRelease(loadAssignment(root), o);
        console.log(`${pc.green('✓')} public release (for students): ${displayPath(r.publicDir)}: ${r.publicParts.length} part${r.publicParts.length === 1 ? '' : 's'} (${r.publicParts.join(', ') || 'none'})`);
        console.log(`${pc.green('✓')} private overlay (for grading; keep it secret): ${displayPath(r.privateDir)} and ${displayPath(r.privateTarball)}`);
        for (const x of r.gradedLater) console.log(pc.dim(`  ${x.id} is graded with the overlay only: ${x.why}`));
        for (const n of r.notes) console.error(`${pc.yellow('note:')} ${n}`);
        console.log(pc.dim(`next: nngrade init ${displayPath(r.publicDir)} <student-repo>; grade with --private ${displayPath(r.privateTarball)}`));
      } catch (e) {
        exitOnError(e);
      }
    });

  program
    .command('init')
    .description('a ready student repository from a public release (its files, a git repo with the starter committed)')
    .argument('<release>', 'the --out folder of `nngrade release`, or its public/')
    .argument('<dir>', 'the new repository (must be new or empty)')
    .option('--nngrade <spec>', 'the nngrade its package.json installs, instead of the release\'s (e.g. a tarball path)')
    .option('--no-git', 'do not make it a git repository')
    .action((release: string, dir: string, o: { nngrade?: string; git: boolean }) => {
      try {
        const notes = initStudentRepo(release, dir, o);
        for (const n of notes) console.error(`${pc.yellow('note:')} ${n}`);
        console.log(`${pc.green('✓')} ${displayPath(path.resolve(dir))}: cd into it, then npm install && npm run check`);
      } catch (e) {
        exitOnError(e);
      }
    });
}
