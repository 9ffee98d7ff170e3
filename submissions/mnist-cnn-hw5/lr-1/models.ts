// Mistake: the 1-conv model is compiled with learning rate 1 (the homework's "large" rate, which
// makes training diverge) instead of 0.01.
import * as tf from '@tensorflow/tfjs';
export { buildModelWithMomentum, buildModel2Conv, trainModel } from '../correct/models.ts';

export function buildModel(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 100, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.sgd(1), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
