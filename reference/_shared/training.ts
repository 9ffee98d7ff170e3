/** What the references' train functions share: the grader's batches in, model.fit, the model and its history out. */
import * as tf from '@tensorflow/tfjs';

/** A batch as the grader passes it: a flat array and its shape (tf.tensor(b.data, b.shape)). */
export interface Batch {
  data: Float32Array | Int32Array;
  shape: number[];
}

export interface TrainingData {
  x: Batch;
  y: Batch;
  xVal?: Batch;
  yVal?: Batch;
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
}

/** Fits `model` (already compiled) on the data, with the validation set when there is one. */
export async function fitOn(model: tf.LayersModel, data: TrainingData, opts: FitOptions) {
  const t = (b: Batch) => tf.tensor(b.data, b.shape);
  const x = t(data.x), y = t(data.y);
  const validation = data.xVal && data.yVal ? ([t(data.xVal), t(data.yVal)] as [tf.Tensor, tf.Tensor]) : undefined;
  const history = await model.fit(x, y, { epochs: opts.epochs, batchSize: opts.batchSize, validationData: validation, shuffle: true, verbose: 0 });
  tf.dispose([x, y, ...(validation ?? [])]);
  return { model, history: history.history };
}
