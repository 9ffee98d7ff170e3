// Mistake: the dense model has no second hidden layer (Dense 64): Flatten → Dense 128 → Dense 10.
import * as tf from '@tensorflow/tfjs';
export { buildLogisticModel, buildConvModel } from './models.ts';

export function buildDenseModel(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [28, 28, 1] }));
  model.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
