/**
 * mnist-cnn-hw5: what submission.ts must export — the answers to the written
 * questions, as numbers (worked by hand or computed, either is fine).
 *
 * Conventions: "convolution" means what a CNN layer computes, i.e.
 * cross-correlation (the filter is not flipped). Output sizes follow
 *   out = ⌊(in + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1.
 *
 * The Keras part (at the end): MNIST CNNs with TensorFlow.js.
 */
import type * as tf from '@tensorflow/tfjs';
export interface Answers {
  /**
   * The 4×4 output of the 3×3 filter
   *   F = [[-1,-1,-1],[-1,8,-1],[-1,-1,-1]]
   * slid over the 6×6 input
   *   X = [[1,0,-2,3,4,1],[2,9,5,6,0,-1],[0,-3,1,3,4,4],[6,5,2,0,6,8],[-5,4,-3,1,3,-2],[4,1,2,8,9,7]]
   * with stride 1 and no padding: convOutput[i][j] = Σ_a Σ_b X[i+a][j+b]·F[a][b].
   */
  convOutput: number[][];
  /** [height, width] after one convolution of a 16×16 input: 2×2 filter, stride 2, padding 1, dilation 4. */
  outputSize: [number, number];
  /** [height, width] after a 32×32 input goes through two 3×3 convolutions, each stride 2, padding 1. */
  outputSize2: [number, number];
  /**
   * conv1 → conv2 → conv3, each 3×3 with stride 1: the side length, in units of
   * conv1's output feature map, of the region one unit of conv3's output depends on.
   */
  receptiveField: number;
}

export const answers: Answers;

// ---------------------------------------------------------------------------
// The Keras part: CNNs on MNIST (28×28×1 images, pixels in [0, 1]), with TensorFlow.js.
// Every model is compiled with categorical cross-entropy ('categoricalCrossentropy').

/**
 * Conv2D 32@3×3, stride 1, 'valid', ReLU → MaxPooling2D 2×2 → Flatten →
 * Dense 100 ReLU → Dense 10 softmax (542,230 parameters), compiled with SGD at
 * learning rate 0.01: tf.train.sgd(0.01).
 */
export function buildModel(): tf.LayersModel;

/**
 * The same model compiled with SGD with momentum: learning rate 0.01, momentum
 * 0.9. Keras' SGD(learning_rate=0.01, momentum=0.9) is tf.train.momentum(0.01, 0.9).
 */
export function buildModelWithMomentum(): tf.LayersModel;

/**
 * Conv2D 32@3×3 'valid' ReLU → MaxPooling2D 2×2 → Conv2D 64@3×3 'valid' ReLU →
 * MaxPooling2D 2×2 → Flatten → Dense 100 ReLU → Dense 10 softmax (179,926
 * parameters), compiled with tf.train.sgd(0.01).
 */
export function buildModel2Conv(): tf.LayersModel;

/** A batch as the grader passes it: the values as a flat array, and their shape. */
export interface Batch {
  data: Float32Array | Int32Array;
  shape: number[];
}

/**
 * Trains buildModelWithMomentum() for opts.epochs epochs in batches of
 * opts.batchSize and returns the model and its history.
 * x: [N, 28, 28, 1] pixels in [0, 1]; y: [N, 10] one-hot labels.
 */
export function trainModel(
  data: { x: Batch; y: Batch },
  opts: { epochs: number; batchSize: number },
): Promise<{ model: tf.LayersModel; history: tf.History['history'] }>;
