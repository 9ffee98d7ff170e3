// Part 2: the CIFAR-10 FFN with TensorFlow.js. Images arrive flattened (3072 values, scaled to
// [0, 1]); the output layer has one unit per class, found from the data: 10.
import * as tf from '@tensorflow/tfjs';

export function buildFFN(): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 128, activation: 'relu', inputShape: [32 * 32 * 3] }), // first layer
      tf.layers.dense({ units: 64, activation: 'relu' }), // hidden layer
      tf.layers.dense({ units: 10, activation: 'softmax' }), // one unit per class
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

interface Batch { data: Float32Array | Int32Array; shape: number[] }

/** Trains the FFN for the epochs asked, validating on the held-out fifth the grader passes. */
export async function trainFFN(data: { x: Batch; y: Batch; xVal: Batch; yVal: Batch }, opts: { epochs: number; batchSize: number }) {
  const model = buildFFN();
  const tensor = (b: Batch) => tf.tensor(b.data, b.shape);
  const h = await model.fit(tensor(data.x), tensor(data.y), {
    epochs: opts.epochs,
    batchSize: opts.batchSize,
    validationData: [tensor(data.xVal), tensor(data.yVal)],
  });
  return { model, history: h.history };
}
