/**
 * Part kind `answer`: short answers a student computes by hand or by code and
 * exports, e.g. a convolution output, an output size, a receptive field. The
 * expected answers come from the reference's export of the same name.
 */
import type { PartBase } from '../spec/types.ts';
import type { Check } from '../judge/result.ts';
import type { ShapePolicy, Tolerance } from '../judge/compare.ts';
import { compareOutput, failedMessages, failureMessage, seedFor, shapeSchema, toleranceSchema } from './common.ts';
import type { PartKind } from './types.ts';

export interface AnswerPart extends PartBase {
  kind: 'answer';
  /** The export holding the answers object (or a function returning it). Default "answers". */
  export?: string;
  answers: Record<string, { title?: string; weight?: number; compare?: Tolerance; shape?: ShapePolicy }>;
}

const exportOf = (p: AnswerPart) => p.export ?? 'answers';
const id = (p: AnswerPart) => `${p.id}#answers`;

export const answerPart: PartKind<AnswerPart> = {
  kind: 'answer',
  summary: 'short numeric, array or text answers exported by the student, compared with the reference',
  schema: {
    required: ['answers'],
    properties: {
      export: { type: 'string', description: 'Export holding the answers object; default "answers"' },
      answers: {
        type: 'object',
        minProperties: 1,
        additionalProperties: {
          type: 'object',
          properties: { title: { type: 'string' }, weight: { type: 'number', minimum: 0 }, compare: toleranceSchema, shape: shapeSchema },
          additionalProperties: false,
        },
      },
    },
  },
  exportsUsed: (p) => [exportOf(p)],
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
      const c = compareOutput(a.title ?? k, k, outcome.value, ref, { compare: a.compare ?? { rtol: 0, atol: 1e-9 }, shape: a.shape ?? 'squeeze' }, a.weight ?? 1);
      return c;
    });
    return { checks, messages: failedMessages(checks), output: outcome.output };
  },
};
