// Mistake: the FFN is trained with Adam at a learning rate of 1e-5 (100 times too small): after the
// grader's two epochs it has barely moved from its random start.
import * as tf from '@tensorflow/tfjs';
export { buildFFN } from './models.ts';
import { buildFFN } from './models.ts';

interface Batch { data: Float32Array | Int32Array; shape: number[] }

export async function trainFFN(data: { x: Batch; y: Batch }, opts: { epochs: number; batchSize: number }) {
  const model = buildFFN();
  model.compile({ optimizer: tf.train.adam(1e-5), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const h = await model.fit(tf.tensor(data.x.data, data.x.shape), tf.tensor(data.y.data, data.y.shape), { epochs: opts.epochs, batchSize: opts.batchSize });
  return { model, history: h.history };
}
