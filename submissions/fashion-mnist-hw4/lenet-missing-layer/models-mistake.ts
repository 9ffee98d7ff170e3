// Mistake: LeNet-5 without its third convolution (120 filters); the Flatten then feeds 400 values to Dense(84).
import * as tf from '@tensorflow/tfjs';
export { buildFFN, buildLeNet5Dropout, buildLeNet5BatchNorm, trainFFN } from './models.ts';

export function buildLeNet5(): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 84, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return m;
}
