/**
 * cifar10-mlp-hw4: what submission.ts must export (part 1, from scratch on
 * plain arrays; no @tensorflow/* imports and no automatic differentiation).
 *
 * A 2-3-1 network with a sigmoid σ on both layers:
 *   Z1 = X · W1ᵀ + b1      (N, 3)      X (N, 2), W1 (3, 2), b1 (3)
 *   H  = σ(Z1)             (N, 3)
 *   Z2 = H · W2 + b2       (N)         W2 (3), b2 a number
 *   Y  = σ(Z2)             (N)
 * and the loss L = 1/(2N) Σ_n (Y_n − Y_T_n)².
 *
 * Part 2 (at the end) builds the CIFAR-10 FFN with TensorFlow.js; keep it in a
 * separate file (e.g. models.ts, re-exported by submission.ts): the
 * from-scratch parts check that the code they run imports no @tensorflow/*.
 */
import type * as tf from '@tensorflow/tfjs';

export interface Weights {
  /** (3, 2) hidden-layer weights, one row per hidden unit. */
  W1: number[][];
  /** (3) hidden-layer biases. */
  b1: number[];
  /** (3) output weights. */
  W2: number[];
  /** The output bias. */
  b2: number;
}

export interface Forward {
  /** (N) outputs σ(Z2). */
  Y: number[];
  /** (N) output pre-activations. */
  Z2: number[];
  /** (N, 3) hidden activations σ(Z1). */
  H: number[][];
  /** (N, 3) hidden pre-activations. */
  Z1: number[][];
}

export interface Backward {
  /**
   * dL/d(each weight), each exactly the shape of the weight: W1 (3, 2) — not
   * its transpose —, b1 a flat array of 3 (not a 1×3 row), W2 (3), and b2 a
   * number (a one-element array is accepted).
   */
  gradients: { W1: number[][]; b1: number[]; W2: number[]; b2: number };
  /** The loss 1/(2N) Σ (Y − Y_T)². */
  L: number;
}

/** The forward pass for the N rows of X. */
export function forwardPropagation(X: number[][], weights: Weights): Forward;

/** The loss and its gradients by backpropagation; Y_T holds the N targets (0 or 1). */
export function backPropagation(X: number[][], Y_T: number[], weights: Weights): Backward;

// ---------------------------------------------------------------------------
// Part 2: a feed-forward network on CIFAR-10, with TensorFlow.js.

/**
 * FFN on flattened 32×32×3 images (3072 inputs): Dense 128 ReLU, Dense 64 ReLU,
 * Dense 10 softmax (402,250 parameters), compiled with Adam and categorical
 * cross-entropy.
 */
export function buildFFN(): tf.LayersModel;

/** A batch as the grader passes it: the values as a flat array, and their shape. */
export interface Batch {
  data: Float32Array | Int32Array;
  shape: number[];
}

/**
 * Trains buildFFN() for opts.epochs epochs in batches of opts.batchSize,
 * validating on (xVal, yVal), and returns the model and its history.
 * x: [N, 3072] pixels scaled to [0, 1]; y: [N, 10] one-hot labels.
 */
export function trainFFN(
  data: { x: Batch; y: Batch; xVal: Batch; yVal: Batch },
  opts: { epochs: number; batchSize: number },
): Promise<{ model: tf.LayersModel; history: tf.History['history'] }>;
