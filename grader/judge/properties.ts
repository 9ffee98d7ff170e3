/**
 * Property checks: statements about an output that hold without comparing it
 * element by element, e.g. "the last value of loss_history is < 0.02", "the
 * loss never increases", "each row of probabilities sums to 1 ± 1e-2", or
 * "the final loss is within 1e-6 of the reference's".
 */
import type { NDArray } from '../fixtures/ndarray.ts';
import { fmt } from './compare.ts';
import type { FromSchema } from 'json-schema-to-ts';

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
} as const;
/** A property is an assertion, or a reduction compared with a value. */
const propertyForms = [{ required: ['assert'] }, { required: ['of', 'op', 'value'] }] as const;

/** A property of a function's output (function parts). */
export const propertySchema = { type: 'object', required: ['path'], properties: propertyFields, oneOf: propertyForms, additionalProperties: false } as const;

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
} as const;


/** A property as the spec gives it (the schema's type): an assertion, or a reduction compared with a value. */
type PropertyFields = FromSchema<{ type: 'object'; properties: typeof propertyFields; additionalProperties: false }>;
export type Reducer = NonNullable<PropertyFields['of']>;
export type Op = NonNullable<PropertyFields['op']>;
type Common = Pick<PropertyFields, 'name' | 'weight' | 'tol'> & { path: string };
export type PropertySpec =
  | (Common & Required<Pick<PropertyFields, 'assert'>>)
  | (Common & Required<Pick<PropertyFields, 'of' | 'op' | 'value'>> & Pick<PropertyFields, 'axis'>);

export interface PropertyOutcome {
  passed: boolean;
  message: string;
  received?: number | number[];
  expected?: string;
}

export function describeProperty(p: PropertySpec): string {
  if ('assert' in p) {
    const what = { nonIncreasing: 'never increases', nonDecreasing: 'never decreases', finite: 'is finite everywhere' }[p.assert];
    return `${p.path} ${what}${p.tol ? ` (tolerance ${fmt(p.tol)})` : ''}`;
  }
  const target = p.value === 'reference' ? "the reference's" : fmt(p.value);
  const op = p.op === 'approx' ? `≈ ${target} ± ${fmt(p.tol ?? 1e-6)}` : `${p.op} ${target}`;
  const over = p.axis === undefined ? '' : p.axis === -1 ? ' (each row)' : ` over axis ${[p.axis].flat().join(', ')} (each ${[p.axis].flat().length > 1 ? 'slice' : 'line'})`;
  const subject = p.of === 'value' ? p.path : p.of === 'length' ? `length of ${p.path}` : p.of === 'zeroFraction' ? `fraction of zeros in ${p.path}${over}` : `${p.of} of ${p.path}${over}`;
  return `${subject} ${op}`;
}

const reducerName = (of: Reducer) => (of === 'zeroFraction' ? 'the fraction of zeros' : of === 'std' ? 'the standard deviation' : of);

export function reduce(a: NDArray, of: Reducer): number {
  const d = a.data;
  switch (of) {
    case 'last': return d[d.length - 1];
    case 'first': return d[0];
    case 'min': return d.reduce((m, x) => (x < m || Number.isNaN(x) ? x : m), Infinity);
    case 'max': return d.reduce((m, x) => (x > m || Number.isNaN(x) ? x : m), -Infinity);
    case 'sum': return d.reduce((s, x) => s + x, 0);
    case 'mean': return d.reduce((s, x) => s + x, 0) / d.length;
    case 'std': {
      // NumPy's default (ddof 0): the population standard deviation.
      const m = d.reduce((s, x) => s + x, 0) / d.length;
      return Math.sqrt(d.reduce((s, x) => s + (x - m) ** 2, 0) / d.length);
    }
    case 'zeroFraction': return d.reduce((n, x) => n + (x === 0 ? 1 : 0), 0) / d.length;
    case 'length': return a.shape.length === 0 ? 1 : a.shape[0];
    case 'value':
      if (d.length !== 1) throw new Error(`expected a single number, got shape [${a.shape.join(', ')}]`);
      return d[0];
  }
}

/**
 * The values reduced together when reducing over `axes` (negative counts from the end): one 1-d
 * array per index of the axes kept, with that index. Axis -1 of a matrix gives its rows; axis 0 its columns.
 */
export function slicesOver(a: NDArray, axes: number[]): { index: number[]; values: NDArray }[] {
  const rank = a.shape.length;
  const over = [...new Set(axes.map((x) => (x < 0 ? x + rank : x)))];
  for (const x of over) if (!Number.isInteger(x) || x < 0 || x >= rank) throw new Error(`axis ${axes.join(', ')} does not exist in an array of shape [${a.shape.join(', ')}]`);
  const kept = a.shape.map((_, i) => i).filter((i) => !over.includes(i));
  const groups = new Map<string, { index: number[]; values: number[] }>();
  const idx = new Array<number>(rank).fill(0);
  for (let f = 0; f < a.data.length; f++) {
    let r = f;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d] = r % a.shape[d];
      r = Math.floor(r / a.shape[d]);
    }
    const index = kept.map((d) => idx[d]);
    const key = index.join(',');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { index, values: [] }));
    g.values.push(a.data[f]);
  }
  return [...groups.values()].map((g) => ({ index: g.index, values: { shape: [g.values.length], data: Float64Array.from(g.values), dtype: 'float64' as const } }));
}

function holds(x: number, op: Op, target: number, tol: number): boolean {
  switch (op) {
    case '<': return x < target;
    case '<=': return x <= target;
    case '>': return x > target;
    case '>=': return x >= target;
    case '==': return x === target;
    case 'approx': return Math.abs(x - target) <= tol;
  }
}

export function checkProperty(p: PropertySpec, received: NDArray, reference?: NDArray): PropertyOutcome {
  const d = received.data;
  if ('assert' in p) {
    const tol = p.tol ?? 0;
    if (p.assert === 'finite') {
      const bad = d.findIndex((x) => !Number.isFinite(x));
      return bad < 0 ? { passed: true, message: `all ${d.length} values are finite` } : { passed: false, message: `value ${bad} is ${d[bad]}`, received: d[bad] };
    }
    for (let i = 1; i < d.length; i++) {
      const step = d[i] - d[i - 1];
      const bad = p.assert === 'nonIncreasing' ? step > tol : step < -tol;
      if (bad || Number.isNaN(step)) {
        return {
          passed: false,
          message: `${p.assert === 'nonIncreasing' ? 'increases' : 'decreases'} at step ${i}: ${fmt(d[i - 1])} → ${fmt(d[i])}`,
          received: [d[i - 1], d[i]],
        };
      }
    }
    return { passed: true, message: `holds over ${d.length} values` };
  }
  const tol = p.tol ?? 1e-6;
  const targetOf = (a: NDArray): number => {
    if (p.value !== 'reference') return p.value;
    if (!reference) throw new Error(`property "${describeProperty(p)}" needs the reference's value, which is missing`);
    return reduce(a, p.of);
  };
  if (p.axis !== undefined) {
    const axes = [p.axis].flat();
    const rowWise = axes.length === 1 && axes[0] === -1;
    let rs: ReturnType<typeof slicesOver>, refRows: ReturnType<typeof slicesOver> = [];
    try {
      // A scalar or a vector reduced "per row" is one row.
      rs = rowWise && received.shape.length < 2 ? [{ index: [0], values: received }] : slicesOver(received, axes);
      if (p.value === 'reference' && reference) refRows = rowWise && reference.shape.length < 2 ? [{ index: [0], values: reference }] : slicesOver(reference, axes);
    } catch (e) {
      return { passed: false, message: (e as Error).message, expected: describeProperty(p) };
    }
    for (let i = 0; i < rs.length; i++) {
      const x = reduce(rs[i].values, p.of);
      const t = p.value === 'reference' ? targetOf(refRows[i]?.values ?? rs[i].values) : (p.value as number);
      const at = rowWise ? `row ${i}` : `at [${rs[i].index.join(', ')}]`;
      if (!holds(x, p.op, t, tol)) return { passed: false, message: `${at}: ${reducerName(p.of)} is ${fmt(x)}, not ${p.op === 'approx' ? `≈ ${fmt(t)} ± ${fmt(tol)}` : `${p.op} ${fmt(t)}`}`, received: x, expected: describeProperty(p) };
    }
    return { passed: true, message: `holds for all ${rs.length} ${rowWise ? 'rows' : 'slices'}` };
  }
  const x = reduce(received, p.of);
  const t = targetOf(reference as NDArray);
  const ok = holds(x, p.op, t, tol);
  const want = p.op === 'approx' ? `≈ ${fmt(t)} ± ${fmt(tol)}` : `${p.op} ${fmt(t)}`;
  return { passed: ok, message: ok ? `${reducerName(p.of)} is ${fmt(x)} (${want})` : `${reducerName(p.of)} is ${fmt(x)}, expected ${want}`, received: x, expected: want };
}
