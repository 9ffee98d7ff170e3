// Mistake: both pools copy the hint's pool_size=(2,2), strides=(2,2); the table's second pool takes
// the 11×11 maps to 3×3. With 2×2 it gives 5×5×64, the Flatten 1,600 values instead of 576, and
// DenseLayer1 204,928 parameters instead of 73,856.
import * as tf from '@tensorflow/tfjs';
export { buildLogisticModel, buildDenseModel } from './models.ts';

export function buildConvModel(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
