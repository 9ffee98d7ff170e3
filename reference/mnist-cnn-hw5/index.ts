/**
 * Reference for mnist-cnn-hw5. The written questions: every answer is
 * computed here from the question's data, none is typed in. The Keras part
 * (at the end): the MNIST CNNs with TensorFlow.js, compiled with SGD.
 */
import * as tf from '@tensorflow/tfjs';
import { fitOn, type FitOptions, type TrainingData } from '../_shared/training.ts';

/** The 6×6 input and 3×3 filter of the by-hand convolution question. */
export const X: number[][] = [
  [1, 0, -2, 3, 4, 1],
  [2, 9, 5, 6, 0, -1],
  [0, -3, 1, 3, 4, 4],
  [6, 5, 2, 0, 6, 8],
  [-5, 4, -3, 1, 3, -2],
  [4, 1, 2, 8, 9, 7],
];
export const F: number[][] = [
  [-1, -1, -1],
  [-1, 8, -1],
  [-1, -1, -1],
];

/** 'valid' 2-d cross-correlation (what deep-learning libraries call convolution): no padding, no kernel flip. */
export function crossCorrelate2d(input: number[][], kernel: number[][], stride = 1): number[][] {
  const kh = kernel.length, kw = kernel[0].length;
  const oh = convOutputSize(input.length, kh, stride, 0);
  const ow = convOutputSize(input[0].length, kw, stride, 0);
  return Array.from({ length: oh }, (_, i) =>
    Array.from({ length: ow }, (_, j) => {
      let s = 0;
      for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) s += input[i * stride + a][j * stride + b] * kernel[a][b];
      return s;
    }),
  );
}

/**
 * Output length of a convolution along one axis:
 * ⌊(n + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1,
 * i.e. the usual ⌊(n + 2p − k)/s⌋ + 1 with the kernel's dilated extent d·(k−1)+1 in place of k.
 */
export function convOutputSize(n: number, kernel: number, stride: number, padding: number, dilation = 1): number {
  const extent = dilation * (kernel - 1) + 1;
  return Math.floor((n + 2 * padding - extent) / stride) + 1;
}

export interface ConvLayer {
  kernel: number;
  stride: number;
}

/**
 * Receptive field, measured on the feature map that feeds layers[0], of one
 * unit of the last layer's output: start from r = 1 and walk back through the
 * layers with r ← stride·r + (kernel − stride).
 */
export function receptiveField(layers: ConvLayer[]): number {
  let r = 1;
  for (let l = layers.length - 1; l >= 0; l--) r = layers[l].stride * r + (layers[l].kernel - layers[l].stride);
  return r;
}

const square = (n: number): [number, number] => [n, n];
const conv3s1: ConvLayer = { kernel: 3, stride: 1 };

export const answers = {
  /** The 4×4 result of sliding F over X with stride 1 and no padding. */
  convOutput: crossCorrelate2d(X, F, 1),
  /** 16×16 input, 2×2 filter, stride 2, padding 1, dilation 4. */
  outputSize: square(convOutputSize(16, 2, 2, 1, 4)),
  /** 32×32 input through two 3×3 convolutions with stride 2 and padding 1. */
  outputSize2: square(convOutputSize(convOutputSize(32, 3, 2, 1), 3, 2, 1)),
  /**
   * input → conv1 → conv2 → conv3, each 3×3 with stride 1: the side of the
   * region of conv1's output that one unit of conv3's output sees, i.e. the
   * receptive field through conv2 and conv3.
   */
  receptiveField: receptiveField([conv3s1, conv3s1]),
};

// ---------------------------------------------------------------------------
// The MNIST CNNs (28×28×1 inputs), compiled with SGD and categorical cross-entropy.
//
// 1 conv: Conv2D 32@3×3 'valid' ReLU (26×26×32, 320) → MaxPool 2×2 (13×13×32) →
//   Flatten (5,408) → Dense 100 ReLU (540,900) → Dense 10 softmax (1,010): 542,230 parameters.
// 2 conv: … MaxPool → Conv2D 64@3×3 'valid' ReLU (11×11×64, 18,496) → MaxPool 2×2
//   (5×5×64) → Flatten (1,600) → Dense 100 ReLU (160,100) → Dense 10 softmax: 179,926 parameters.

function cnn(convs: number): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu', inputShape: [28, 28, 1] }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  if (convs === 2) {
    model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  }
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 100, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

function compiled(model: tf.Sequential, optimizer: tf.Optimizer): tf.Sequential {
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** The homework's model: one convolution, SGD with learning rate 0.01. */
export const buildModel = (): tf.Sequential => compiled(cnn(1), tf.train.sgd(0.01));

/** The same model with SGD + momentum: learning rate 0.01, momentum 0.9 (tfjs: tf.train.momentum, class "Momentum"). */
export const buildModelWithMomentum = (): tf.Sequential => compiled(cnn(1), tf.train.momentum(0.01, 0.9));

/** Two convolutions (32 then 64 filters, each followed by a 2×2 pool), SGD with learning rate 0.01. */
export const buildModel2Conv = (): tf.Sequential => compiled(cnn(2), tf.train.sgd(0.01));

/** Trains buildModelWithMomentum() on {x, y} (x [N, 28, 28, 1] in [0, 1], y one-hot); returns the model and its history. */
export const trainModel = (data: TrainingData, opts: FitOptions) => fitOn(buildModelWithMomentum(), data, opts);
