/**
 * `validate --lint`: cases whose fixtures cannot reveal that a submission ignores one of its inputs.
 * For each case of a function part and each numeric input of it (an argument, or an entry of an
 * object argument such as params.b1), the reference is run with that input zeroed, and the part's
 * own judge compares that with the reference's real output. When every check still passes, a
 * submission that leaves the input out (a forgotten bias, an unused regularisation strength) gets
 * full marks on that case: a warning names the input, the case and the fix.
 */
import { partKinds } from '../parts/registry.ts';
import { fillReferenceRefs } from '../parts/chain.ts';
import type { FunctionPart } from '../parts/function.ts';
import type { CallTask } from '../sandbox/protocol.ts';
import type { TaskOutcome } from '../sandbox/sandbox.ts';
import { callReference } from '../reference/reference.ts';
import { runTask } from '../sandbox/tasks.ts';
import type { PreparedAssignment } from './plan.ts';

export interface BlindSpot {
  pointer: string;
  message: string;
}

const isNumeric = (v: unknown): boolean => typeof v === 'number' || (Array.isArray(v) && v.length > 0 && v.every(isNumeric));
const zeroed = (v: unknown): unknown => (Array.isArray(v) ? v.map(zeroed) : 0);
const allZero = (v: unknown): boolean => (Array.isArray(v) ? v.every(allZero) : v === 0);

/** The numeric inputs of a call: each numeric argument, and each numeric entry of a plain-object argument. */
function inputsOf(args: unknown[], written: unknown[]): { path: (string | number)[]; label: string; value: unknown }[] {
  const out: { path: (string | number)[]; label: string; value: unknown }[] = [];
  // Named as the spec wrote it: argument 2 ("$toy.y"), b1 of argument 0 ("$model").
  const from = (i: number) => (typeof written[i] === 'string' ? ` ("${written[i]}")` : '');
  args.forEach((a, i) => {
    if (isNumeric(a)) out.push({ path: [i], label: `argument ${i}${from(i)}`, value: a });
    else if (a && typeof a === 'object' && !Array.isArray(a) && Object.getPrototypeOf(a) === Object.prototype) {
      for (const [k, v] of Object.entries(a)) if (isNumeric(v)) out.push({ path: [i, k], label: `${k} of argument ${i}${from(i)}`, value: v });
    }
  });
  return out;
}

function withInput(task: CallTask, path: (string | number)[], value: unknown): CallTask {
  const t = structuredClone(task);
  let holder: Record<string | number, unknown> = t.args as unknown as Record<number, unknown>;
  for (const k of path.slice(0, -1)) holder = holder[k] as Record<string | number, unknown>;
  holder[path[path.length - 1]] = value;
  return t;
}

export async function findBlindSpots(prep: PreparedAssignment): Promise<BlindSpot[]> {
  const { spec, fixtures } = prep.loaded;
  if (prep.reference.precomputed) return [];
  const spots: BlindSpot[] = [];
  for (const [index, part] of spec.parts.entries()) {
    if (part.kind !== 'function' || !prep.tasks.has(part.id)) continue;
    const fn = part as FunctionPart;
    for (const [c, kase] of fn.cases.entries()) {
      // The case alone, so its checks are all there is to pass.
      const single: FunctionPart = { ...fn, cases: [kase] };
      const kind = partKinds.function;
      const tasks = kind.tasks(single, { spec, fixtures, index });
      const reference = new Map<string, unknown>();
      for (const t of tasks.reference) reference.set(t.id, await runTask(prep.reference.module, fillReferenceRefs(structuredClone(t), reference)));
      const main = tasks.student[0] as CallTask;
      for (const input of inputsOf(main.args, kase.args)) {
        let outcome: TaskOutcome;
        try {
          outcome = { ok: true, value: await runTask(prep.reference.module, fillReferenceRefs(withInput(main, input.path, zeroed(input.value)), reference)), ms: 0, output: '' };
        } catch {
          continue; // the reference cannot run without it: a submission that ignores it differs too
        }
        const j = await kind.judge(single, {
          student: new Map([[main.id, outcome]]), reference, fixtures, spec, submissionDir: '',
          callReference: (name, args) => callReference(prep.reference, name, args), locate: () => undefined,
        });
        if (!j.checks.length || !j.checks.every((x) => x.passed)) continue;
        const what = input.label;
        const why = allZero(input.value) ? `it is all zeros here, so a submission that leaves ${what} out gets full marks on this case: give it nonzero values` : `the outputs compared do not change when ${what} is zeroed, so a submission that ignores it gets full marks on this case`;
        spots.push({ pointer: `/parts/${index}/cases/${c}/args/${input.path[0]}`, message: `part "${part.id}" (${part.visibility}), ${kase.name ?? `case ${c + 1}`}: ${why}` });
      }
    }
  }
  return spots;
}
