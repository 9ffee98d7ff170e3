/**
 * Reference for fashion-mnist-hw4, part 1: a 2-3-1 network with sigmoid on
 * both layers and the loss L = 1/(2N) Σ (y - y_t)², forward and backward by hand.
 * Shapes: X (N, 2), W1 (3, 2), b1 (3), W2 (3), b2 scalar; Z1 = X W1ᵀ + b1.
 * Parts 3 and 4 build the Fashion-MNIST models with TensorFlow.js.
 */
import * as tf from '@tensorflow/tfjs';

export interface Weights {
  W1: number[][];
  b1: number[];
  W2: number[];
  b2: number;
}

export interface Forward {
  Y: number[];
  Z2: number[];
  H: number[][];
  Z1: number[][];
}

export interface Backward {
  gradients: { W1: number[][]; b1: number[]; W2: number[]; b2: number };
  L: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function forwardPropagation(X: number[][], weights: Weights): Forward {
  const { W1, b1, W2, b2 } = weights;
  const Z1 = X.map((x) => W1.map((w, j) => w[0] * x[0] + w[1] * x[1] + b1[j]));
  const H = Z1.map((z) => z.map(sigmoid));
  const Z2 = H.map((h) => h.reduce((s, hj, j) => s + hj * W2[j], 0) + b2);
  const Y = Z2.map(sigmoid);
  return { Y, Z2, H, Z1 };
}

export function backPropagation(X: number[][], YT: number[], weights: Weights): Backward {
  const N = X.length;
  const { Y, H } = forwardPropagation(X, weights);
  let sq = 0;
  for (let n = 0; n < N; n++) sq += (Y[n] - YT[n]) ** 2;
  const L = sq / (2 * N);

  const dW1 = weights.W1.map((row) => row.map(() => 0));
  const db1 = weights.b1.map(() => 0);
  const dW2 = weights.W2.map(() => 0);
  let db2 = 0;
  for (let n = 0; n < N; n++) {
    const dZ2 = ((Y[n] - YT[n]) / N) * Y[n] * (1 - Y[n]);
    db2 += dZ2;
    for (let j = 0; j < dW2.length; j++) {
      dW2[j] += dZ2 * H[n][j];
      const dZ1 = dZ2 * weights.W2[j] * H[n][j] * (1 - H[n][j]);
      db1[j] += dZ1;
      for (let k = 0; k < X[n].length; k++) dW1[j][k] += dZ1 * X[n][k];
    }
  }
  return { gradients: { W1: dW1, b1: db1, W2: dW2, b2: db2 }, L };
}

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

/** A batch of examples as the grader passes them: a flat array and its shape. */
export interface Batch {
  data: Float32Array | Int32Array;
  shape: number[];
}

export interface TrainingData {
  x: Batch;
  y: Batch;
  xVal?: Batch;
  yVal?: Batch;
}

/** Trains buildFFN() with Adam and returns the model and its history. */
export async function trainFFN(data: TrainingData, opts: { epochs: number; batchSize: number }) {
  const model = buildFFN();
  const t = (b: Batch) => tf.tensor(b.data, b.shape);
  const history = await model.fit(t(data.x), t(data.y), {
    epochs: opts.epochs,
    batchSize: opts.batchSize,
    validationData: data.xVal && data.yVal ? [t(data.xVal), t(data.yVal)] : undefined,
    verbose: 0,
  });
  return { model, history: history.history };
}
