/**
 * Pieces every part kind shares: the JSON Schema of comparison settings,
 * turning a failed task into a message, and comparing one named output.
 */
import type { Check } from '../judge/result.ts';
import type { TaskOutcome } from '../sandbox/sandbox.ts';
import { compareArrays, type ShapePolicy, type Tolerance } from '../judge/compare.ts';
import { describeType, getPath, summarize, toNDArray, ValueError } from '../judge/values.ts';
import { formatLocation } from '../sandbox/locate.ts';
import type { JudgeInput } from './types.ts';
import type { SourceLocation } from '../judge/result.ts';

export const toleranceSchema = {
  type: 'object',
  description: 'How close is close enough: numpy-style allclose (rtol, atol) or CS231n rel_error.',
  properties: {
    rtol: { type: 'number', minimum: 0, description: '|received - expected| <= atol + rtol * |expected|' },
    atol: { type: 'number', minimum: 0 },
    relError: { type: 'number', minimum: 0, description: "CS231n's rel_error: max |x-y| / max(1e-8, |x|+|y|) must not exceed this" },
  },
  additionalProperties: false,
};

export const shapeSchema = {
  enum: ['exact', 'squeeze'],
  description: "exact: shapes must be equal; squeeze: size-1 axes are ignored ((1,3) matches (3,))",
};

/** The fields of a property check, one source for every part kind that has them. */
const propertyFields = {
  name: { type: 'string' },
  path: { type: 'string', description: 'Output path, e.g. "loss_history" or "derived.losses"' },
  weight: { type: 'number', exclusiveMinimum: 0 },
  assert: { enum: ['nonIncreasing', 'nonDecreasing', 'finite'] },
  of: { enum: ['last', 'first', 'min', 'max', 'mean', 'std', 'sum', 'length', 'zeroFraction', 'value'], description: 'std is the population standard deviation (NumPy\'s default); zeroFraction the fraction of elements that are exactly 0 (e.g. a dropout mask)' },
  axis: { oneOf: [{ type: 'integer' }, { type: 'array', items: { type: 'integer' }, minItems: 1 }], description: 'Reduce over this axis (or axes; negative from the end) and check each result: -1 is each row of a matrix, 0 each column' },
  op: { enum: ['<', '<=', '>', '>=', '==', 'approx'] },
  value: { oneOf: [{ type: 'number' }, { const: 'reference' }] },
  tol: { type: 'number', minimum: 0 },
};
/** A property is an assertion, or a reduction compared with a value. */
const propertyForms = [{ required: ['assert'] }, { required: ['of', 'op', 'value'] }];

/** A property of a function's output (function parts). */
export const propertySchema = { type: 'object', required: ['path'], properties: propertyFields, oneOf: propertyForms, additionalProperties: false };

/** A property of a model's output on an input (architecture parts): the same fields (path optional), and the input. */
export const outputPropertySchema = {
  type: 'object',
  required: ['input'],
  properties: {
    input: { oneOf: [{ type: 'string' }, { type: 'object', required: ['random'], properties: { random: { type: 'array', items: { type: 'integer', minimum: 1 } }, seed: { type: 'integer', minimum: 0 } }, additionalProperties: false }] },
    ...propertyFields,
  },
  oneOf: propertyForms,
  additionalProperties: false,
};

/** `returns`: names for the values of an array (tuple) return, so outputs are named, not numbered. */
export const returnsSchema = {
  type: 'array',
  minItems: 1,
  items: { type: 'string', pattern: '^[A-Za-z_$][A-Za-z0-9_$]*$' },
  description: 'Names of the values the function returns as an array, in order (e.g. ["loss", "dx"]): outputs and properties then use the names',
};

/** The path with its first segment, a `returns` name, as the index it names ("dx.W1" → "1.W1"). */
export function indexPath(returns: string[] | undefined, p: string): string {
  if (!returns || !p) return p;
  const [head, ...rest] = p.split('.');
  const i = returns.indexOf(head);
  return i < 0 ? p : [String(i), ...rest].join('.');
}

/** An array return as an object of its named values; anything else as it is. */
export function nameReturns(returns: string[] | undefined, value: unknown): unknown {
  if (!returns || !Array.isArray(value) || value.length !== returns.length) return value;
  return Object.fromEntries(returns.map((n, i) => [n, value[i]]));
}

export const argsSchema = {
  type: 'array',
  description: 'Arguments in order. "$set.name" is a fixture value, "$set" a whole fixture set; anything else is passed as written.',
};

export function seedFor(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** A sentence describing why a task produced no value, with the student's file:line when known. */
export function failureMessage(what: string, o: Extract<TaskOutcome, { ok: false }>, input: JudgeInput): { message: string; location?: SourceLocation } {
  const location = input.locate(o.error?.stack);
  const at = location ? ` (at ${formatLocation(location)})` : '';
  switch (o.kind) {
    case 'error': {
      const name = o.error?.name;
      if (name === 'NonError') return { message: `${what} threw ${o.message}${at}`, location };
      if (name === 'SandboxDenied') return { message: `${what} tried ${o.message.replace(/: not allowed in the sandbox$/, '')} (not allowed in the sandbox)${at}`, location };
      const plain = name === 'MissingExport' || name === 'WrongExportType' || !name || name === 'Error';
      const denied = /Access to this API has been restricted|ERR_ACCESS_DENIED/.test(o.message) ? ' (the sandbox allows no file access outside its temp dir, no child processes and no workers)' : '';
      return { message: `${what} ${plain ? 'failed' : `threw ${name}`}: ${o.message}${denied}${at}`, location };
    }
    case 'timeout':
    case 'memory':
      return { message: `${what} ${o.message}`, location };
    default:
      return { message: `${what}: ${o.message}${at}`, location };
  }
}

export interface OutputSettings {
  compare?: Tolerance;
  shape?: ShapePolicy;
}

/** Compare the student's value at `path` with the reference's, as one check. */
export function compareOutput(name: string, path: string, student: unknown, reference: unknown, s: OutputSettings, weight: number): Check {
  const base = { name, weight, points: 0 };
  const r = getPath(reference, path);
  if (!r.found) return { ...base, passed: false, message: `the reference has no output "${path}" (${r.have}); fix the spec` };
  const got = getPath(student, path);
  if (!got.found) return { ...base, passed: false, message: `missing "${path}": ${got.have}`, expected: describeType(r.value) };
  if (typeof r.value === 'string' || typeof r.value === 'boolean') {
    const norm = (x: unknown) => String(x).trim().toLowerCase();
    const ok = norm(got.value) === norm(r.value);
    return { ...base, passed: ok, message: ok ? 'matches' : `expected ${JSON.stringify(r.value)}, received ${JSON.stringify(got.value)}`, expected: String(r.value), received: String(got.value) };
  }
  const expected = toNDArray(r.value, path);
  let received;
  try {
    received = toNDArray(got.value, path);
  } catch (e) {
    if (e instanceof ValueError) return { ...base, passed: false, message: e.message, expected: summarize(expected), received: describeType(got.value) };
    throw e;
  }
  const c = compareArrays(expected, received, s.compare ?? {}, s.shape ?? 'exact');
  return {
    ...base,
    passed: c.passed,
    message: c.message,
    expected: summarize(expected),
    received: summarize(received),
    maxAbsError: c.maxAbsError,
    maxRelError: c.maxRelError,
    worst: c.worst,
  };
}

/** Messages for the failed checks of a part, named. */
export function failedMessages(checks: Check[]): string[] {
  return checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.message}`);
}
