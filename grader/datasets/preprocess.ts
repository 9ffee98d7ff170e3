/**
 * Declared preprocessing of a data set, as pure functions on
 * { x, shape, y } (see types.ts). Nothing here mutates its input.
 *
 * A spec declares the steps in order, e.g.
 *   [{ "op": "scale", "by": 255 }, { "op": "flatten" }, { "op": "oneHot", "numClasses": 10 }]
 * and a train/validation split as { "validation": 0.2, "seed": 0 } (a fraction)
 * or { "validation": 12000, "seed": 0 } (a count).
 *
 * Shuffles use NumPy's legacy RandomState, so a split with seed s takes the same
 * examples as `np.random.RandomState(s).permutation(n)` in the instructor's notebook.
 */
import { RandomState } from '../fixtures/numpy-random.ts';
import { count, exampleSize, type ImageSet, type Labels, type OneHotSet } from './types.ts';

export type PreprocessStep =
  /** x / by (default 255): bytes to [0, 1]. */
  | { op: 'scale'; by?: number }
  /** (x - mean) / std; arrays are per channel (last axis). */
  | { op: 'standardize'; mean: number | number[]; std: number | number[] }
  /** Each example to one vector: [N, prod(rest)]. */
  | { op: 'flatten' }
  /** Each example to `shape` (e.g. [28, 28, 1]); one entry may be -1. */
  | { op: 'reshape'; shape: number[] }
  /** Labels to one-hot rows of `numClasses`. */
  | { op: 'oneHot'; numClasses: number }
  /** The first `count` examples. */
  | { op: 'take'; count: number };

function toFloat(x: ImageSet['x']): Float32Array {
  return x instanceof Float32Array ? x.slice() : Float32Array.from(x);
}

/** x / by (default 255) as float32. */
export function scale<T extends ImageSet>(set: T, by = 255): T {
  if (!(by > 0) || !Number.isFinite(by)) throw new Error(`scale: divide by a positive number, got ${by}`);
  const x = toFloat(set.x);
  const inv = 1 / by;
  for (let i = 0; i < x.length; i++) x[i] = x[i]! * inv;
  return { ...set, x };
}

/** (x - mean) / std, scalar or per channel (the last axis) — e.g. CIFAR-10's per-channel statistics. */
export function standardize<T extends ImageSet>(set: T, mean: number | number[], std: number | number[]): T {
  const channels = set.shape[set.shape.length - 1]!;
  const m = typeof mean === 'number' ? [mean] : mean;
  const s = typeof std === 'number' ? [std] : std;
  for (const [name, v] of [['mean', m], ['std', s]] as const) {
    if (v.length !== 1 && v.length !== channels) throw new Error(`standardize: ${name} has ${v.length} values; give 1 or one per channel (${channels})`);
  }
  if (s.some((v) => !(v > 0))) throw new Error(`standardize: std must be positive, got [${s.join(', ')}]`);
  const x = toFloat(set.x);
  const k = Math.max(m.length, s.length);
  for (let i = 0; i < x.length; i++) {
    const c = k === 1 ? 0 : i % channels;
    x[i] = (x[i]! - m[m.length === 1 ? 0 : c]!) / s[s.length === 1 ? 0 : c]!;
  }
  return { ...set, x };
}

/** Per-channel mean and std (population) over all examples and positions, e.g. of a training split. */
export function channelStats(set: ImageSet): { mean: number[]; std: number[] } {
  const channels = set.shape[set.shape.length - 1]!;
  const sum = new Float64Array(channels);
  const sq = new Float64Array(channels);
  for (let i = 0; i < set.x.length; i++) {
    const v = set.x[i]!;
    sum[i % channels] += v;
    sq[i % channels] += v * v;
  }
  const n = set.x.length / channels;
  const mean = Array.from(sum, (v) => v / n);
  return { mean, std: Array.from(sq, (v, c) => Math.sqrt(Math.max(v / n - mean[c]! ** 2, 0))) };
}

/** [N, ...] to [N, prod(...)]. */
export function flatten<T extends ImageSet>(set: T): T {
  return { ...set, shape: [count(set), exampleSize(set)] };
}

/** Each example to `shape` ([H, W, C] for a CNN); one entry may be -1. */
export function reshape<T extends ImageSet>(set: T, shape: number[]): T {
  const size = exampleSize(set);
  const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const free = shape.filter((d) => d === -1).length;
  if (free > 1 || shape.some((d) => d !== -1 && (!Number.isInteger(d) || d < 0))) throw new Error(`reshape: bad shape [${shape.join(', ')}]`);
  const full = free ? shape.map((d) => (d === -1 ? size / known : d)) : shape;
  if (full.reduce((a, b) => a * b, 1) !== size || full.some((d) => !Number.isInteger(d))) {
    throw new Error(`reshape: an example of shape [${set.shape.slice(1).join(', ')}] (${size} values) cannot become [${shape.join(', ')}]`);
  }
  return { ...set, shape: [count(set), ...full] };
}

/** Adds yOneHot ([N, numClasses], float32). Errors name the first label outside 0..numClasses-1. */
export function oneHot<T extends ImageSet>(set: T, numClasses: number): T & OneHotSet {
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new Error(`oneHot: numClasses must be a positive integer, got ${numClasses}`);
  const n = set.y.length;
  const out = new Float32Array(n * numClasses);
  for (let i = 0; i < n; i++) {
    const c = set.y[i]!;
    if (!(c >= 0 && c < numClasses)) throw new Error(`oneHot: label ${c} at index ${i} is outside 0..${numClasses - 1}`);
    out[i * numClasses + c] = 1;
  }
  return { ...set, yOneHot: out, numClasses };
}

/** The examples at `indices`, in that order (also slices yOneHot when present). */
export function select<T extends ImageSet>(set: T, indices: ArrayLike<number>): T {
  const size = exampleSize(set);
  const n = indices.length;
  const X = set.x instanceof Float32Array ? Float32Array : Uint8Array;
  const x = new X(n * size);
  const Y = set.y instanceof Int32Array ? Int32Array : Uint8Array;
  const y = new Y(n) as Labels;
  const src = set as T & Partial<OneHotSet>;
  const k = src.numClasses ?? 0;
  const oh = src.yOneHot ? new Float32Array(n * k) : undefined;
  const total = count(set);
  for (let i = 0; i < n; i++) {
    const j = indices[i]!;
    if (!(j >= 0 && j < total)) throw new Error(`select: index ${j} is outside 0..${total - 1}`);
    x.set(set.x.subarray(j * size, (j + 1) * size), i * size);
    y[i] = set.y[j]!;
    if (oh) oh.set(src.yOneHot!.subarray(j * k, (j + 1) * k), i * k);
  }
  const out = { ...set, x, y, shape: [n, ...set.shape.slice(1)] } as T;
  if (oh) (out as T & OneHotSet).yOneHot = oh;
  return out;
}

/** The first `n` examples. */
export function take<T extends ImageSet>(set: T, n: number): T {
  const total = count(set);
  if (!Number.isInteger(n) || n < 0 || n > total) throw new Error(`take: count must be an integer in 0..${total}, got ${n}`);
  return select(set, Array.from({ length: n }, (_, i) => i));
}

/** `np.random.RandomState(seed).permutation(n)`, as numbers. */
export function permutation(n: number, seed: number): number[] {
  return Array.from(new RandomState(seed).permutation(n).data);
}

/** The set in a deterministic shuffled order (NumPy RandomState(seed).permutation). */
export function shuffle<T extends ImageSet>(set: T, seed: number): T {
  return select(set, permutation(count(set), seed));
}

export interface SplitOptions {
  /** A fraction (0 < v < 1) or a count (an integer >= 1) of examples for validation. */
  validation: number;
  /** Shuffle seed (default 0). */
  seed?: number;
  /** Shuffle before splitting (default true). When false, validation is the LAST examples (as Keras' validationSplit). */
  shuffle?: boolean;
}

/**
 * Train/validation split. Shuffled: order = permutation(n, seed); validation =
 * the first k of that order, train = the rest (both in permutation order).
 * k = round(fraction * n) for a fraction, or the count itself.
 */
export function trainValidationSplit<T extends ImageSet>(set: T, opts: SplitOptions): { train: T; validation: T; validationIndices: number[] } {
  const n = count(set);
  const v = opts.validation;
  let k: number;
  if (v > 0 && v < 1) k = Math.round(v * n);
  else if (Number.isInteger(v) && v >= 1) k = v;
  else throw new Error(`split: validation must be a fraction in (0, 1) or a count >= 1, got ${v}`);
  if (k >= n) throw new Error(`split: ${k} validation examples leave none of the ${n} for training`);
  const order = opts.shuffle === false ? Array.from({ length: n }, (_, i) => i) : permutation(n, opts.seed ?? 0);
  const [valIdx, trainIdx] = opts.shuffle === false ? [order.slice(n - k), order.slice(0, n - k)] : [order.slice(0, k), order.slice(k)];
  return { train: select(set, trainIdx), validation: select(set, valIdx), validationIndices: valIdx };
}

/** Applies `steps` in order. */
export function applyPreprocessing(set: ImageSet, steps: PreprocessStep[]): ImageSet | OneHotSet {
  let out: ImageSet = set;
  steps.forEach((step, i) => {
    try {
      switch (step.op) {
        case 'scale': out = scale(out, step.by ?? 255); break;
        case 'standardize': out = standardize(out, step.mean, step.std); break;
        case 'flatten': out = flatten(out); break;
        case 'reshape': out = reshape(out, step.shape); break;
        case 'oneHot': out = oneHot(out, step.numClasses); break;
        case 'take': out = take(out, step.count); break;
        default: throw new Error(`unknown step ${JSON.stringify((step as { op?: unknown }).op)} (known: scale, standardize, flatten, reshape, oneHot, take)`);
      }
    } catch (e) {
      throw new Error(`preprocessing step ${i} (${(step as { op?: string }).op}): ${(e as Error).message}`);
    }
  });
  return out;
}
