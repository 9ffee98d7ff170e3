/**
 * Reference for fashion-mnist-hw4. Part 1 is the from-scratch 2-3-1 network
 * (reference/_shared/mlp-2-3-1.ts); parts 3 and 4 build the Fashion-MNIST
 * models with TensorFlow.js.
 */
import * as tf from '@tensorflow/tfjs';
import { fitOn, type FitOptions, type TrainingData } from '../_shared/training.ts';

export { forwardPropagation, backPropagation, type Weights, type Forward, type Backward } from '../_shared/mlp-2-3-1.ts';

// ---------------------------------------------------------------------------
// Parts 3 and 4: the Fashion-MNIST models, built with TensorFlow.js.

/** FFN 784-128-64-10, ReLU then softmax, compiled with Adam and categorical cross-entropy (109,386 parameters). */
export function buildFFN(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }));
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

type LeNetVariant = 'plain' | 'dropout' | 'batchnorm';

function lenet(variant: LeNetVariant): tf.Sequential {
  const model = tf.sequential();
  const act = variant === 'batchnorm' ? 'linear' : 'relu';
  const after = () => {
    if (variant === 'dropout') model.add(tf.layers.dropout({ rate: 0.5 }));
    if (variant === 'batchnorm') {
      model.add(tf.layers.batchNormalization());
      model.add(tf.layers.activation({ activation: 'relu' }));
    }
  };
  model.add(tf.layers.conv2d({ filters: 6, kernelSize: 5, strides: 1, padding: 'same', activation: act, inputShape: [28, 28, 1] }));
  after();
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 16, kernelSize: 5, padding: 'valid', activation: act }));
  after();
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 120, kernelSize: 5, activation: act }));
  after();
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 84, activation: act }));
  after();
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** LeNet-5 as the homework describes it (61,706 parameters). */
export const buildLeNet5 = (): tf.Sequential => lenet('plain');
/** LeNet-5 with dropout 0.5 after every hidden layer. */
export const buildLeNet5Dropout = (): tf.Sequential => lenet('dropout');
/** LeNet-5 with batch normalisation (then ReLU) after every hidden layer. */
export const buildLeNet5BatchNorm = (): tf.Sequential => lenet('batchnorm');

/** Trains buildFFN() with Adam and returns the model and its history. */
export const trainFFN = (data: TrainingData, opts: FitOptions) => fitOn(buildFFN(), data, opts);
