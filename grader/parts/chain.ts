/**
 * Chained calls: a case argument that is an earlier call's output in the same case ("$fwd.cache").
 * A step `from: "student"` (the default) runs in the same task, on each side's own code: the
 * student's backward gets the student's own cache, the reference's the reference's, whatever it
 * holds. A step `from: "reference"` is the reference's call, run in the grader, whose output (data)
 * both sides are given.
 */
import type { FromSchema } from 'json-schema-to-ts';
import { Deferred, resolveRefs, type Fixtures } from '../fixtures/resolve.ts';
import { toNested } from '../fixtures/ndarray.ts';
import { UserError } from '../util/errors.ts';
import type { CallTask, StepRef, Task, TaskStep } from '../sandbox/protocol.ts';
import { indexPath, returnsSchema } from './common.ts';

export const stepsSchema = {
  type: 'array',
  minItems: 1,
  description: 'Calls made first, in order; later arguments take their outputs as "$<as>" or "$<as>.<path>" (e.g. a backward pass given the forward pass\'s cache)',
  items: {
    type: 'object',
    required: ['as', 'call', 'args'],
    properties: {
      as: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
      call: { type: 'string' },
      args: { type: 'array' },
      from: { enum: ['student', 'reference'], description: "student (default): each side's own call, its output passed on as it is; reference: the reference's output, given to both" },
      returns: returnsSchema,
    },
    additionalProperties: false,
  },
} as const;

/** A call made first (`as`: the name later arguments use; `from`: whose call; `returns`: names of an array return). */
export type StepSpec = FromSchema<typeof stepsSchema>[number];

/** A reference value an argument takes (a `from: "reference"` step), filled in before the task runs. */
interface ReferenceRef {
  __nngradeRef: string;
  path: string[];
}

const isReferenceRef = (v: unknown): v is ReferenceRef => typeof v === 'object' && v !== null && typeof (v as ReferenceRef).__nngradeRef === 'string' && Array.isArray((v as ReferenceRef).path);

export interface ResolvedSteps {
  /** The student's calls made in the task (from: student). */
  steps: TaskStep[];
  /** The reference's calls the grader runs first (from: reference), as tasks. */
  referenceTasks: CallTask[];
  /** Names for resolveRefs: each step's output, deferred. */
  names: Record<string, Deferred>;
}

/** The steps of one case: their tasks, and the names later arguments use. */
export function resolveSteps(steps: StepSpec[] | undefined, fixtures: Fixtures, pointer: string, taskId: string, seed: number): ResolvedSteps {
  const out: ResolvedSteps = { steps: [], referenceTasks: [], names: {} };
  (steps ?? []).forEach((s, j) => {
    const args = resolveRefs(s.args, fixtures, `${pointer}/${j}/args`, out.names) as unknown[];
    const path = (p: string[]) => (p.length ? indexPath(s.returns, p.join('.')).split('.') : []);
    if (s.from === 'reference') {
      const id = `${taskId}>${s.as}`;
      out.referenceTasks.push({ op: 'call', id, export: s.call, args, seed });
      out.names[s.as] = new Deferred((p): ReferenceRef => ({ __nngradeRef: id, path: path(p) }));
    } else {
      out.steps.push({ as: s.as, export: s.call, args });
      out.names[s.as] = new Deferred((p): StepRef => ({ __nngradeStep: s.as, path: path(p) }));
    }
  });
  return out;
}

/** A wire value as a student's function receives data: arrays as nested number arrays. */
function asArgument(v: unknown, what: string): unknown {
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o.__ndarray) {
      const shape = o.shape as number[];
      return shape.length <= 1 && o.source !== 'tf.Tensor' ? Array.from(o.data as Float64Array) : toNested({ shape, data: o.data as Float64Array, dtype: 'float64' });
    }
    if (typeof o.__unsupported === 'string') throw new UserError(`${what} is ${o.__unsupported}, which cannot be passed on from the reference`, { hint: 'pass only data from a reference step, or make the step from: "student"' });
    if (Array.isArray(v)) return v.map((x, i) => asArgument(x, `${what}[${i}]`));
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, asArgument(x, `${what}.${k}`)]));
  }
  return v;
}

function fill(v: unknown, values: Map<string, unknown>): unknown {
  if (isReferenceRef(v)) {
    if (!values.has(v.__nngradeRef)) throw new UserError(`internal: the reference's value for ${v.__nngradeRef} is missing`);
    let cur = values.get(v.__nngradeRef);
    for (const k of v.path) {
      if (cur === null || typeof cur !== 'object' || !(k in cur)) throw new UserError(`the reference's output of step ${v.__nngradeRef.split('>').pop()} has no "${v.path.join('.')}"`, { hint: 'fix the path in the spec' });
      cur = (cur as Record<string, unknown>)[k];
    }
    return asArgument(cur, `the reference's output of step ${v.__nngradeRef.split('>').pop()}${v.path.length ? ` at "${v.path.join('.')}"` : ''}`);
  }
  if (Array.isArray(v)) return v.map((x) => fill(x, values));
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x, values)]));
  return v;
}

/** The task with the reference values its arguments take filled in (unchanged when it takes none). */
export function fillReferenceRefs<T extends Task>(task: T, values: Map<string, unknown>): T {
  if (!('fromReference' in task && task.fromReference)) return task;
  return fill(task, values) as T;
}

/** Step names that clash with a fixture set or an earlier step (either would make "$name" ambiguous). */
export function lintSteps(steps: StepSpec[] | undefined, fixtures: Fixtures, pointer: string, problems: { pointer: string; message: string }[]): void {
  const seen = new Set<string>();
  (steps ?? []).forEach((s, j) => {
    if (s.as in fixtures) problems.push({ pointer: `${pointer}/${j}/as`, message: `step name "${s.as}" is also a fixture set, so "$${s.as}" would be ambiguous: rename the step` });
    if (seen.has(s.as)) problems.push({ pointer: `${pointer}/${j}/as`, message: `step name "${s.as}" is used twice in this case` });
    seen.add(s.as);
  });
}
