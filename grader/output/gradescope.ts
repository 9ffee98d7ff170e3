/**
 * Gradescope: /autograder/results/results.json as its autograder specs define it: a top-level score
 * (it overrides the tests' total), execution_time in seconds, output, visibility, and one test per
 * part with score, max_score, status (passed|failed), output and the part's visibility, which maps
 * one to one (visible, hidden, after_due_date, after_published): Gradescope withholds what the spec
 * withholds, so every detail is written (the instructor sees it all there).
 */
import { existsSync } from 'node:fs';
import type { GradeResult } from '../judge/result.ts';
import type { OutputFormat } from './types.ts';
import { headline, partText } from './text.ts';

export interface GradescopeTest {
  name: string;
  number: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  output: string;
  output_format: 'text';
  visibility: 'visible' | 'hidden' | 'after_due_date' | 'after_published';
}

export interface GradescopeResults {
  score: number;
  execution_time: number;
  output: string;
  output_format: 'text';
  visibility: 'visible';
  stdout_visibility: 'hidden';
  tests: GradescopeTest[];
}

export function gradescopeResults(r: GradeResult): GradescopeResults {
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  return {
    score: round(r.score),
    execution_time: round(r.durationMs / 1000),
    output: [headline(r), ...(r.formatErrors ?? [])].join('\n'),
    output_format: 'text',
    visibility: 'visible',
    stdout_visibility: 'hidden',
    // Written answers waiting for a person are graded in Gradescope's own manual questions, not here.
    tests: r.parts.filter((p) => p.status !== 'pending').map((p, i) => ({
      name: p.title,
      number: String(i + 1),
      score: round(p.status === 'skipped' ? 0 : p.score),
      max_score: p.maxScore,
      status: p.status === 'passed' ? 'passed' : 'failed',
      output: partText(p),
      output_format: 'text',
      visibility: p.visibility,
    })),
  };
}

export const gradescope: OutputFormat = {
  summary: 'Gradescope: results.json for its autograder harness (default /autograder/results/results.json when /autograder exists, else results.json)',
  scope: 'submission',
  defaultFile: () => (existsSync('/autograder') ? '/autograder/results/results.json' : 'results.json'),
  render([r], ctx) {
    return { files: [{ path: ctx.file!, data: JSON.stringify(gradescopeResults(r), null, 2) + '\n' }] };
  },
};
