/** `nngrade scores export|import`: the manual grading round trip (grader/batch/scores.ts). */
import path from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { exportScores, importScores } from '../batch/scores.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { exitOnError } from '../util/cli-errors.ts';
import { displayPath } from '../util/paths.ts';

export function registerScoresCommand(program: Command): void {
  const scores = program.command('scores').description('grade the manual parts by hand: export a CSV for graders, import it back into the results');
  scores
    .command('export')
    .description('one CSV row per student and manual part: the answer\'s first lines, a column per rubric item (mark x to apply it), a comment')
    .argument('<out-dir>', 'the --out folder of `nngrade grade` (or a folder of result files)')
    .option('--out <file>', 'where the CSV goes', 'manual-grading.csv')
    .action((dir: string, o: { out: string }) => {
      try {
        const r = exportScores(dir);
        writeFileAtomic(o.out, r.csv);
        console.log(`${pc.green('✓')} ${r.rows} answer${r.rows === 1 ? '' : 's'} to grade (${r.pending} pending) → ${displayPath(path.resolve(o.out))}`);
        console.log(pc.dim(`mark the rubric items that apply with x, add comments, then: nngrade scores import ${displayPath(o.out)} ${displayPath(dir)}`));
      } catch (e) {
        exitOnError(e);
      }
    });
  scores
    .command('import')
    .description('merge a filled-in grading CSV into the results (every row is checked first: nothing is half-written)')
    .argument('<csv>', 'the CSV from `scores export`, filled in')
    .argument('<out-dir>', 'the folder the results are in')
    .action((csv: string, dir: string) => {
      try {
        const r = importScores(csv, dir);
        console.log(`${pc.green('✓')} ${r.graded} answer${r.graded === 1 ? '' : 's'} graded for ${r.students} student${r.students === 1 ? '' : 's'}; ${r.stillPending} still pending`);
        console.log(pc.dim('remake the reports and gradebooks: nngrade report <out-dir>/results --dashboard …'));
      } catch (e) {
        exitOnError(e);
      }
    });
}
