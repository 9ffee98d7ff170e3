/** Every part kind, by name. Adding a kind: one module in grader/parts/ and one line here. */
import type { PartKind } from './types.ts';
import { functionPart } from './function.ts';
import { gradcheckPart } from './gradcheck.ts';
import { answerPart } from './answer.ts';
import { architecturePart } from './architecture.ts';
import { accuracyPart } from './accuracy.ts';
import { manualPart } from './manual.ts';
import { typecheckPart } from './typecheck.ts';

/** Whether grading this part needs TensorFlow.js (in the sandbox and the judge). */
export function usesTf(part: { kind: string }): boolean {
  const k = partKinds[part.kind]?.usesTf;
  return typeof k === 'function' ? k(part) : Boolean(k);
}

export const partKinds: Record<string, PartKind<any>> = {
  function: functionPart,
  gradcheck: gradcheckPart,
  answer: answerPart,
  architecture: architecturePart,
  accuracy: accuracyPart,
  manual: manualPart,
  typecheck: typecheckPart,
};
