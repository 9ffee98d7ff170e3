// Mistake: sigmoid on the output layer where softmax belongs; the ten outputs no longer sum to 1.
import * as tf from '@tensorflow/tfjs';
export { buildLeNet5, buildLeNet5Dropout, buildLeNet5BatchNorm, trainFFN } from './models.ts';

export function buildFFN(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }));
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'sigmoid' }));
  return model;
}
