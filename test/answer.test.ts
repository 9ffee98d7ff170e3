// Answer parts on recorded outcomes (no sandbox): text alternatives and patterns, accepted numbers.
import { describe, expect, it } from 'vitest';
import { answerPart, type AnswerPart } from '../grader/parts/answer.ts';
import type { JudgeInput } from '../grader/parts/types.ts';

const part = (answers: AnswerPart['answers']): AnswerPart => ({ id: 'q', title: 'Questions', kind: 'answer', visibility: 'visible', points: 3, answers });
const input = (student: unknown, reference: unknown): JudgeInput => ({
  student: new Map([['q#answers', { ok: true, value: student, ms: 1, output: '' }]]),
  reference: new Map([['q#answers', reference]]),
  callReference: () => undefined, fixtures: {}, spec: { parts: [] } as never, submissionDir: '/x', locate: () => undefined,
});
const verdicts = async (p: AnswerPart, s: unknown, r: unknown) => (await answerPart.judge(p, input(s, r))).checks.map((c) => c.passed);

describe('answer parts', () => {
  it('text: case and spaces do not matter (unless caseSensitive); accepted alternatives and a pattern', async () => {
    const p = part({ activation: { accept: ['rectified linear unit'] }, depends: { pattern: 'no\\b.*|independent' }, exact: { caseSensitive: true } });
    const ref = { activation: 'ReLU', depends: 'no', exact: 'Adam' };
    expect(await verdicts(p, { activation: '  relu ', depends: 'No, it does not depend on H or W', exact: 'Adam' }, ref)).toEqual([true, true, true]);
    expect(await verdicts(p, { activation: 'Rectified  Linear unit', depends: 'independent', exact: 'adam' }, ref)).toEqual([true, true, false]);
    expect(await verdicts(p, { activation: 'sigmoid', depends: 'yes', exact: 'Adam' }, ref)).toEqual([false, false, true]);
  });
  it('numbers: the reference\'s within the tolerance, or an accepted one', async () => {
    const p = part({ size: { accept: [13] }, rate: { compare: { rtol: 1e-3 } } });
    expect(await verdicts(p, { size: 13, rate: 0.01001 }, { size: 12, rate: 0.01 })).toEqual([true, true]);
    expect(await verdicts(p, { size: 14, rate: 0.0102 }, { size: 12, rate: 0.01 })).toEqual([false, false]);
  });
  it('a pattern that is not a regular expression is a spec error at its pointer', () => {
    const problems = answerPart.lint!(part({ a: { pattern: '(' } }), { spec: {} as never, fixtures: {}, index: 2 });
    expect(problems).toEqual([{ pointer: '/parts/2/answers/a/pattern', message: expect.stringMatching(/^not a regular expression/) }]);
  });
});
