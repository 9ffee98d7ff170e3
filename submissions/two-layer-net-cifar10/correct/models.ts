// Problem 2: the three CNNs with TensorFlow.js, written the way the homework's Keras code is:
// Keras's default (unpadded) convolutions, which give the parameter counts the homework reports,
// pools with padding 'same' as in that code, and dropout after the hidden FC layers.
import * as tf from '@tensorflow/tfjs';

const inputShape = [32, 32, 3];
const numClasses = 10;

function compiled(model: tf.Sequential): tf.Sequential {
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

// a) INPUT -> CONV-12 -> RELU -> POOL -> FCS
export function buildCnnA(): tf.Sequential {
  return compiled(tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 12, kernelSize: [5, 5], activation: 'relu', inputShape }),
      tf.layers.maxPooling2d({ poolSize: [2, 2], padding: 'same' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: numClasses, activation: 'softmax' }),
    ],
  }));
}

// b) INPUT -> CONV-32 -> RELU -> CONV-64 -> RELU -> POOL -> FC-128 -> FCS
export function buildCnnB(): tf.Sequential {
  return compiled(tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 32, kernelSize: [3, 3], activation: 'relu', inputShape }),
      tf.layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: [2, 2], padding: 'same' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 128 }),
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.dense({ units: numClasses, activation: 'softmax' }),
    ],
  }));
}

// c) [CONV-32 -> RELU]*2 -> POOL -> [CONV-64 -> RELU]*2 -> POOL -> FC-512 -> RELU -> FCS
export function buildCnnC(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: [3, 3], activation: 'relu', inputShape }));
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: [3, 3], activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: [2, 2], padding: 'same' }));
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }));
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: [2, 2], padding: 'same' }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 512 }));
  model.add(tf.layers.activation({ activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: 0.5 }));
  model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));
  return compiled(model);
}

interface Batch { data: Float32Array | Int32Array; shape: number[] }

/** Trains model a) on the images the grader passes ({x, y}: flat arrays with their shapes). */
export async function trainCnnA(data: { x: Batch; y: Batch }, opts: { epochs: number; batchSize: number }) {
  const model = buildCnnA();
  const h = await model.fit(tf.tensor(data.x.data, data.x.shape), tf.tensor(data.y.data, data.y.shape), {
    epochs: opts.epochs,
    batchSize: opts.batchSize,
    shuffle: true,
  });
  return { model, history: h.history };
}
