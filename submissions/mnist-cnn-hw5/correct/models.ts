// The Keras part with TensorFlow.js: the homework's 1-conv model, the same model with momentum,
// and the model with a second convolution, each compiled with SGD.
import * as tf from '@tensorflow/tfjs';

function defineModel(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: [3, 3], strides: [1, 1], padding: 'valid', activation: 'relu', inputShape: [28, 28, 1] }));
  model.add(tf.layers.maxPooling2d({ poolSize: [2, 2] }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 100, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

export function buildModel(learningRate = 0.01): tf.Sequential {
  const model = defineModel();
  model.compile({ optimizer: tf.train.sgd(learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

// Keras' SGD(learning_rate, momentum) is tf.train.momentum in TensorFlow.js.
export function buildModelWithMomentum(learningRate = 0.01, momentum = 0.9): tf.Sequential {
  const model = defineModel();
  model.compile({ optimizer: tf.train.momentum(learningRate, momentum), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export function buildModel2Conv(learningRate = 0.01): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: [3, 3], strides: [1, 1], padding: 'valid', activation: 'relu', inputShape: [28, 28, 1] }));
  model.add(tf.layers.maxPooling2d({ poolSize: [2, 2] }));
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: [3, 3], strides: [1, 1], padding: 'valid', activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: [2, 2] }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 100, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.sgd(learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

interface Batch { data: Float32Array | Int32Array; shape: number[] }

/** Trains the model with momentum on the images the grader passes. */
export async function trainModel(data: { x: Batch; y: Batch }, opts: { epochs: number; batchSize: number }) {
  const model = buildModelWithMomentum(0.01, 0.9);
  const h = await model.fit(tf.tensor(data.x.data, data.x.shape), tf.tensor(data.y.data, data.y.shape), {
    epochs: opts.epochs,
    batchSize: opts.batchSize,
    shuffle: true,
  });
  return { model, history: h.history };
}
