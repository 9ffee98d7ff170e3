/**
 * Comparing a received array with the reference's: tolerances (numpy-style
 * allclose, or CS231n's rel_error), a shape policy, and a message that names
 * the worst element and, where it can tell, the likely mistake.
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { NDArray } from '../fixtures/ndarray.ts';
import { formatIndex } from './values.ts';

export const toleranceSchema = {
  type: 'object',
  description: 'How close is close enough: numpy-style allclose (rtol, atol) or CS231n rel_error.',
  properties: {
    rtol: { type: 'number', minimum: 0, description: '|received - expected| <= atol + rtol * |expected|' },
    atol: { type: 'number', minimum: 0 },
    relError: { type: 'number', minimum: 0, description: "CS231n's rel_error: max |x-y| / max(1e-8, |x|+|y|) must not exceed this" },
  },
  additionalProperties: false,
} as const;

/** allclose (rtol, atol) or CS231n's rel_error; the type is the schema's. */
export type Tolerance = FromSchema<typeof toleranceSchema>;

export const shapeSchema = {
  enum: ['exact', 'squeeze'],
  description: "exact: shapes must be equal; squeeze: size-1 axes are ignored ((1,3) matches (3,))",
} as const;

export type ShapePolicy = FromSchema<typeof shapeSchema>;

export const DEFAULT_TOLERANCE: Required<Pick<Tolerance, 'rtol' | 'atol'>> = { rtol: 1e-6, atol: 1e-9 };

export interface Comparison {
  passed: boolean;
  reason: 'ok' | 'shape' | 'nonfinite' | 'values';
  message: string;
  maxAbsError?: number;
  maxRelError?: number;
  mismatches?: number;
  total?: number;
  worst?: { index: string; expected: number; received: number };
}

export function squeezeShape(shape: readonly number[]): number[] {
  return shape.filter((d) => d !== 1);
}

export function describeTolerance(t: Tolerance): string {
  if (t.relError !== undefined) return `rel_error ≤ ${fmt(t.relError)}`;
  return `rtol=${fmt(t.rtol ?? DEFAULT_TOLERANCE.rtol)}, atol=${fmt(t.atol ?? DEFAULT_TOLERANCE.atol)}`;
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-4 && a < 1e6) return String(Number(x.toPrecision(10)));
  return x.toExponential(4);
}

const shapeStr = (s: readonly number[]) => `[${s.join(', ')}]`;

/** Elementwise closeness of two same-size arrays; exported for tests and gradcheck. */
export function elementErrors(e: Float64Array, r: Float64Array, tol: Tolerance) {
  const useRel = tol.relError !== undefined;
  const rtol = tol.rtol ?? DEFAULT_TOLERANCE.rtol;
  const atol = tol.atol ?? DEFAULT_TOLERANCE.atol;
  let maxAbs = 0, maxRel = 0, worst = -1, worstScore = -Infinity, mismatches = 0;
  for (let i = 0; i < e.length; i++) {
    const x = e[i], y = r[i];
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    const abs = Math.abs(y - x);
    const rel = abs / Math.max(1e-8, Math.abs(x) + Math.abs(y));
    const bad = Number.isNaN(abs) || (useRel ? rel > tol.relError! : abs > atol + rtol * Math.abs(x)) || (x === y ? false : !Number.isFinite(abs));
    if (bad) mismatches++;
    const score = Number.isNaN(abs) ? Infinity : useRel ? rel : abs - (atol + rtol * Math.abs(x));
    if (abs > maxAbs || Number.isNaN(abs)) maxAbs = Number.isNaN(abs) ? NaN : Math.max(maxAbs, abs);
    if (rel > maxRel || Number.isNaN(rel)) maxRel = Number.isNaN(rel) ? NaN : Math.max(maxRel, rel);
    if (score > worstScore) { worstScore = score; worst = i; }
  }
  return { maxAbs, maxRel, worst, mismatches };
}

/** If received ≈ k · expected for one k ≠ 1 across all elements, return k. */
export function constantRatio(e: Float64Array, r: Float64Array): number | undefined {
  let k: number | undefined;
  let used = 0;
  for (let i = 0; i < e.length; i++) {
    if (Math.abs(e[i]) < 1e-12) { if (Math.abs(r[i]) > 1e-9) return undefined; continue; }
    const q = r[i] / e[i];
    if (!Number.isFinite(q)) return undefined;
    if (k === undefined) k = q;
    else if (Math.abs(q - k) > 1e-6 * Math.abs(k)) return undefined;
    used++;
  }
  if (k === undefined || used < 1 || Math.abs(k - 1) < 1e-6) return undefined;
  return k;
}

function transposeMatches(expected: NDArray, received: NDArray, tol: Tolerance): boolean {
  if (expected.shape.length !== 2 || received.shape.length !== 2) return false;
  const [m, n] = expected.shape;
  if (received.shape[0] !== n || received.shape[1] !== m) return false;
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[i * n + j] = received.data[j * m + i];
  return elementErrors(expected.data, t, tol).mismatches === 0;
}

export function compareArrays(expected: NDArray, received: NDArray, tol: Tolerance = {}, shapePolicy: ShapePolicy = 'exact'): Comparison {
  const total = expected.data.length;
  const es = shapePolicy === 'squeeze' ? squeezeShape(expected.shape) : expected.shape;
  const rs = shapePolicy === 'squeeze' ? squeezeShape(received.shape) : received.shape;
  if (es.join() !== rs.join()) {
    let message = `shape mismatch: expected ${shapeStr(expected.shape)}, received ${shapeStr(received.shape)}`;
    if (transposeMatches(expected, received, tol)) message += '; the received array is the transpose of the expected one';
    else if (squeezeShape(expected.shape).join() === squeezeShape(received.shape).join()) {
      message += ' (same values up to size-1 axes: keep the shape the assignment asks for)';
      if (received.data.length === total && elementErrors(expected.data, received.data, tol).mismatches === 0) {
        message += '; the values themselves are right';
      }
    }
    return { passed: false, reason: 'shape', message, total };
  }
  const { maxAbs, maxRel, worst, mismatches } = elementErrors(expected.data, received.data, tol);
  const w = worst >= 0 ? { index: formatIndex(worst, received.shape), expected: expected.data[worst], received: received.data[worst] } : undefined;
  if (mismatches === 0) {
    return { passed: true, reason: 'ok', message: `matches (max abs error ${fmt(maxAbs)}, max rel error ${fmt(maxRel)}; ${describeTolerance(tol)})`, maxAbsError: maxAbs, maxRelError: maxRel, mismatches, total, worst: w };
  }
  let nonFinite = 0, firstBad = -1;
  for (let i = 0; i < received.data.length; i++) {
    if (!Number.isFinite(received.data[i]) && Number.isFinite(expected.data[i])) { nonFinite++; if (firstBad < 0) firstBad = i; }
  }
  if (nonFinite > 0) {
    const v = received.data[firstBad];
    return {
      passed: false, reason: 'nonfinite',
      message: `received ${nonFinite} non-finite value${nonFinite > 1 ? 's' : ''} (${v} at ${formatIndex(firstBad, received.shape) || 'the scalar'}, where ${fmt(expected.data[firstBad])} was expected); look for overflow in exp/log or a division by zero`,
      maxAbsError: NaN, maxRelError: NaN, mismatches, total,
      worst: { index: formatIndex(firstBad, received.shape), expected: expected.data[firstBad], received: v },
    };
  }
  const where = w && w.index ? `; worst at ${w.index}` : '';
  let message = `${total === 1 ? 'value differs' : `${mismatches} of ${total} elements differ`}${where}: expected ${fmt(w!.expected)}, received ${fmt(w!.received)}; max abs error ${fmt(maxAbs)}, max rel error ${fmt(maxRel)} (${describeTolerance(tol)})`;
  const k = constantRatio(expected.data, received.data);
  if (k !== undefined) {
    // (2 computed as 1.9999999999999996 is still a factor of 2.)
    const whole = (x: number) => Math.abs(Math.round(x)) >= 2 && Math.abs(x - Math.round(x)) < 1e-6 * Math.abs(x);
    const near = whole(k) ? String(Math.round(k)) : whole(1 / k) ? `1/${Math.round(1 / k)}` : undefined;
    // Any two numbers have a ratio; only a whole factor (N, 2, 1/N) says something about a mistake.
    if (near) message += total > 1 ? `; every element is ${near} × the expected value (a missing or extra factor?)` : `; that is ${near} × the expected value (a missing or extra factor?)`;
  }
  else if (float32Close(expected.data, received.data)) {
    message += '; your values agree only to ~1e-7, the precision of float32: compute in float64 (plain numbers or Float64Array, not Float32Array or tf tensors)';
  }
  return { passed: false, reason: 'values', message, maxAbsError: maxAbs, maxRelError: maxRel, mismatches, total, worst: w };
}

/** Every element within a few float32 rounding steps of the expected value (and some not exactly equal). */
function float32Close(e: Float64Array, r: Float64Array): boolean {
  let differs = false;
  for (let i = 0; i < e.length; i++) {
    const d = Math.abs(r[i] - e[i]);
    if (d > 2 ** -21 * Math.abs(e[i]) + 1e-38) return false;
    if (d > 0) differs = true;
  }
  return differs;
}
