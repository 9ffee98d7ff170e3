// Mistake: the model with momentum uses momentum 0.5; the homework asks for 0.9.
import * as tf from '@tensorflow/tfjs';
export { buildModel, buildModel2Conv, trainModel } from './models.ts';
import { buildModel } from './models.ts';

export function buildModelWithMomentum(): tf.Sequential {
  const model = buildModel();
  model.compile({ optimizer: tf.train.momentum(0.01, 0.5), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
