/**
 * Part kind `manual`: a written question graded by a person with a rubric. The answer is a file of the
 * submission (Markdown or text, read in the run stage as data) or a string the student exports. Until a
 * grader scores it (`nngrade scores export` → fill in → `scores import`), the part is `pending`: shown
 * with its answer and counted apart from the autograded score, never as 0.
 */
import path from 'node:path';
import type { ManualGrading } from '../judge/result.ts';
import type { TaskOutcome } from '../sandbox/sandbox.ts';
import { ConfinedReadError, readConfined } from '../submission/confine.ts';
import { describeType } from '../judge/values.ts';
import { cleanText } from '../sandbox/sanitize.ts';
import { failureMessage, seedFor } from './common.ts';
import type { KindSchema, PartKind, PartOf, SpecProblem } from './types.ts';

const schema = {
  required: ['question', 'answer', 'rubric'],
  properties: {
    question: { type: 'string', minLength: 1, description: 'The question, as students and graders read it' },
    answer: {
      oneOf: [
        { type: 'object', required: ['file'], properties: { file: { type: 'string', minLength: 1, description: 'A Markdown or text file of the submission' } }, additionalProperties: false },
        { type: 'object', required: ['export'], properties: { export: { type: 'string', minLength: 1, description: 'An export holding the answer as a string' } }, additionalProperties: false },
      ],
    },
    rubric: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['id', 'points', 'text'],
        properties: { id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$' }, points: { type: 'number' }, text: { type: 'string', minLength: 1 } },
        additionalProperties: false,
      },
    },
  },
} as const satisfies KindSchema;

/** A manual part, as its schema defines it (the type is derived from the schema: one source). */
export type ManualPart = PartOf<'manual', typeof schema>;

/** Answers are shown whole up to this size; longer ones are cut (the file stays the student's). */
export const ANSWER_MAX_CHARS = 20_000;
const FILE_MAX_BYTES = 1024 * 1024;
const id = (p: ManualPart) => `${p.id}#answer`;
const sourceOf = (p: ManualPart) => ('file' in p.answer ? p.answer.file : `export ${p.answer.export}`);

/** The score of a set of applied rubric items: their points, kept within 0 … the part's points. */
export function rubricScore(p: Pick<ManualPart, 'points' | 'rubric'>, applied: string[]): number {
  const sum = p.rubric.filter((r) => applied.includes(r.id)).reduce((s, r) => s + r.points, 0);
  return Math.max(0, Math.min(p.points, Math.round(sum * 1e6) / 1e6));
}


export const manualPart: PartKind<ManualPart> = {
  kind: 'manual',
  summary: 'a written question graded by a person with a rubric (pending until scored with `nngrade scores import`)',
  schema: schema,
  exportsUsed: (p) => ('export' in p.answer ? [p.answer.export] : []),
  lint(p, ctx) {
    const problems: SpecProblem[] = [];
    const ptr = `/parts/${ctx.index}`;
    const seen = new Map<string, number>();
    p.rubric.forEach((r, i) => {
      if (seen.has(r.id)) problems.push({ pointer: `${ptr}/rubric/${i}/id`, message: `rubric item "${r.id}" is already /rubric/${seen.get(r.id)}` });
      seen.set(r.id, i);
    });
    const best = p.rubric.filter((r) => r.points > 0).reduce((s, r) => s + r.points, 0);
    if (best < p.points - 1e-9) problems.push({ pointer: `${ptr}/rubric`, message: `the rubric's positive items add up to ${best}, less than the part's ${p.points} points: no answer could get full marks` });
    if ('file' in p.answer && (path.isAbsolute(p.answer.file) || p.answer.file.split(/[\\/]/).includes('..'))) problems.push({ pointer: `${ptr}/answer/file`, message: `"${p.answer.file}" must be a path inside the submission folder` });
    return problems;
  },
  tasks(p) {
    if ('file' in p.answer) return { student: [], reference: [] };
    return { student: [{ op: 'value' as const, id: id(p), export: p.answer.export, seed: seedFor(id(p)) }], reference: [] };
  },
  // An answer file is read in the run stage, as data (confined to the submission folder).
  async collect(p, submissionDir) {
    if (!('file' in p.answer)) return new Map();
    let outcome: TaskOutcome;
    try {
      const text = readConfined(submissionDir, path.join(submissionDir, p.answer.file), FILE_MAX_BYTES, 'answer file').toString('utf8');
      outcome = { ok: true, value: text, ms: 0, output: '' };
    } catch (e) {
      const notFound = (e as NodeJS.ErrnoException).code === 'ENOENT' || /no such file|does not exist/i.test((e as Error).message);
      outcome = { ok: false, kind: 'error', message: notFound ? `${p.answer.file} is not in the submission` : e instanceof ConfinedReadError ? e.message : `${p.answer.file} cannot be read (${(e as Error).message})`, ms: 0, output: '' };
    }
    return new Map([[id(p), outcome]]);
  },
  gradesHandedInFiles: (p) => 'file' in p.answer,
  judge(p, input) {
    const outcome = input.student.get(id(p));
    const manual: ManualGrading = { question: p.question, source: sourceOf(p), rubric: p.rubric.map((r) => ({ ...r })) };
    if (!outcome) manual.missing = `no answer was read from ${sourceOf(p)}`;
    else if (!outcome.ok) manual.missing = 'file' in p.answer ? outcome.message : failureMessage(`reading ${p.answer.export}`, outcome, input).message;
    else if (typeof outcome.value !== 'string') manual.missing = `${sourceOf(p)} should be text, got ${describeType(outcome.value)}`;
    else {
      // The student's text, without terminal escapes or control characters (it reaches reports, CSVs and terminals).
      const text = cleanText(outcome.value);
      manual.answer = text.length > ANSWER_MAX_CHARS ? `${text.slice(0, ANSWER_MAX_CHARS)}\n… (cut at ${ANSWER_MAX_CHARS.toLocaleString('en-US')} characters)` : text;
    }
    const message = manual.missing ? `graded by a person (answer missing: ${manual.missing})` : `graded by a person: your answer (${sourceOf(p)}) is read with a rubric`;
    return { checks: [], messages: [message], status: 'pending', manual, output: outcome?.output };
  },
};
