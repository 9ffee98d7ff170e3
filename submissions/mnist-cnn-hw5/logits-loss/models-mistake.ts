// tf.losses.softmaxCrossEntropy applies softmax itself: on a model whose last layer is already a
// softmax, the model is trained through softmax twice (a real mistake when porting Keras code).
import * as tf from '@tensorflow/tfjs';
import { buildModel2Conv, buildModelWithMomentum, trainModel } from './models.ts';

export function buildModel(learningRate = 0.01): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: [3, 3], strides: [1, 1], padding: 'valid', activation: 'relu', inputShape: [28, 28, 1] }));
  model.add(tf.layers.maxPooling2d({ poolSize: [2, 2] }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 100, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.sgd(learningRate), loss: tf.losses.softmaxCrossEntropy, metrics: ['accuracy'] });
  return model;
}

export { buildModelWithMomentum, buildModel2Conv, trainModel };
