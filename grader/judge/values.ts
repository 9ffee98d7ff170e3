/**
 * Turning what a student's function returned (numbers, nested arrays, typed
 * arrays, serialized tf tensors, objects of these) into NDArrays the judge can
 * compare, with errors that say where in the value the problem is.
 */
import { type NDArray, ndarray, scalar, sizeOf, toNested, unravelIndex } from '../fixtures/ndarray.ts';

/** How the sandbox sends a tensor or typed array back (structured-clone friendly). */
export interface WireArray {
  __ndarray: true;
  shape: number[];
  data: Float64Array | Float32Array | Int32Array | Uint8Array;
  dtype?: string;
  source?: string; // 'tf.Tensor' | 'Float32Array' | ...
}

export function isWireArray(v: unknown): v is WireArray {
  return typeof v === 'object' && v !== null && (v as WireArray).__ndarray === true;
}

export class ValueError extends Error {
  constructor(message: string, readonly path: string) {
    super(message);
  }
}

/** A short English description of a value's type, for messages. */
export function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return `array of length ${v.length}`;
  if (isWireArray(v)) return `${v.source ?? 'array'} of shape [${v.shape.join(', ')}]`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name} of length ${(v as unknown as ArrayLike<number>).length}`;
  if (typeof v === 'object' && (v as { __unsupported?: string }).__unsupported) return (v as { __unsupported: string }).__unsupported;
  if (typeof v === 'object') return `object with keys {${Object.keys(v as object).join(', ')}}`;
  if (typeof v === 'number' && Number.isNaN(v)) return 'NaN';
  return typeof v === 'string' ? `string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}` : `${typeof v} ${String(v)}`;
}

/** Convert a received value to an NDArray, or throw a ValueError naming the offending index. */
export function toNDArray(v: unknown, path = ''): NDArray {
  if (typeof v === 'number') return scalar(v);
  if (typeof v === 'boolean') return scalar(v ? 1 : 0);
  if (typeof v === 'bigint') return scalar(Number(v), 'int64');
  if (isWireArray(v)) return ndarray(Float64Array.from(v.data as ArrayLike<number>), v.shape);
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const a = v as unknown as ArrayLike<number>;
    return ndarray(Float64Array.from(a), [a.length]);
  }
  if (Array.isArray(v)) {
    const shape: number[] = [];
    let probe: unknown = v;
    while (Array.isArray(probe) || isWireArray(probe) || (ArrayBuffer.isView(probe) && !(probe instanceof DataView))) {
      if (isWireArray(probe)) { shape.push(...probe.shape); break; }
      const len = (probe as ArrayLike<unknown>).length;
      shape.push(len);
      if (len === 0) break;
      probe = (probe as ArrayLike<unknown>)[0];
    }
    const out = new Float64Array(sizeOf(shape));
    let k = 0;
    const walk = (x: unknown, dim: number, at: number[]): void => {
      if (dim === shape.length) {
        const n = typeof x === 'number' ? x : typeof x === 'boolean' ? Number(x) : NaN;
        if (typeof x !== 'number' && typeof x !== 'boolean') {
          throw new ValueError(`expected a number at ${path}[${at.join('][')}], got ${describeType(x)}`, path);
        }
        out[k++] = n;
        return;
      }
      if (isWireArray(x)) {
        const want = shape.slice(dim);
        if (x.shape.join() !== want.join()) throw new ValueError(`ragged array at ${path}[${at.join('][')}]: shape [${x.shape.join(', ')}] where [${want.join(', ')}] was expected`, path);
        for (let i = 0; i < x.data.length; i++) out[k++] = x.data[i];
        return;
      }
      const isList = Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
      if (!isList) {
        throw new ValueError(`ragged array at ${path}[${at.join('][')}]: expected a list of length ${shape[dim]}, got ${describeType(x)}`, path);
      }
      const list = x as ArrayLike<unknown>;
      if (list.length !== shape[dim]) {
        throw new ValueError(`ragged array at ${path}[${at.join('][')}]: length ${list.length} where the first row has ${shape[dim]}`, path);
      }
      for (let i = 0; i < list.length; i++) walk(list[i], dim + 1, [...at, i]);
    };
    walk(v, 0, []);
    return ndarray(out, shape);
  }
  throw new ValueError(`expected a number or an array${path ? ` at ${path}` : ''}, got ${describeType(v)}`, path);
}

/** Follow a dotted path ("gradients.W1", "0", "history.loss") into a value. */
export function getPath(v: unknown, path: string): { found: true; value: unknown } | { found: false; missing: string; have: string } {
  if (path === '' || path === '.') return { found: true, value: v };
  let cur: unknown = v;
  const parts = path.split('.');
  for (let i = 0; i < parts.length; i++) {
    const key = parts[i];
    const here = parts.slice(0, i).join('.') || '(the returned value)';
    if (cur === null || typeof cur !== 'object') {
      return { found: false, missing: key, have: `${here} is ${describeType(cur)}` };
    }
    if (Array.isArray(cur)) {
      const idx = Number(key);
      if (!Number.isInteger(idx) || idx < 0 || idx >= cur.length) return { found: false, missing: key, have: `${here} is an array of length ${cur.length}` };
      cur = cur[idx];
    } else {
      if (!(key in (cur as object))) {
        return { found: false, missing: key, have: `${here} has keys {${Object.keys(cur as object).join(', ')}}` };
      }
      cur = (cur as Record<string, unknown>)[key];
    }
  }
  return { found: true, value: cur };
}

/**
 * The leaf paths of a reference output: object keys are walked, arrays and
 * numbers are leaves (a tuple of differently-shaped arrays is walked by index).
 */
export function leafPaths(v: unknown, prefix = ''): string[] {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v) && !isWireArray(v)) {
    return Object.keys(v as object).flatMap((k) => leafPaths((v as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k));
  }
  if (Array.isArray(v) && v.length > 0 && v.some((x) => x !== null && typeof x === 'object' && !Array.isArray(x) && !isWireArray(x))) {
    return v.flatMap((x, i) => leafPaths(x, prefix ? `${prefix}.${i}` : String(i)));
  }
  if (Array.isArray(v) && v.length > 0 && Array.isArray(v[0])) {
    try { toNDArray(v); } catch { return v.flatMap((x, i) => leafPaths(x, prefix ? `${prefix}.${i}` : String(i))); }
  }
  return [prefix];
}

/** A small JSON summary of an array for reports: the whole thing when small, stats when big. */
export type Summary =
  | number
  | { shape: number[]; values: unknown }
  | { shape: number[]; size: number; min: number; max: number; mean: number; first: number[]; nonFinite?: number };

export const FULL_VALUE_LIMIT = 24;

export function summarize(a: NDArray): Summary {
  if (a.shape.length === 0) return a.data[0];
  const size = a.data.length;
  if (size <= FULL_VALUE_LIMIT) return { shape: a.shape, values: toNested(a) };
  let min = Infinity, max = -Infinity, sum = 0, nonFinite = 0;
  for (let i = 0; i < size; i++) {
    const x = a.data[i];
    if (!Number.isFinite(x)) { nonFinite++; continue; }
    if (x < min) min = x;
    if (x > max) max = x;
    sum += x;
  }
  const s: Summary = { shape: a.shape, size, min, max, mean: sum / Math.max(1, size - nonFinite), first: Array.from(a.data.subarray(0, 5)) };
  if (nonFinite) s.nonFinite = nonFinite;
  return s;
}

export function formatIndex(flat: number, shape: number[]): string {
  return shape.length === 0 ? '' : `[${unravelIndex(flat, shape).join(', ')}]`;
}
