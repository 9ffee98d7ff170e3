// Mistake: the "model with momentum" is compiled with plain SGD (tf.train.sgd(0.01)): the momentum
// of Keras' SGD(learning_rate=0.01, momentum=0.9) was dropped on the way to TensorFlow.js.
import * as tf from '@tensorflow/tfjs';
export { buildModel, buildModel2Conv, trainModel } from './models.ts';
import { buildModel } from './models.ts';

export function buildModelWithMomentum(): tf.Sequential {
  const model = buildModel();
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
