/**
 * Trains the reference FFN of fashion-mnist-hw4 (reference/fashion-mnist-hw4: buildFFN)
 * on the real Fashion-MNIST training set and saves model.json + weights.bin as the
 * weights the example submissions hand in:
 *   submissions/fashion-mnist-hw4/correct/ffn-model       (full training: the target)
 *   submissions/fashion-mnist-hw4/under-trained/ffn-model (a few dozen steps only)
 *   submissions/fashion-mnist-hw4/wrong-model/ffn-model   (a different FFN, 784-256-10, trained well: accurate,
 *                                                          but not the model the assignment asks for)
 * Run: node scripts/ts.mjs scripts/train-reference-models.ts [epochs=5] [only: correct|under-trained|wrong-model]
 * Needs the Fashion-MNIST training files (apt-get install dataset-fashion-mnist).
 */
import { initTf } from '../grader/tf/backend.ts';
import { saveModelFiles } from '../grader/tf/model-io.ts';
import { loadDataset } from '../grader/datasets/resolve.ts';
import { applyPreprocessing, trainValidationSplit } from '../grader/datasets/preprocess.ts';
import type { OneHotSet } from '../grader/datasets/types.ts';

const epochs = Number(process.argv[2] ?? 5);
const only = process.argv[3];
const { tf, backend } = await initTf();
// tfjs initialisers and shuffles draw their seeds from Math.random: seed it so runs repeat.
let state = 42;
Math.random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296);
const { buildFFN } = await import('../reference/fashion-mnist-hw4/index.ts');

const raw = await loadDataset('fashion-mnist', 'train');
const { train, validation } = trainValidationSplit(raw, { validation: 0.2, seed: 42 });
const prep = (s: typeof raw) => applyPreprocessing(s, [{ op: 'scale', by: 255 }, { op: 'flatten' }, { op: 'oneHot', numClasses: 10 }]) as OneHotSet;
const t = prep(train), v = prep(validation);
const xs = tf.tensor2d(t.x as Float32Array, [t.shape[0], 784]);
const ys = tf.tensor2d(t.yOneHot, [t.shape[0], 10]);
const xv = tf.tensor2d(v.x as Float32Array, [v.shape[0], 784]);
const yv = tf.tensor2d(v.yOneHot, [v.shape[0], 10]);

async function trainAndSave(dir: string, opts: { epochs: number; steps?: number; build?: () => ReturnType<typeof buildFFN> }) {
  const model = (opts.build ?? buildFFN)();
  const t0 = performance.now();
  const x = opts.steps ? xs.slice([0, 0], [opts.steps * 128, 784]) : xs;
  const y = opts.steps ? ys.slice([0, 0], [opts.steps * 128, 10]) : ys;
  const h = await model.fit(x, y, { epochs: opts.epochs, batchSize: 128, validationData: [xv, yv], shuffle: true, verbose: 0 });
  model.setUserDefinedMetadata({ history: h.history, trainedBy: 'scripts/train-reference-models.ts', backend, epochs: opts.epochs, examples: x.shape[0] });
  await saveModelFiles(model, dir);
  const acc = h.history.val_acc ?? h.history.val_accuracy;
  console.log(`${dir}: ${opts.epochs} epoch(s) on ${x.shape[0]} images in ${((performance.now() - t0) / 1000).toFixed(1)} s on ${backend}; validation accuracy ${Number(acc?.[acc.length - 1]).toFixed(4)}`);
}

/** A one-hidden-layer FFN: not the 784-128-64-10 model the assignment asks for. */
const wideFFN = () => {
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 256, activation: 'relu', inputShape: [784] }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
};

if (!only || only === 'correct') await trainAndSave('submissions/fashion-mnist-hw4/correct/ffn-model', { epochs });
if (!only || only === 'under-trained') await trainAndSave('submissions/fashion-mnist-hw4/under-trained/ffn-model', { epochs: 1, steps: 80 });
if (!only || only === 'wrong-model') await trainAndSave('submissions/fashion-mnist-hw4/wrong-model/ffn-model', { epochs: 3, build: wideFFN as never });
