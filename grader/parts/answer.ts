/**
 * Part kind `answer`: short answers a student computes by hand or by code and
 * exports, e.g. a convolution output, an output size, a receptive field. The
 * expected answers come from the reference's export of the same name.
 */
import type { Check } from '../judge/result.ts';
import { compareOutput, failedMessages, failureMessage, seedFor, shapeSchema, toleranceSchema } from './common.ts';
import type { KindSchema, PartKind, PartOf } from './types.ts';
import { getPath } from '../judge/values.ts';

const schema = {
  required: ['answers'],
  properties: {
    export: { type: 'string', description: 'Export holding the answers object; default "answers"' },
    answers: {
      type: 'object',
      minProperties: 1,
      additionalProperties: {
        type: 'object',
        properties: {
          title: { type: 'string' }, weight: { type: 'number', minimum: 0 }, compare: toleranceSchema, shape: shapeSchema,
          accept: { type: 'array', items: { type: ['string', 'number'] }, description: 'Other right answers besides the reference\'s' },
          pattern: { type: 'string', description: 'A regular expression a right text answer matches (whole answer, case-insensitive)' },
          caseSensitive: { type: 'boolean', description: 'Compare text case-sensitively (default: case and extra spaces are ignored)' },
        },
        additionalProperties: false,
      },
    },
  },
} as const satisfies KindSchema;

/** An answer part, as its schema defines it (the type is derived from the schema: one source). */
export type AnswerPart = PartOf<'answer', typeof schema>;
/** One answer: its weight, tolerance (numbers), other right answers, a pattern and case-sensitivity (text). */
export type AnswerSpec = AnswerPart['answers'][string];

const normText = (s: string, a: AnswerSpec) => {
  const t = s.trim().replace(/\s+/g, ' ');
  return a.caseSensitive ? t : t.toLowerCase();
};

/** A text answer against the reference's, the accepted alternatives and the pattern; undefined when the answer is not text. */
function textAnswer(name: string, key: string, got: unknown, ref: unknown, a: AnswerSpec): Check | undefined {
  if (typeof got !== 'string' || (typeof ref !== 'string' && !a.pattern && !a.accept?.some((x) => typeof x === 'string'))) return undefined;
  const mine = normText(got, a);
  const right = [ref, ...(a.accept ?? [])].filter((x): x is string | number => typeof x === 'string' || typeof x === 'number').map((x) => normText(String(x), a));
  const byPattern = a.pattern !== undefined && new RegExp(`^(?:${a.pattern})$`, a.caseSensitive ? '' : 'i').test(got.trim());
  const passed = right.includes(mine) || byPattern;
  return { name, passed, weight: a.weight ?? 1, points: 0, message: passed ? `${key}: right` : `${key}: ${JSON.stringify(got.length > 80 ? `${got.slice(0, 80)}…` : got)} is not the answer`, expected: typeof ref === 'string' ? ref : undefined, received: got };
}

const exportOf = (p: AnswerPart) => p.export ?? 'answers';
const id = (p: AnswerPart) => `${p.id}#answers`;


export const answerPart: PartKind<AnswerPart> = {
  kind: 'answer',
  summary: 'short numeric, array or text answers exported by the student, compared with the reference',
  schema: schema,
  exportsUsed: (p) => [exportOf(p)],
  lint(p, ctx) {
    const problems = [];
    for (const [k, a] of Object.entries(p.answers)) {
      if (a.pattern === undefined) continue;
      try {
        new RegExp(a.pattern);
      } catch (e) {
        problems.push({ pointer: `/parts/${ctx.index}/answers/${k.replace(/~/g, '~0').replace(/\//g, '~1')}/pattern`, message: `not a regular expression: ${(e as Error).message}` });
      }
    }
    return problems;
  },
  tasks(p) {
    const task = { op: 'value' as const, id: id(p), export: exportOf(p), seed: seedFor(id(p)) };
    return { student: [task], reference: [task] };
  },
  judge(p, input) {
    const outcome = input.student.get(id(p))!;
    const keys = Object.keys(p.answers);
    if (!outcome.ok) {
      const f = failureMessage(`reading ${exportOf(p)}`, outcome, input);
      const checks: Check[] = keys.map((k) => ({ name: p.answers[k].title ?? k, passed: false, weight: p.answers[k].weight ?? 1, points: 0, message: 'no answers (see above)' }));
      return { checks, messages: [f.message], status: outcome.kind === 'timeout' ? 'timeout' : 'error', location: f.location, output: outcome.output };
    }
    const ref = input.reference.get(id(p));
    const checks = keys.map((k) => {
      const a = p.answers[k];
      const got = getPath(outcome.value, k), want = getPath(ref, k);
      const text = got.found ? textAnswer(a.title ?? k, k, got.value, want.found ? want.value : undefined, a) : undefined;
      if (text) return text;
      const c = compareOutput(a.title ?? k, k, outcome.value, ref, { compare: a.compare ?? { rtol: 0, atol: 1e-9 }, shape: a.shape ?? 'squeeze' }, a.weight ?? 1);
      // A number the spec also accepts.
      if (!c.passed && got.found && typeof got.value === 'number' && a.accept?.some((x) => typeof x === 'number' && Math.abs(x - (got.value as number)) <= (a.compare?.atol ?? 1e-9) + (a.compare?.rtol ?? 0) * Math.abs(x))) {
        return { ...c, passed: true, message: `${k}: an accepted answer` };
      }
      return c;
    });
    return { checks, messages: failedMessages(checks), output: outcome.output };
  },
};
