// Mistake: the hidden layer of 64 units is missing: the 128 first-layer units feed the output directly.
import * as tf from '@tensorflow/tfjs';
export { trainFFN } from './models.ts';

export function buildFFN(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 128, activation: 'relu', inputShape: [3072] }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
