// Mistake: the first layer has 64 units where the homework asks for 128 (first layer size = 128).
import * as tf from '@tensorflow/tfjs';
export { trainFFN } from './models.ts';

export function buildFFN(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'relu', inputShape: [3072] }));
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
