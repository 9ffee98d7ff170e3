/**
 * cs231n-layers: what submission.ts must export.
 *
 * Building blocks of a fully connected network, on plain arrays (number[][]
 * or Float64Array rows both work; no @tensorflow/* imports). A matrix holds
 * one example per row (N rows).
 *
 * Every forward function returns [out, cache]. The cache is yours: anything
 * your backward function needs (arrays, an object, even a closure). The
 * grader hands your own cache back to your backward function, except for
 * reluForward, whose cache must be its input x.
 * Every backward function takes (dout, cache): dout is the gradient of the
 * loss with respect to the forward output. (Declare the cache parameter as your
 * own cache type.)
 */

export type Matrix = number[][];
/** What a function returns as a matrix: number[][], or rows of typed arrays (Float64Array[]). */
export type Rows = ArrayLike<number>[];
/** What a function returns as a vector: number[] or a Float64Array. */
export type Vector = ArrayLike<number>;

/** out = x·w + b, for x (N×D), w (D×M), b (M). */
export function affineForward(x: Matrix, w: Matrix, b: number[]): [Rows, unknown];
/** Returns [dx (N×D), dw (D×M), db (M)]. */
export function affineBackward(dout: Matrix, cache: unknown): [Rows, Rows, Vector];

/** out = max(0, x) elementwise; the cache is x itself. */
export function reluForward(x: Matrix): [Rows, Matrix];
/** Returns dx. */
export function reluBackward(dout: Matrix, cache: Matrix): Rows;

export interface BatchnormParam {
  mode: 'train' | 'test';
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Weight of the old running statistics (default 0.9). */
  momentum?: number;
  /** Running statistics (default zeros). In train mode, update them here: the grader reads them after the call. */
  runningMean?: number[];
  runningVar?: number[];
}

/**
 * Batch normalisation of each column (feature).
 * train: normalise with the batch's mean and (biased, divide by N) variance, scale by gamma,
 *   shift by beta, and set runningMean = momentum·runningMean + (1 − momentum)·mean (the same for runningVar).
 * test: normalise with runningMean and runningVar instead; the cache may then be anything.
 */
export function batchnormForward(x: Matrix, gamma: number[], beta: number[], bnParam: BatchnormParam): [Rows, unknown];
/** Returns [dx (N×D), dgamma (D), dbeta (D)] for a forward pass made in train mode. */
export function batchnormBackward(dout: Matrix, cache: unknown): [Rows, Vector, Vector];

export interface DropoutParam {
  /** The probability of KEEPING each unit. */
  p: number;
  mode: 'train' | 'test';
}

/**
 * Inverted dropout. train: keep each unit with probability p (draw with Math.random) and
 * divide the kept ones by p, so the expected output equals x. test: out = x.
 */
export function dropoutForward(x: Matrix, dropoutParam: DropoutParam): [Rows, unknown];
/** Returns dx. */
export function dropoutBackward(dout: Matrix, cache: unknown): Rows;

/** Mean softmax cross-entropy of scores x (N×C) for labels y (N): returns [loss, dx]. */
export function softmaxLoss(x: Matrix, y: number[]): [number, Rows];
