/**
 * Part kind `gradcheck`: the numerical gradient of the student's loss by
 * central differences, against the student's own analytic gradient, as the
 * max relative error per parameter (CS231n's rel_error). The sandbox only
 * evaluates the loss at perturbed points; the differences and errors are
 * computed here. Optionally the loss itself is compared with the reference's,
 * so a constant loss with zero gradients cannot pass.
 */
import type { PartBase } from '../spec/types.ts';
import type { Check } from '../judge/result.ts';
import { fmt, squeezeShape, type Tolerance } from '../judge/compare.ts';
import { getPath, toNDArray, ValueError, describeType } from '../judge/values.ts';
import { formatIndex } from '../judge/values.ts';
import { FixtureError, resolveRefs, type Fixtures } from '../fixtures/resolve.ts';
import { argsSchema, compareOutput, failedMessages, failureMessage, indexPath, returnsSchema, seedFor, toleranceSchema } from './common.ts';
import type { PartKind, SpecProblem } from './types.ts';
import type { GradTask, GradTaskValue } from '../sandbox/protocol.ts';

export interface GradcheckPart extends PartBase {
  kind: 'gradcheck';
  call: string;
  args: unknown[];
  /** Which argument holds the parameters; `keys` when it is an object of arrays. */
  wrt: { arg: number; keys?: string[] };
  /** Path of the scalar loss in the output ("" = the output itself). Default: "loss" with keys, else "". */
  loss?: string;
  /** Path of the analytic gradients in the output (an object keyed like `wrt.keys`). Default "grads". */
  grads?: string;
  /** A separate export computing the analytic gradient on the same arguments (e.g. dL for L). */
  gradCall?: string;
  h?: number;
  maxRelError?: number;
  /** At most this many elements per parameter are checked (a seeded sample). */
  maxElements?: number;
  /** Also compare the loss at the given point with the reference's (false to skip). */
  compareLoss?: Tolerance | false;
  /** Names of the values of an array return (`loss` and `grads` may then name them). */
  returns?: string[];
}

const id = (part: GradcheckPart) => `${part.id}#grad`;
const keysOf = (part: GradcheckPart) => part.wrt.keys ?? [''];
const lossPath = (part: GradcheckPart) => indexPath(part.returns, part.loss ?? (part.wrt.keys ? 'loss' : ''));
const gradsPath = (part: GradcheckPart) => indexPath(part.returns, part.grads ?? 'grads');

function paramValue(args: unknown[], part: GradcheckPart, key: string): unknown {
  const a = args[part.wrt.arg];
  return key === '' ? a : (a as Record<string, unknown>)?.[key];
}

/** The flat indices checked per parameter: all of them, or a seeded sample of maxElements. */
export function chooseIndices(part: GradcheckPart, fixtures: Fixtures, pointer = ''): Record<string, number[]> {
  const args = resolveRefs(part.args, fixtures, pointer) as unknown[];
  const out: Record<string, number[]> = {};
  const max = part.maxElements ?? 64;
  for (const key of keysOf(part)) {
    const size = toNDArray(paramValue(args, part, key), key).data.length;
    const all = Array.from({ length: size }, (_, i) => i);
    if (size <= max) { out[key] = all; continue; }
    let s = seedFor(`${part.id}/${key}`);
    for (let i = size - 1; i > 0; i--) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const j = s % (i + 1);
      [all[i], all[j]] = [all[j], all[i]];
    }
    out[key] = all.slice(0, max).sort((a, b) => a - b);
  }
  return out;
}

/**
 * The student's loss at every perturbed point against the reference's at the same points: a loss
 * that is right at the base point but different where it is probed (to fake agreeing gradients) fails.
 */
export function probeCheck(keys: string[], v: GradTaskValue, ref: GradTaskValue, tol: Tolerance, h: number): Check {
  const name = 'loss at the perturbed points';
  const base = { name, weight: 1, points: 0 };
  const rtol = tol.rtol ?? tol.relError ?? 1e-6;
  const atol = tol.atol ?? 1e-9;
  let n = 0;
  for (const k of keys) {
    for (const side of ['plus', 'minus'] as const) {
      const got = v[side]?.[k] ?? [];
      const want = ref[side]?.[k] ?? [];
      for (let j = 0; j < want.length; j++) {
        n++;
        const g = got[j], w = want[j];
        if (!(typeof g === 'number' && Math.abs(g - w) <= atol + rtol * Math.abs(w))) {
          return {
            ...base, passed: false, expected: w, received: typeof g === 'number' ? g : String(g),
            message: `at ${k || 'the parameter'} ${side === 'plus' ? '+' : '−'} ${fmt(h)} (element ${j + 1} checked) the loss is ${typeof g === 'number' ? fmt(g) : String(g)}, the reference's ${fmt(w)}: the loss must be the same function everywhere, not only at the given point`,
          };
        }
      }
    }
  }
  return { ...base, passed: true, message: `matches the reference's at all ${n} perturbed points` };
}

export const gradcheckPart: PartKind<GradcheckPart> = {
  kind: 'gradcheck',
  summary: "numerical gradient (central differences) of the student's loss against their analytic gradient",
  schema: {
    required: ['call', 'args', 'wrt'],
    properties: {
      call: { type: 'string' },
      args: argsSchema,
      wrt: {
        type: 'object',
        required: ['arg'],
        properties: { arg: { type: 'integer', minimum: 0 }, keys: { type: 'array', items: { type: 'string' }, minItems: 1 } },
        additionalProperties: false,
      },
      loss: { type: 'string' },
      grads: { type: 'string' },
      gradCall: { type: 'string' },
      h: { type: 'number', exclusiveMinimum: 0 },
      maxRelError: { type: 'number', exclusiveMinimum: 0 },
      maxElements: { type: 'integer', minimum: 1 },
      compareLoss: { oneOf: [toleranceSchema, { const: false }] },
      returns: returnsSchema,
    },
  },

  exportsUsed: (part) => [part.call, ...(part.gradCall ? [part.gradCall] : [])],

  lint(part, ctx) {
    const problems: SpecProblem[] = [];
    const ptr = `/parts/${ctx.index}`;
    let args: unknown[];
    try {
      args = resolveRefs(part.args, ctx.fixtures, `${ptr}/args`) as unknown[];
    } catch (e) {
      if (e instanceof FixtureError) return [{ pointer: e.pointer, message: e.message }];
      throw e;
    }
    if (part.wrt.arg >= args.length) {
      return [{ pointer: `${ptr}/wrt/arg`, message: `argument ${part.wrt.arg} does not exist: the part passes ${args.length} argument(s)` }];
    }
    for (const key of keysOf(part)) {
      const v = paramValue(args, part, key);
      try {
        toNDArray(v, key);
      } catch {
        problems.push({ pointer: `${ptr}/wrt`, message: `parameter ${key || `argument ${part.wrt.arg}`} is ${describeType(v)}, not a numeric array` });
      }
    }
    return problems;
  },

  tasks(part, ctx) {
    const args = resolveRefs(part.args, ctx.fixtures, `/parts/${ctx.index}/args`) as unknown[];
    const grad: GradTask = {
      op: 'grad', id: id(part), export: part.call, args, seed: seedFor(id(part)), wrtArg: part.wrt.arg, keys: keysOf(part),
      indices: chooseIndices(part, ctx.fixtures), h: part.h ?? 1e-5, lossPath: lossPath(part), gradExport: part.gradCall,
    };
    // The reference is probed at the same points, so a loss that notices it is being probed is caught.
    return { student: [grad], reference: part.compareLoss === false ? [{ op: 'call', id: id(part), export: part.call, args, seed: grad.seed }] : [{ ...grad, gradExport: undefined }] };
  },

  judge(part, input) {
    const checks: Check[] = [];
    const messages: string[] = [];
    const keys = keysOf(part);
    const outcome = input.student.get(id(part))!;
    const threshold = part.maxRelError ?? 1e-7;
    const h = part.h ?? 1e-5;
    const name = (k: string) => (k ? `d loss / d ${k}` : 'gradient');
    const compareLoss = part.compareLoss !== false;
    if (!outcome.ok) {
      const f = failureMessage(`${part.call}(…)`, outcome, input);
      for (const k of keys) checks.push({ name: name(k), passed: false, weight: 1, points: 0, message: 'no output (see above)' });
      if (compareLoss) checks.push({ name: 'loss', passed: false, weight: 1, points: 0, message: 'no output (see above)' });
      return { checks, messages: [f.message], status: outcome.kind === 'timeout' ? 'timeout' : 'error', location: f.location, output: outcome.output };
    }
    const v = outcome.value as GradTaskValue;
    const indices = chooseIndices(part, input.fixtures);
    const args = resolveRefs(part.args, input.fixtures, '') as unknown[];
    for (const k of keys) {
      const base = { name: name(k), weight: 1, points: 0 };
      const source = part.gradCall ? v.grad : getPath(v.base, gradsPath(part)).found ? (getPath(v.base, gradsPath(part)) as { value: unknown }).value : undefined;
      const analyticRaw = k === '' ? source : getPath(source, k).found ? (getPath(source, k) as { value: unknown }).value : undefined;
      if (analyticRaw === undefined) {
        checks.push({ ...base, passed: false, message: `no analytic gradient for ${k || 'the parameters'} in the output of ${part.gradCall ?? part.call} (${part.gradCall ? '' : `expected it at "${part.grads ?? 'grads'}${k ? '.' + k : ''}"`})` });
        continue;
      }
      let analytic, param;
      try {
        analytic = toNDArray(analyticRaw, k);
        param = toNDArray(paramValue(args, part, k), k);
      } catch (e) {
        if (!(e instanceof ValueError)) throw e;
        checks.push({ ...base, passed: false, message: e.message });
        continue;
      }
      if (squeezeShape(analytic.shape).join() !== squeezeShape(param.shape).join()) {
        const reversed = analytic.shape.length === 2 && param.shape.length === 2 && analytic.shape[0] === param.shape[1] && analytic.shape[1] === param.shape[0];
        checks.push({
          ...base,
          passed: false,
          message: `the gradient has shape [${analytic.shape.join(', ')}] but ${k || 'the parameter'} has shape [${param.shape.join(', ')}]${reversed ? ' (transposed?)' : ''}: a gradient must have the shape of its parameter`,
        });
        continue;
      }
      let worst = -1, worstErr = -1;
      const idx = indices[k];
      for (let j = 0; j < idx.length; j++) {
        const num = (v.plus[k][j] - v.minus[k][j]) / (2 * h);
        const an = analytic.data[idx[j]];
        const err = Math.abs(an - num) / Math.max(1e-8, Math.abs(an) + Math.abs(num));
        if (!(err <= worstErr) || worst < 0) { worstErr = Number.isNaN(err) ? Infinity : err; worst = j; }
      }
      const passed = worstErr <= threshold;
      const w = worst >= 0 ? idx[worst] : 0;
      const numAt = worst >= 0 ? (v.plus[k][worst] - v.minus[k][worst]) / (2 * h) : NaN;
      const shape = param.shape.length ? param.shape : [];
      checks.push({
        ...base,
        passed,
        message: `max relative error ${fmt(worstErr)} over ${idx.length} element${idx.length === 1 ? '' : 's'} (must be ≤ ${fmt(threshold)})` + (passed ? '' : `; worst at ${formatIndex(w, shape) || 'the scalar'}: analytic ${fmt(analytic.data[w])}, numerical ${fmt(numAt)}`),
        expected: `rel_error ≤ ${fmt(threshold)}`,
        received: worstErr,
        maxRelError: worstErr,
        worst: { index: formatIndex(w, shape), expected: numAt, received: analytic.data[w] },
      });
    }
    if (compareLoss) {
      const tol = part.compareLoss === undefined ? { rtol: 1e-6, atol: 1e-9 } : (part.compareLoss as Tolerance);
      const ref = input.reference.get(id(part)) as GradTaskValue;
      const c = compareOutput('loss', lossPath(part), v.base, ref.base, { compare: tol, shape: 'squeeze' }, 1);
      // One check of the loss: right at the given point and at every probe.
      const probes = c.passed ? probeCheck(keys, v, ref, tol, h) : undefined;
      checks.push(probes && !probes.passed ? { ...probes, name: c.name } : c);
    }
    messages.push(...failedMessages(checks));
    // Each row's parameter by the key its check was made for ('' when the argument itself is the parameter).
    const keyOf = (checkName: string) => keys.find((k) => name(k) === checkName) ?? '';
    const rows = checks.filter((c) => c.name !== 'loss' && c.maxRelError !== undefined).map((c) => ({ param: c.name.replace('d loss / d ', ''), relError: c.maxRelError!, elements: indices[keyOf(c.name)]?.length ?? 0 }));
    return { checks, messages, output: outcome.output, artifacts: rows.length ? [{ type: 'gradcheck', title: 'Gradient check: max relative error per parameter', threshold, rows }] : [] };
  },
};
