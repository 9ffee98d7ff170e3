// Mistake: model a) ends in a sigmoid where the classification layer (FCS) needs softmax;
// the ten outputs no longer sum to 1.
import * as tf from '@tensorflow/tfjs';
export { buildCnnB, buildCnnC, trainCnnA } from './models.ts';

export function buildCnnA(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 12, kernelSize: 5, activation: 'relu', inputShape: [32, 32, 3] }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 10, activation: 'sigmoid' }));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
