/**
 * Classifier metrics computed in the trusted grader: accuracy, mean
 * cross-entropy, the confusion matrix, per-class precision and recall.
 * The model runs here in batches; nothing the sandbox returned is trusted
 * beyond the model's topology and weights.
 */
import type * as TF from '@tensorflow/tfjs';

export interface Evaluation {
  count: number;
  accuracy: number;
  /** Mean cross-entropy of the predicted probabilities (natural log). */
  loss: number;
  confusion: number[][];
  precision: number[];
  recall: number[];
  predictions: Int32Array;
}

/** Counts → metrics (pure). */
export function metricsFromPredictions(labels: ArrayLike<number>, predictions: ArrayLike<number>, numClasses: number): Pick<Evaluation, 'accuracy' | 'confusion' | 'precision' | 'recall'> {
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  const perLabel = new Array<number>(numClasses).fill(0);
  let right = 0;
  for (let i = 0; i < labels.length; i++) {
    perLabel[labels[i]]++;
    // A prediction outside the data set's classes (a model with too many outputs) is wrong and has no column.
    if (predictions[i] < numClasses) confusion[labels[i]][predictions[i]]++;
    if (labels[i] === predictions[i]) right++;
  }
  const precision = confusion.map((_, k) => {
    const col = confusion.reduce((s, row) => s + row[k], 0);
    return col ? confusion[k][k] / col : 0;
  });
  const recall = confusion.map((row, k) => (perLabel[k] ? row[k] / perLabel[k] : 0));
  return { accuracy: labels.length ? right / labels.length : 0, confusion, precision, recall };
}

/**
 * A model's metrics on a test set, predicted in batches. Between batches the event loop runs, so a
 * batch grader's sandboxes get their next task while a 10k evaluation is under way.
 */
export async function evaluateClassifier(tf: typeof TF, model: TF.LayersModel, x: { data: Float32Array; shape: number[] }, labels: Int32Array, numClasses?: number, batch = 500): Promise<Evaluation> {
  const n = x.shape[0];
  const per = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const predictions = new Int32Array(n);
  let lossSum = 0;
  // The data set's classes, never the model's output width (a hostile model may have thousands).
  let classes = numClasses ?? 0;
  if (!numClasses) for (let i = 0; i < labels.length; i++) classes = Math.max(classes, labels[i] + 1);
  for (let start = 0; start < n; start += batch) {
    const end = Math.min(n, start + batch);
    const probs = tf.tidy(() => {
      const input = tf.tensor(x.data.subarray(start * per, end * per), [end - start, ...x.shape.slice(1)]);
      const y = model.predict(input) as TF.Tensor;
      return y.reshape([end - start, -1]);
    });
    const p = probs.dataSync();
    const k = probs.shape[1]!;
    probs.dispose();
    for (let i = 0; i < end - start; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (p[i * k + j] > p[i * k + best]) best = j;
      predictions[start + i] = best;
      lossSum += -Math.log(Math.max(1e-7, Math.min(1, p[i * k + labels[start + i]])));
    }
    await new Promise((r) => setImmediate(r));
  }
  return { count: n, loss: lossSum / Math.max(1, n), predictions, ...metricsFromPredictions(labels, predictions, classes) };
}

/**
 * Metrics of a from-scratch model's predictions for `labels`: one class index per example, or one
 * row of scores per example (the highest wins; rows of probabilities also give the loss). Anything
 * else is an Error saying what came.
 */
export function evaluatePredictions(raw: unknown, labels: Int32Array, numClasses?: number): Evaluation {
  const n = labels.length;
  let classes = numClasses ?? 0;
  if (!numClasses) for (let i = 0; i < n; i++) classes = Math.max(classes, labels[i] + 1);
  const rows = (raw && typeof raw === 'object' && 'data' in raw && 'shape' in raw ? raw : undefined) as { data: ArrayLike<number>; shape: number[] } | undefined;
  const list: unknown[] | undefined = rows ? undefined : Array.isArray(raw) ? raw : ArrayBuffer.isView(raw) ? Array.from(raw as unknown as ArrayLike<number>) : undefined;
  const count = rows ? rows.shape[0] : list?.length;
  if (count === undefined) throw new Error(`predict() should return one class per test example (an array of ${n}), got ${raw === null ? 'null' : typeof raw}`);
  if (count !== n) throw new Error(`predict() returned ${count} predictions for the ${n} test examples`);
  const predictions = new Int32Array(n);
  let lossSum = 0, probabilities = true;
  for (let i = 0; i < n; i++) {
    const row: ArrayLike<number> | number = rows ? Array.prototype.slice.call(rows.data, i * (rows.data.length / n), (i + 1) * (rows.data.length / n)) : (list![i] as ArrayLike<number> | number);
    if (typeof row === 'number') {
      if (!Number.isInteger(row) || row < 0) throw new Error(`prediction ${i} is ${row}: expected a class index (0 … ${classes - 1}) or a row of scores`);
      predictions[i] = row;
      probabilities = false;
      continue;
    }
    if (!row || typeof row.length !== 'number' || row.length === 0) throw new Error(`prediction ${i} is not a class index or a row of scores`);
    let best = 0, sum = 0;
    for (let j = 0; j < row.length; j++) {
      if (typeof row[j] !== 'number' || Number.isNaN(row[j])) throw new Error(`prediction ${i} has a score that is not a number at ${j}`);
      if (row[j] > row[best]) best = j;
      sum += row[j];
      if (row[j] < 0) probabilities = false;
    }
    if (Math.abs(sum - 1) > 1e-3) probabilities = false;
    predictions[i] = best;
    lossSum += -Math.log(Math.max(1e-7, Math.min(1, row[labels[i]] ?? 0)));
  }
  return { count: n, loss: probabilities ? lossSum / Math.max(1, n) : NaN, predictions, ...metricsFromPredictions(labels, predictions, classes) };
}

/** Training curves from a tf History (or its .history object, or Keras-style keys). */
export function historySeries(h: unknown): { name: string; split: 'train' | 'validation'; metric: string; values: number[] }[] {
  const hist = (h && typeof h === 'object' && 'history' in h ? (h as { history: unknown }).history : h) as Record<string, unknown> | undefined;
  if (!hist || typeof hist !== 'object') return [];
  const out: { name: string; split: 'train' | 'validation'; metric: string; values: number[] }[] = [];
  for (const [key, v] of Object.entries(hist)) {
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) continue;
    const validation = key.startsWith('val_');
    const metric = (validation ? key.slice(4) : key).replace(/^acc$/, 'accuracy');
    out.push({ name: key, split: validation ? 'validation' : 'train', metric, values: v as number[] });
  }
  return out;
}
