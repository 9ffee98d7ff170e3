/**
 * Part kind `gradcheck`: the numerical gradient of the student's loss by
 * central differences, against the student's own analytic gradient, as the
 * max relative error per parameter (CS231n's rel_error). The sandbox only
 * evaluates the loss at perturbed points; the differences and errors are
 * computed here. Optionally the loss itself is compared with the reference's,
 * so a constant loss with zero gradients cannot pass.
 */
import type { Check } from '../judge/result.ts';
import { fmt, squeezeShape, type Tolerance } from '../judge/compare.ts';
import { getPath, toNDArray, ValueError, describeType } from '../judge/values.ts';
import { formatIndex } from '../judge/values.ts';
import { Deferred, FixtureError, PLACEHOLDER, resolveRefs, type Fixtures } from '../fixtures/resolve.ts';
import { argsSchema, compareOutput, failedMessages, failureMessage, indexPath, nameReturns, returnsSchema, seedFor, toleranceSchema } from './common.ts';
import type { KindSchema, PartKind, PartOf, SpecProblem } from './types.ts';
import type { GradTask, GradTaskValue } from '../sandbox/protocol.ts';

const gradsSchema = {
  oneOf: [
    { type: 'string', description: 'Path of an object of gradients keyed by the inputs\' names' },
    { type: 'object', additionalProperties: { type: 'string' }, description: 'Path of each input\'s gradient, by its name (e.g. {"x": "dx", "w": "dw"})' },
  ],
} as const;

const schema = {
  required: ['call', 'args', 'wrt'],
  properties: {
    call: { type: 'string' },
    args: argsSchema,
    wrt: {
      oneOf: [
        {
          type: 'object',
          required: ['arg'],
          properties: { arg: { type: 'integer', minimum: 0 }, keys: { type: 'array', items: { type: 'string' }, minItems: 1 } },
          additionalProperties: false,
        },
        {
          type: 'array',
          minItems: 1,
          description: 'Each input a gradient is checked for: an argument, or an entry of an object argument',
          items: {
            type: 'object',
            required: ['arg'],
            properties: { arg: { type: 'integer', minimum: 0 }, key: { type: 'string' }, name: { type: 'string', minLength: 1 } },
            additionalProperties: false,
          },
        },
      ],
    },
    loss: { type: 'string' },
    dout: { description: 'The upstream gradient ("$set.dout"): the numerical gradient is then of Σ output·dout, as for a layer\'s backward pass' },
    output: { type: 'string', description: 'With dout: path of the layer\'s output in what the call returns' },
    grads: gradsSchema,
    gradCall: { type: 'string' },
    gradArgs: { ...argsSchema, description: 'Arguments of gradCall (default: the call\'s); "$forward" or "$forward.<path>" is the call\'s output at the given point, e.g. its cache' },
    gradReturns: returnsSchema,
    h: { type: 'number', exclusiveMinimum: 0 },
    maxRelError: { type: 'number', exclusiveMinimum: 0 },
    maxElements: { type: 'integer', minimum: 1 },
    compareLoss: { oneOf: [toleranceSchema, { const: false }] },
    returns: returnsSchema,
  },
} as const satisfies KindSchema;

/** A gradcheck part, as its schema defines it (the type is derived from the schema: one source). */
export type GradcheckPart = PartOf<'gradcheck', typeof schema>;

const id = (part: GradcheckPart) => `${part.id}#grad`;
/** The inputs checked, named. The object form names each key ('' for the argument itself). */
export function targetsOf(part: GradcheckPart): { name: string; arg: number; key?: string }[] {
  if (Array.isArray(part.wrt)) return part.wrt.map((t) => ({ name: t.name ?? t.key ?? `argument ${t.arg}`, arg: t.arg, ...(t.key !== undefined ? { key: t.key } : {}) }));
  const { arg, keys } = part.wrt;
  return keys ? keys.map((k) => ({ name: k, arg, key: k })) : [{ name: '', arg }];
}
const lossPath = (part: GradcheckPart) => indexPath(part.returns, part.dout !== undefined ? (part.output ?? '') : (part.loss ?? (!Array.isArray(part.wrt) && part.wrt.keys ? 'loss' : '')));

function paramValue(args: unknown[], t: { arg: number; key?: string }): unknown {
  const a = args[t.arg];
  return t.key === undefined ? a : (a as Record<string, unknown>)?.[t.key];
}

/** The flat indices checked per parameter: all of them, or a seeded sample of maxElements. */
export function chooseIndices(part: GradcheckPart, fixtures: Fixtures, pointer = ''): Record<string, number[]> {
  const args = resolveRefs(part.args, fixtures, pointer) as unknown[];
  const out: Record<string, number[]> = {};
  const max = part.maxElements ?? 64;
  for (const t of targetsOf(part)) {
    const key = t.name;
    const size = toNDArray(paramValue(args, t), key).data.length;
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
export function probeCheck(keys: string[], v: GradTaskValue, ref: GradTaskValue, tol: Tolerance, h: number, what = 'the loss'): Check {
  const name = `${what.replace(/^the /, '')} at the perturbed points`;
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
            message: `at ${k || 'the parameter'} ${side === 'plus' ? '+' : '−'} ${fmt(h)} (element ${j + 1} checked) ${what} is ${typeof g === 'number' ? fmt(g) : String(g)}, the reference's ${fmt(w)}: ${what} must be the same function everywhere, not only at the given point`,
          };
        }
      }
    }
  }
  return { ...base, passed: true, message: `matches the reference's at all ${n} perturbed points` };
}

/**
 * Where the analytic gradient of an input is: `grads` as a path per input, or as the path of an object
 * keyed by the inputs' names (default "grads"); with gradCall and no `grads`, its whole output for one
 * input, else its value "d<name>" (by gradReturns) or the value at the input's position.
 */
function gradPath(part: GradcheckPart, name: string, position: number): string[] {
  if (part.grads && typeof part.grads === 'object') return [part.grads[name] ?? '\u0000'];
  if (part.gradCall && part.grads === undefined) {
    if (targetsOf(part).length === 1) return [''];
    return part.gradReturns?.includes(`d${name}`) ? [`d${name}`] : [String(position)];
  }
  return [part.grads ?? 'grads', name];
}

function gradPlace(part: GradcheckPart, name: string, position: number): string {
  const p = gradPath(part, name, position).filter(Boolean).join('.');
  return p ? `"${p}"` : 'the returned value';
}

/** The student's analytic gradient of one input, from the output (or gradCall's), or undefined. */
function analyticOf(part: GradcheckPart, v: GradTaskValue, name: string, position: number): unknown {
  const at = (x: unknown, p: string) => (p === '' ? x : getPath(x, p).found ? (getPath(x, p) as { value: unknown }).value : undefined);
  const source = part.gradCall ? nameReturns(part.gradReturns, v.grad) : nameReturns(part.returns, v.base);
  return gradPath(part, name, position).reduce<unknown>((x, p) => (x === undefined ? x : at(x, p)), source);
}



export const gradcheckPart: PartKind<GradcheckPart> = {
  kind: 'gradcheck',
  summary: "numerical gradient (central differences) of the student's loss, or of Σ output·dout for a layer, against their analytic gradient",
  schema: schema,

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
    const targets = targetsOf(part);
    targets.forEach((t, i) => {
      const at = Array.isArray(part.wrt) ? `${ptr}/wrt/${i}` : `${ptr}/wrt`;
      if (t.arg >= args.length) {
        problems.push({ pointer: `${at}/arg`, message: `argument ${t.arg} does not exist: the part passes ${args.length} argument(s)` });
        return;
      }
      const v = paramValue(args, t);
      try {
        toNDArray(v, t.name);
      } catch {
        problems.push({ pointer: at, message: `parameter ${t.name || `argument ${t.arg}`} is ${describeType(v)}, not a numeric array` });
      }
    });
    if (new Set(targets.map((t) => t.name)).size !== targets.length) problems.push({ pointer: `${ptr}/wrt`, message: 'two inputs have the same name: give each a distinct "name"' });
    if (part.dout !== undefined) {
      try {
        toNDArray(resolveRefs(part.dout, ctx.fixtures, `${ptr}/dout`), 'dout');
      } catch (e) {
        problems.push({ pointer: `${ptr}/dout`, message: e instanceof FixtureError ? e.message : `dout is not a numeric array: ${(e as Error).message}` });
      }
    } else if (part.output !== undefined) problems.push({ pointer: `${ptr}/output`, message: '"output" is the path of a layer\'s output for a check with an upstream gradient: add "dout", or use "loss" for a scalar loss' });
    if (part.gradArgs && !part.gradCall) problems.push({ pointer: `${ptr}/gradArgs`, message: '"gradArgs" are the arguments of "gradCall", which this part does not set' });
    if (part.gradArgs) {
      try {
        resolveRefs(part.gradArgs, ctx.fixtures, `${ptr}/gradArgs`, { forward: PLACEHOLDER });
      } catch (e) {
        if (e instanceof FixtureError) problems.push({ pointer: e.pointer, message: e.message });
        else throw e;
      }
    }
    if (part.grads && typeof part.grads === 'object') {
      for (const t of targets) if (!(t.name in part.grads)) problems.push({ pointer: `${ptr}/grads`, message: `no path for the gradient of ${t.name || 'the parameter'}: add "${t.name}" to grads` });
    }
    return problems;
  },

  tasks(part, ctx) {
    const args = resolveRefs(part.args, ctx.fixtures, `/parts/${ctx.index}/args`) as unknown[];
    const forward = new Deferred((p) => ({ __nngradeStep: 'forward', path: p.length ? indexPath(part.returns, p.join('.')).split('.') : [] }));
    const grad: GradTask = {
      op: 'grad', id: id(part), export: part.call, args, seed: seedFor(id(part)), targets: targetsOf(part),
      indices: chooseIndices(part, ctx.fixtures), h: part.h ?? 1e-5, lossPath: lossPath(part), gradExport: part.gradCall,
      ...(part.dout !== undefined ? { dout: resolveRefs(part.dout, ctx.fixtures, `/parts/${ctx.index}/dout`) } : {}),
      ...(part.gradArgs ? { gradArgs: resolveRefs(part.gradArgs, ctx.fixtures, `/parts/${ctx.index}/gradArgs`, { forward }) as unknown[] } : {}),
    };
    // The reference is probed at the same points, so a loss that notices it is being probed is caught.
    return { student: [grad], reference: part.compareLoss === false ? [{ op: 'call', id: id(part), export: part.call, args, seed: grad.seed }] : [{ ...grad, gradExport: undefined, gradArgs: undefined }] };
  },

  judge(part, input) {
    const checks: Check[] = [];
    const messages: string[] = [];
    const targets = targetsOf(part);
    const keys = targets.map((t) => t.name);
    const outcome = input.student.get(id(part))!;
    const threshold = part.maxRelError ?? 1e-7;
    const h = part.h ?? 1e-5;
    const layer = part.dout !== undefined;
    // A layer's check names each gradient d<input> ("dx"); a loss's, d loss / d <parameter>.
    const name = (k: string) => (layer ? (k ? `d${k}` : 'dx') : k ? `d loss / d ${k}` : 'gradient');
    const lossName = layer ? 'output' : 'loss';
    const compareLoss = part.compareLoss !== false;
    if (!outcome.ok) {
      const f = failureMessage(`${part.call}(…)`, outcome, input);
      for (const k of keys) checks.push({ name: name(k), passed: false, weight: 1, points: 0, message: 'no output (see above)' });
      if (compareLoss) checks.push({ name: lossName, passed: false, weight: 1, points: 0, message: 'no output (see above)' });
      return { checks, messages: [f.message], status: outcome.kind === 'timeout' ? 'timeout' : 'error', location: f.location, output: outcome.output };
    }
    const v = outcome.value as GradTaskValue;
    const indices = chooseIndices(part, input.fixtures);
    const args = resolveRefs(part.args, input.fixtures, '') as unknown[];
    targets.forEach((t, position) => {
      const k = t.name;
      const base = { name: name(k), weight: 1, points: 0 };
      const analyticRaw = analyticOf(part, v, k, position);
      if (analyticRaw === undefined) {
        checks.push({ ...base, passed: false, message: `no analytic gradient for ${k || 'the parameters'} in the output of ${part.gradCall ?? part.call} (expected it at ${gradPlace(part, k, position)})` });
        return;
      }
      let analytic, param;
      try {
        analytic = toNDArray(analyticRaw, k);
        param = toNDArray(paramValue(args, t), k);
      } catch (e) {
        if (!(e instanceof ValueError)) throw e;
        checks.push({ ...base, passed: false, message: e.message });
        return;
      }
      if (squeezeShape(analytic.shape).join() !== squeezeShape(param.shape).join()) {
        const reversed = analytic.shape.length === 2 && param.shape.length === 2 && analytic.shape[0] === param.shape[1] && analytic.shape[1] === param.shape[0];
        checks.push({
          ...base,
          passed: false,
          message: `the gradient has shape [${analytic.shape.join(', ')}] but ${k || 'the parameter'} has shape [${param.shape.join(', ')}]${reversed ? ' (transposed?)' : ''}: a gradient must have the shape of its parameter`,
        });
        return;
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
    });
    if (compareLoss) {
      const tol = part.compareLoss === undefined ? { rtol: 1e-6, atol: 1e-9 } : (part.compareLoss as Tolerance);
      const ref = input.reference.get(id(part)) as GradTaskValue;
      const c = compareOutput(lossName, lossPath(part), v.base, ref.base, { compare: tol, shape: 'squeeze' }, 1);
      // One check of the loss: right at the given point and at every probe.
      const probes = c.passed ? probeCheck(keys, v, ref, tol, h, layer ? 'Σ output·dout' : 'the loss') : undefined;
      checks.push(probes && !probes.passed ? { ...probes, name: c.name } : c);
    }
    messages.push(...failedMessages(checks));
    // Each row's parameter by the key its check was made for ('' when the argument itself is the parameter).
    const keyOf = (checkName: string) => keys.find((k) => name(k) === checkName) ?? '';
    const rows = checks.filter((c) => c.name !== lossName && c.maxRelError !== undefined).map((c) => ({ param: layer ? c.name : c.name.replace('d loss / d ', ''), relError: c.maxRelError!, elements: indices[keyOf(c.name)]?.length ?? 0 }));
    return { checks, messages, output: outcome.output, artifacts: rows.length ? [{ type: 'gradcheck', title: 'Gradient check: max relative error per parameter', threshold, rows }] : [] };
  },
};
