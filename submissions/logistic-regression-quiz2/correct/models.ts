// Questions (a)-(c) with TensorFlow.js: three MNIST models on 28×28×1 images, compiled with SGD.
import * as tf from '@tensorflow/tfjs';

function compiled<M extends tf.LayersModel>(model: M): M {
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

// (a) multinomial logistic regression: input, flattening layer, softmax output layer
export function buildLogisticModel(): tf.Sequential {
  return compiled(tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  }));
}

// (b) the dense network
export function buildDenseModel(): tf.Sequential {
  return compiled(tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dense({ units: 64, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  }));
}

// (c) the CNN of the comment table: 26x26x32 -> 13x13x32 -> 11x11x64 -> 3x3x64 -> 576 -> 128 -> 10
export function buildConvModel(): tf.LayersModel {
  const inp = tf.input({ shape: [28, 28, 1] });
  let x = tf.layers.conv2d({ filters: 32, kernelSize: [3, 3], activation: 'relu' }).apply(inp) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2] }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: [3, 3] }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: 128, activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
  return compiled(tf.model({ inputs: inp, outputs: out }));
}

interface Batch { data: Float32Array | Int32Array; shape: number[] }

/** Trains a model on the grader's images ({x, y}: flat arrays and shapes) and returns it with its history. */
async function fit(model: tf.LayersModel, data: { x: Batch; y: Batch }, opts: { epochs: number; batchSize: number }) {
  const h = await model.fit(tf.tensor(data.x.data, data.x.shape), tf.tensor(data.y.data, data.y.shape), { epochs: opts.epochs, batchSize: opts.batchSize, shuffle: true, verbose: 0 });
  return { model, history: h.history };
}

export const trainLogisticModel = (data: { x: Batch; y: Batch }, opts: { epochs: number; batchSize: number }) => fit(buildLogisticModel(), data, opts);
export const trainDenseModel = (data: { x: Batch; y: Batch }, opts: { epochs: number; batchSize: number }) => fit(buildDenseModel(), data, opts);
export const trainConvModel = (data: { x: Batch; y: Batch }, opts: { epochs: number; batchSize: number }) => fit(buildConvModel(), data, opts);
