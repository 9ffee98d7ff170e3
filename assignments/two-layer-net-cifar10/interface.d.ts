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
 */

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
