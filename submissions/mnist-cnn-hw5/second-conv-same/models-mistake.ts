// Mistake: the second convolution pads its input (padding 'same'), so it keeps 13×13 maps:
// the pool then gives 6×6×64, the Flatten 2,304 values instead of 1,600, and Dense 100 has
// 230,500 parameters instead of 160,100.
import * as tf from '@tensorflow/tfjs';
export { buildModel, buildModelWithMomentum, trainModel } from './models.ts';

export function buildModel2Conv(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'valid', activation: 'relu', inputShape: [28, 28, 1] }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 100, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
