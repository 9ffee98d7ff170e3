// Parts 3 and 4 with TensorFlow.js, written the way the homework's Keras code is:
// Dense layers followed by separate Activation layers, and LeNet-5 without a Flatten
// (the last Dense layers then act on a 1×1×120 map).
import * as tf from '@tensorflow/tfjs';

export function buildFFN(): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 128, inputShape: [784] }),
      tf.layers.activation({ activation: 'relu' }),
      tf.layers.dense({ units: 64 }),
      tf.layers.activation({ activation: 'relu' }),
      tf.layers.dense({ units: 10 }),
      tf.layers.activation({ activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

function lenet(extra: (m: tf.Sequential) => void = () => {}, conv: Partial<{ activation: 'relu' | 'linear' }> = {}): tf.Sequential {
  const activation = conv.activation ?? 'relu';
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ filters: 6, kernelSize: [5, 5], strides: [1, 1], padding: 'same', activation, inputShape: [28, 28, 1] }));
  extra(m);
  m.add(tf.layers.maxPooling2d({ poolSize: [2, 2] }));
  m.add(tf.layers.conv2d({ filters: 16, kernelSize: [5, 5], padding: 'valid', activation }));
  extra(m);
  m.add(tf.layers.maxPooling2d({ poolSize: [2, 2] }));
  m.add(tf.layers.conv2d({ filters: 120, kernelSize: [5, 5], activation }));
  extra(m);
  m.add(tf.layers.dense({ units: 84, activation }));
  extra(m);
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

export const buildLeNet5 = () => lenet();
export const buildLeNet5Dropout = () => lenet((m) => m.add(tf.layers.dropout({ rate: 0.5 })));
export const buildLeNet5BatchNorm = () =>
  lenet((m) => {
    m.add(tf.layers.batchNormalization());
    m.add(tf.layers.activation({ activation: 'relu' }));
  }, { activation: 'linear' });

interface Batch { data: Float32Array | Int32Array; shape: number[] }

/** Trains the FFN on the data the grader passes ({x, y, xVal, yVal}, flat arrays with their shapes). */
export async function trainFFN(data: { x: Batch; y: Batch; xVal: Batch; yVal: Batch }, opts: { epochs: number; batchSize: number }) {
  const model = buildFFN();
  const tensor = (b: Batch) => tf.tensor(b.data, b.shape);
  const h = await model.fit(tensor(data.x), tensor(data.y), {
    epochs: opts.epochs,
    batchSize: opts.batchSize,
    validationData: [tensor(data.xVal), tensor(data.yVal)],
    shuffle: true,
  });
  return { model, history: h.history };
}
