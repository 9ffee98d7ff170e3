// Mistake: the logistic-regression model has no flattening layer. Dense then acts on the last axis
// of each 28×28×1 image (one value per pixel): 20 parameters and a 28×28×10 output instead of 7,850
// parameters and 10 class probabilities.
import * as tf from '@tensorflow/tfjs';
export { buildDenseModel, buildConvModel } from './models.ts';

export function buildLogisticModel(): tf.LayersModel {
  const inp = tf.input({ shape: [28, 28, 1] });
  const out = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(inp) as tf.SymbolicTensor;
  const model = tf.model({ inputs: inp, outputs: out });
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
