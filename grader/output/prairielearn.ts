/**
 * PrairieLearn external grading: /grade/results/results.json (the folder made if missing). `score`
 * in [0, 1]; `gradable: false` with `format_errors` when the hand-in could not be run at all (it does
 * not compile, it is not a submission), which costs the student no attempt. One test per part with
 * points and max_points; plots as data-URI images. Students read all of it, so it is their view
 * (hidden parts' details withheld). The file stays under PrairieLearn's 1 MB: images go first, then
 * outputs are shortened.
 */
import { existsSync } from 'node:fs';
import type { GradeResult } from '../judge/result.ts';
import { redactResult } from '../report/redact.ts';
import { bandsSpec, confusionSpec, gradcheckSpec, historySpec, perClassSpec, renderSvg } from '../report/plots.ts';
import type { OutputFormat } from './types.ts';
import { headline, partText } from './text.ts';

export const PRAIRIELEARN_MAX_BYTES = 1024 * 1024;

export interface PrairieLearnResults {
  gradable: boolean;
  score: number;
  message: string;
  output: string;
  format_errors?: string[];
  images: { label: string; url: string }[];
  tests: { name: string; description: string; points: number; max_points: number; message: string; output: string }[];
}

export async function prairielearnResults(r: GradeResult, ctx: { now: Date; dueDate?: Date; published?: boolean }, maxBytes = PRAIRIELEARN_MAX_BYTES): Promise<PrairieLearnResults> {
  const shown = redactResult(r, { audience: 'student', now: ctx.now, dueDate: ctx.dueDate, published: ctx.published });
  const graded = shown.parts.filter((p) => p.status !== 'skipped' && p.status !== 'pending');
  const max = graded.reduce((s, p) => s + p.maxScore, 0);
  const out: PrairieLearnResults = {
    gradable: !r.formatErrors?.length,
    score: max > 0 ? Math.min(1, Math.max(0, r.score / max)) : 0,
    message: headline(r),
    output: '',
    images: [],
    tests: graded.map((p) => ({ name: p.title, description: `${p.kind} part ${p.id}`, points: p.score, max_points: p.maxScore, message: partText(p), output: p.output ?? '' })),
  };
  if (r.formatErrors?.length) {
    out.format_errors = r.formatErrors;
    out.score = 0;
  }
  const size = () => Buffer.byteLength(JSON.stringify(out), 'utf8');
  // Outputs the student's code printed can be long: shorten them until the file fits.
  for (let cap = 16_384; size() > maxBytes && cap >= 256; cap = Math.floor(cap / 4)) {
    for (const t of out.tests) if (t.output.length > cap) t.output = `${t.output.slice(0, cap)}\n… (cut to stay under PrairieLearn's 1 MB)`;
  }
  for (const p of shown.parts) {
    if (p.redacted) continue;
    for (const a of p.artifacts ?? []) {
      const spec = a.type === 'history' ? historySpec(a) : a.type === 'confusion' ? confusionSpec(a) : a.type === 'perClass' ? perClassSpec(a) : a.type === 'gradcheck' ? gradcheckSpec(a) : a.type === 'bands' ? bandsSpec(a) : undefined;
      if (!spec) continue;
      const svg = await renderSvg(spec, `${p.id}-${a.type}-`);
      const image = { label: `${p.title}: ${a.title}`, url: `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}` };
      out.images.push(image);
      if (size() > maxBytes) {
        out.images.pop();
        out.output = 'Some plots were left out to keep this result under 1 MB; the HTML report has them all.';
      }
    }
  }
  return out;
}

export const prairielearn: OutputFormat = {
  summary: 'PrairieLearn: /grade/results/results.json for its external grader (score 0..1, tests, plots as images)',
  scope: 'submission',
  defaultFile: () => (existsSync('/grade') ? '/grade/results/results.json' : 'results.json'),
  async render([r], ctx) {
    return { files: [{ path: ctx.file!, data: JSON.stringify(await prairielearnResults(r, ctx)) + '\n' }] };
  },
};
