/**
 * two-layer-net-cifar10: what submission.ts must export.
 *
 * A two-layer fully-connected network, written from scratch on plain arrays
 * (no @tensorflow/* imports):
 *
 *   hidden = relu(X · W1 + b1)        X (N, D), W1 (D, H), b1 (H)
 *   scores = hidden · W2 + b2         W2 (H, C), b2 (C)      → scores (N, C)
 *
 * Loss: the mean softmax cross-entropy of the true classes plus L2
 * regularisation of the weights (not of the biases), with no 0.5 factor:
 *
 *   L = (1/N) Σ_n −log( exp(scores[n][y[n]]) / Σ_c exp(scores[n][c]) ) + reg · (Σ W1² + Σ W2²)
 *
 * Matrices are row-major number[][]; vectors are number[].
 *
 * Problem 2 (at the end) builds CNNs with TensorFlow.js; keep those in a
 * separate file (e.g. models.ts, re-exported by submission.ts): the
 * from-scratch parts check that the code they run imports no @tensorflow/*.
 */
import type * as tf from '@tensorflow/tfjs';

export interface Params {
  /** (D, H) input-to-hidden weights. */
  W1: number[][];
  /** (H) hidden biases. */
  b1: number[];
  /** (H, C) hidden-to-output weights. */
  W2: number[][];
  /** (C) output biases. */
  b2: number[];
}

/** dL/dparam for each parameter, each exactly the shape of the parameter. */
export type Grads = Params;

export interface LossAndGrads {
  /** The regularised loss L (a number). */
  loss: number;
  grads: Grads;
}

/**
 * Forward pass, and the backward pass when labels are given.
 *
 * @param params the network's parameters (do not rely on being allowed to mutate them)
 * @param X      (N, D) inputs, one example per row
 * @param y      (N) integer class labels in 0..C-1; when omitted or null only the scores are computed
 * @param reg    regularisation strength (default 0)
 * @returns the (N, C) scores when y is omitted or null, else the loss and gradients
 */
export function loss(params: Params, X: number[][], y?: number[] | null, reg?: number): number[][] | LossAndGrads;

export interface TrainOptions {
  /** Initial step size of SGD. */
  learningRate: number;
  /** Multiplies the learning rate once per epoch. */
  learningRateDecay: number;
  /** Regularisation strength passed to loss(). */
  reg: number;
  /** Number of SGD steps. */
  numIters: number;
  /** Examples per minibatch. */
  batchSize: number;
}

export interface TrainResult {
  /** The parameters after the last step. */
  params: Params;
  /** The minibatch loss of every iteration, before that iteration's update (numIters entries). */
  lossHistory: number[];
  /** Accuracy on the current minibatch, recorded once per epoch. */
  trainAccHistory: number[];
  /** Accuracy on (Xval, yval), recorded once per epoch. */
  valAccHistory: number[];
}

/**
 * Minibatch stochastic gradient descent, as in CS231n's TwoLayerNet.train:
 * each iteration samples batchSize row indices uniformly WITH replacement
 * using Math.random (the grader seeds it), computes loss and gradients on the
 * minibatch, records the loss, and steps every parameter by −learningRate·grad.
 * An epoch is max(⌊N / batchSize⌋, 1) iterations; after the first iteration
 * of each epoch (it % iterationsPerEpoch === 0) record the minibatch and
 * validation accuracies and multiply the learning rate by learningRateDecay.
 */
export function train(
  params: Params,
  X: number[][],
  y: number[],
  Xval: number[][],
  yval: number[],
  opts: TrainOptions,
): TrainResult;

/** The class with the highest score for each row of X (the first one on ties). */
export function predict(params: Params, X: number[][]): number[];

// ---------------------------------------------------------------------------
// Problem 2: CNNs on CIFAR-10 (32×32×3 images), with TensorFlow.js.
//
// CONV-m: Conv2D with m filters and Keras's default padding 'valid' (no zero
// padding: the parameter counts the homework reports, 24,442, 1,626,442 and
// 890,410, are those of unpadded convolutions); POOL: MaxPooling2D 2×2;
// FC-n: Dense n; FCS: Dense 10 with softmax. Dropout (0.5) only after hidden
// FC layers. Padding is judged by its effect on the output shapes and
// parameter counts, so a pool may use either padding.

/** a) INPUT → CONV-12 (5×5) → RELU → POOL → FCS: 24,442 parameters. */
export function buildCnnA(): tf.LayersModel;

/** b) INPUT → CONV-32 (3×3) → RELU → CONV-64 (3×3) → RELU → POOL → FC-128 (no activation) → Dropout 0.5 → FCS: 1,626,442 parameters. */
export function buildCnnB(): tf.LayersModel;

/** c) [CONV-32 (3×3) → RELU]×2 → POOL → [CONV-64 (3×3) → RELU]×2 → POOL → FC-512 → RELU → Dropout 0.5 → FCS: 890,410 parameters. */
export function buildCnnC(): tf.LayersModel;

/** A batch as the grader passes it: the values as a flat array, and their shape. */
export interface Batch {
  data: Float32Array | Int32Array;
  shape: number[];
}

/**
 * Trains buildCnnA() with Adam (categorical cross-entropy) for opts.epochs
 * epochs in batches of opts.batchSize and returns the model and its history
 * (model.fit(...).history). data.x: [N, 32, 32, 3] images scaled to [0, 1] and
 * standardised per channel; data.y: [N, 10] one-hot labels.
 */
export function trainCnnA(
  data: { x: Batch; y: Batch },
  opts: { epochs: number; batchSize: number },
): Promise<{ model: tf.LayersModel; history: tf.History['history'] }>;
