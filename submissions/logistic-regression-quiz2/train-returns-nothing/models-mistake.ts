// Mistake: trainConvModel fits the model but forgets to return it (and its history).
import * as tf from '@tensorflow/tfjs';
import { buildConvModel, buildDenseModel, buildLogisticModel, trainDenseModel, trainLogisticModel } from './models.ts';

export { buildConvModel, buildDenseModel, buildLogisticModel, trainDenseModel, trainLogisticModel };

interface Batch { data: Float32Array | Int32Array; shape: number[] }

export async function trainConvModel(data: { x: Batch; y: Batch }, opts: { epochs: number; batchSize: number }) {
  const model = buildConvModel();
  await model.fit(tf.tensor(data.x.data, data.x.shape), tf.tensor(data.y.data, data.y.shape), { epochs: opts.epochs, batchSize: opts.batchSize, verbose: 0 });
}
