/**
 * Reference for cifar10-mlp-hw4, part 1: the 2-3-1 network with a sigmoid on
 * the hidden and the output layer and the loss L = 1/(2N) Σ_n (y_n − t_n)²,
 * forward and backward by hand.
 * Shapes: X (N, 2), W1 (3, 2), b1 (3), W2 (3), b2 a number; Z1 = X W1ᵀ + b1.
 * Part 2 (at the end) builds and trains the CIFAR-10 FFN with TensorFlow.js.
 */
import * as tf from '@tensorflow/tfjs';
import { fitOn, type FitOptions, type TrainingData } from '../_shared/training.ts';

export { forwardPropagation, backPropagation, type Weights, type Forward, type Backward } from '../_shared/mlp-2-3-1.ts';

// ---------------------------------------------------------------------------
// Part 2: the CIFAR-10 feed-forward network, with TensorFlow.js.

/**
 * FFN 3072-128-64-10 on flattened 32×32×3 images: Dense 128 ReLU, Dense 64 ReLU,
 * Dense 10 softmax; 393,344 + 8,256 + 650 = 402,250 parameters. Compiled with
 * Adam and categorical cross-entropy (the homework's labels are integers and it
 * uses the sparse loss; the grader passes one-hot rows).
 */
export function buildFFN(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 128, activation: 'relu', inputShape: [3072] }));
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** Trains buildFFN() with Adam on the grader's batches; returns the model and its history. */
export const trainFFN = (data: TrainingData, opts: FitOptions) => fitOn(buildFFN(), data, opts);
