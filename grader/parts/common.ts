/**
 * Pieces every part kind shares: the JSON Schema of comparison settings,
 * turning a failed task into a message, and comparing one named output.
 */
import type { Check } from '../judge/result.ts';
import type { TaskOutcome } from '../sandbox/sandbox.ts';
import { compareArrays, type ShapePolicy, type Tolerance } from '../judge/compare.ts';
export { shapeSchema, toleranceSchema } from '../judge/compare.ts';
export { outputPropertySchema, propertySchema } from '../judge/properties.ts';
import { describeType, getPath, summarize, toNDArray, ValueError } from '../judge/values.ts';
import { formatLocation } from '../sandbox/locate.ts';
import type { JudgeInput } from './types.ts';
import type { SourceLocation } from '../judge/result.ts';

/** `returns`: names for the values of an array (tuple) return, so outputs are named, not numbered. */
export const returnsSchema = {
  type: 'array',
  minItems: 1,
  items: { type: 'string', pattern: '^[A-Za-z_$][A-Za-z0-9_$]*$' },
  description: 'Names of the values the function returns as an array, in order (e.g. ["loss", "dx"]): outputs and properties then use the names',
} as const;

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
} as const;

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
