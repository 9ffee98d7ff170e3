/**
 * Property checks: statements about an output that hold without comparing it
 * element by element, e.g. "the last value of loss_history is < 0.02", "the
 * loss never increases", "each row of probabilities sums to 1 ± 1e-2", or
 * "the final loss is within 1e-6 of the reference's".
 */
import type { NDArray } from '../fixtures/ndarray.ts';
import { fmt } from './compare.ts';

export type Reducer = 'last' | 'first' | 'min' | 'max' | 'mean' | 'sum' | 'length' | 'value';
export type Op = '<' | '<=' | '>' | '>=' | '==' | 'approx';

export type PropertySpec =
  | { name?: string; path: string; weight?: number; assert: 'nonIncreasing' | 'nonDecreasing' | 'finite'; tol?: number }
  | { name?: string; path: string; weight?: number; of: Reducer; axis?: -1; op: Op; value: number | 'reference'; tol?: number };

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
  const subject = p.of === 'value' ? p.path : p.of === 'length' ? `length of ${p.path}` : `${p.of} of ${p.path}${p.axis === -1 ? ' (each row)' : ''}`;
  return `${subject} ${op}`;
}

export function reduce(a: NDArray, of: Reducer): number {
  const d = a.data;
  switch (of) {
    case 'last': return d[d.length - 1];
    case 'first': return d[0];
    case 'min': return d.reduce((m, x) => (x < m || Number.isNaN(x) ? x : m), Infinity);
    case 'max': return d.reduce((m, x) => (x > m || Number.isNaN(x) ? x : m), -Infinity);
    case 'sum': return d.reduce((s, x) => s + x, 0);
    case 'mean': return d.reduce((s, x) => s + x, 0) / d.length;
    case 'length': return a.shape.length === 0 ? 1 : a.shape[0];
    case 'value':
      if (d.length !== 1) throw new Error(`expected a single number, got shape [${a.shape.join(', ')}]`);
      return d[0];
  }
}

/** Rows of the last axis (for axis: -1), each as its own 1-d array. */
function rows(a: NDArray): NDArray[] {
  const n = a.shape.length ? a.shape[a.shape.length - 1] : 1;
  const out: NDArray[] = [];
  for (let i = 0; i < a.data.length; i += n) out.push({ shape: [n], data: a.data.subarray(i, i + n), dtype: a.dtype });
  return out;
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
  if (p.axis === -1) {
    const rs = rows(received);
    const refRows = p.value === 'reference' && reference ? rows(reference) : [];
    for (let i = 0; i < rs.length; i++) {
      const x = reduce(rs[i], p.of);
      const t = p.value === 'reference' ? targetOf(refRows[i]) : (p.value as number);
      if (!holds(x, p.op, t, tol)) return { passed: false, message: `row ${i}: ${p.of} is ${fmt(x)}, not ${p.op === 'approx' ? `≈ ${fmt(t)} ± ${fmt(tol)}` : `${p.op} ${fmt(t)}`}`, received: x, expected: describeProperty(p) };
    }
    return { passed: true, message: `holds for all ${rs.length} rows` };
  }
  const x = reduce(received, p.of);
  const t = targetOf(reference as NDArray);
  const ok = holds(x, p.op, t, tol);
  const want = p.op === 'approx' ? `≈ ${fmt(t)} ± ${fmt(tol)}` : `${p.op} ${fmt(t)}`;
  return { passed: ok, message: ok ? `${p.of} is ${fmt(x)} (${want})` : `${p.of} is ${fmt(x)}, expected ${want}`, received: x, expected: want };
}
