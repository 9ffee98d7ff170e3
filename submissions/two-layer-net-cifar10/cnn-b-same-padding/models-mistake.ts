// Mistake: the CONV-64 of model b) pads its input (padding 'same'), so its map stays 30×30:
// the pool gives 15×15×64, the Flatten 14,400 values instead of 12,544, and FC-128 has
// 1,843,328 parameters instead of 1,605,760.
import * as tf from '@tensorflow/tfjs';
export { buildCnnA, buildCnnC, trainCnnA } from './models.ts';

export function buildCnnB(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [32, 32, 3] }));
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', padding: 'same' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 128 }));
  model.add(tf.layers.dropout({ rate: 0.5 }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
