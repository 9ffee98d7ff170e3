import { describe, expect, it } from 'vitest';
import path from 'node:path';
import {
  applyPreprocessing,
  channelStats,
  flatten,
  oneHot,
  permutation,
  reshape,
  scale,
  select,
  shuffle,
  standardize,
  take,
  trainValidationSplit,
} from '../grader/datasets/preprocess.ts';
import { readIdxImageSet } from '../grader/datasets/idx.ts';
import type { ImageSet, OneHotSet } from '../grader/datasets/types.ts';

const tiny = (): ImageSet => ({ x: Uint8Array.from([0, 255, 51, 102, 10, 20, 30, 40, 1, 2, 3, 4]), shape: [3, 2, 2], y: Uint8Array.from([2, 0, 1]) });

describe('preprocessing', () => {
  it('scale, flatten, reshape, oneHot, in order, without touching the input', () => {
    const s = tiny();
    const before = Uint8Array.from(s.x);
    const out = applyPreprocessing(s, [{ op: 'scale' }, { op: 'flatten' }, { op: 'reshape', shape: [2, 2, 1] }, { op: 'oneHot', numClasses: 3 }]) as OneHotSet;
    expect(out.shape).toEqual([3, 2, 2, 1]);
    expect(out.x).toBeInstanceOf(Float32Array);
    expect(out.x[1]).toBeCloseTo(1, 7);
    expect(out.x[2]).toBeCloseTo(0.2, 7);
    expect(Array.from(out.yOneHot)).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
    expect(Array.from(s.x)).toEqual(Array.from(before));
    expect(flatten(s).shape).toEqual([3, 4]);
    expect(reshape(s, [-1, 1]).shape).toEqual([3, 4, 1]);
    expect(scale(s, 2).x[1]).toBe(127.5);
  });

  it('standardize, scalar and per channel, and channel statistics', () => {
    const s: ImageSet = { x: Float32Array.from([1, 10, 3, 30]), shape: [2, 1, 1, 2], y: Uint8Array.from([0, 1]) };
    expect(Array.from(standardize(s, 2, 1).x)).toEqual([-1, 8, 1, 28]);
    expect(Array.from(standardize(s, [2, 20], [1, 10]).x)).toEqual([-1, -1, 1, 1]);
    const st = channelStats(s);
    expect(st.mean).toEqual([2, 20]);
    expect(st.std).toEqual([1, 10]);
    expect(() => standardize(s, [1, 2, 3], 1)).toThrow(/mean has 3 values; give 1 or one per channel \(2\)/);
  });

  it('clear errors', () => {
    expect(() => reshape(tiny(), [3, 3])).toThrow('reshape: an example of shape [2, 2] (4 values) cannot become [3, 3]');
    expect(() => oneHot(tiny(), 2)).toThrow('oneHot: label 2 at index 0 is outside 0..1');
    expect(() => take(tiny(), 4)).toThrow(/count must be an integer in 0\.\.3/);
    expect(() => applyPreprocessing(tiny(), [{ op: 'scale' }, { op: 'nope' } as never])).toThrow(/preprocessing step 1 \(nope\): unknown step "nope"/);
    expect(() => trainValidationSplit(tiny(), { validation: 3 })).toThrow(/leave none of the 3 for training/);
    expect(() => trainValidationSplit(tiny(), { validation: 1.5 })).toThrow(/fraction in \(0, 1\) or a count/);
  });

  it('shuffles like NumPy: RandomState(seed).permutation(n)', () => {
    // np.random.RandomState(0).permutation(10), np.random.RandomState(42).permutation(12)
    expect(permutation(10, 0)).toEqual([2, 8, 4, 9, 1, 6, 7, 3, 0, 5]);
    expect(permutation(12, 42)).toEqual([10, 9, 0, 8, 5, 2, 1, 11, 4, 7, 3, 6]);
    const s = shuffle(tiny(), 0);
    expect(Array.from(s.y)).toEqual([1, 2, 0].map((_, i) => tiny().y[permutation(3, 0)[i]!]!));
  });

  it('train/validation split by fraction or count, deterministic with a seed, keeping one-hot rows aligned', async () => {
    const dir = path.resolve(import.meta.dirname, '..', 'data', 'fashion-mnist-subset');
    const set = oneHot(await readIdxImageSet(path.join(dir, 't10k-images-idx3-ubyte.gz'), path.join(dir, 't10k-labels-idx1-ubyte.gz')), 10);
    const a = trainValidationSplit(set, { validation: 0.2, seed: 7 });
    const b = trainValidationSplit(set, { validation: 200, seed: 7 });
    expect(a.validation.shape).toEqual([200, 28, 28]);
    expect(a.train.shape).toEqual([800, 28, 28]);
    expect(a.validationIndices).toEqual(b.validationIndices);
    expect(a.validationIndices).toEqual(permutation(1000, 7).slice(0, 200));
    expect(new Set([...a.validationIndices, ...Array.from({ length: 1000 }, (_, i) => i)]).size).toBe(1000);
    const c = trainValidationSplit(set, { validation: 0.2, seed: 8 });
    expect(c.validationIndices).not.toEqual(a.validationIndices);
    for (let i = 0; i < 200; i++) {
      const label = a.validation.y[i]!;
      expect(a.validation.yOneHot[i * 10 + label]).toBe(1);
      expect(a.validation.y[i]).toBe(set.y[a.validationIndices[i]!]);
    }
    const j = a.validationIndices[5]!;
    expect(Array.from(a.validation.x.subarray(5 * 784, 6 * 784))).toEqual(Array.from(set.x.subarray(j * 784, (j + 1) * 784)));
    // Unshuffled: the last examples, as Keras' validationSplit takes them.
    const k = trainValidationSplit(set, { validation: 100, shuffle: false });
    expect(k.validationIndices[0]).toBe(900);
    expect(select(set, [999]).y[0]).toBe(set.y[999]);
  });
});
