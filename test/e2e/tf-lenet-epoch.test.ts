// LeNet-5 trains on the wasm backend: over ONE epoch on real Fashion-MNIST training images the
// per-batch loss falls. (The full 48k-image epoch when Debian's data set is installed, as in CI;
// else the 1,000 real test images shipped in data/.)
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { initTf } from '../../grader/tf/backend.ts';
import { loadDataset, resolveDataset } from '../../grader/datasets/resolve.ts';
import { applyPreprocessing, trainValidationSplit } from '../../grader/datasets/preprocess.ts';
import type { OneHotSet } from '../../grader/datasets/types.ts';
import { ROOT } from '../helpers.ts';

function haveTrainSet(): boolean {
  try {
    resolveDataset('fashion-mnist', 'train');
    return true;
  } catch {
    return false;
  }
}

describe('LeNet-5 on wasm', () => {
  it('one epoch on real Fashion-MNIST: the loss of the last batches is well below that of the first', async () => {
    const { tf, backend } = await initTf({ prefer: 'wasm' });
    expect(backend).toBe('wasm');
    const full = haveTrainSet();
    const raw = full ? trainValidationSplit(await loadDataset('fashion-mnist', 'train'), { validation: 0.2, seed: 42 }).train : await loadDataset('fashion-mnist', 'test', { path: path.join(ROOT, 'data', 'fashion-mnist-subset') });
    const set = applyPreprocessing(raw, [{ op: 'scale', by: 255 }, { op: 'reshape', shape: [28, 28, 1] }, { op: 'oneHot', numClasses: 10 }]) as OneHotSet;
    const n = set.shape[0];
    const { buildLeNet5 } = await import('../../reference/fashion-mnist-hw4/index.ts');
    const model = buildLeNet5();
    expect(model.countParams()).toBe(61706);
    const xs = tf.tensor4d(set.x as Float32Array, [n, 28, 28, 1]);
    const ys = tf.tensor2d(set.yOneHot, [n, 10]);
    const losses: number[] = [];
    await model.fit(xs, ys, { epochs: 1, batchSize: 128, shuffle: true, verbose: 0, callbacks: { onBatchEnd: async (_b, logs) => { losses.push(logs!.loss as number); } } });
    const k = Math.max(3, Math.floor(losses.length / 10));
    const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
    const first = mean(losses.slice(0, k)), last = mean(losses.slice(-k));
    console.log(`[lenet-epoch] ${n} images, ${losses.length} batches on ${backend}: mean loss of the first ${k} batches ${first.toFixed(3)}, of the last ${k} ${last.toFixed(3)}`);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(last).toBeLessThan(first * 0.7);
    tf.dispose([xs, ys]);
    model.dispose();
  }, 240_000);
});
