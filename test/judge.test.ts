import { describe, expect, it } from 'vitest';
import { compareArrays, constantRatio } from '../grader/judge/compare.ts';
import { checkProperty } from '../grader/judge/properties.ts';
import { allocatePoints, statusFor } from '../grader/judge/score.ts';
import { getPath, leafPaths, toNDArray, ValueError } from '../grader/judge/values.ts';
import { ndarray } from '../grader/fixtures/ndarray.ts';
import type { Check } from '../grader/judge/result.ts';

const nd = (v: unknown) => toNDArray(v);

describe('compareArrays', () => {
  it('accepts values within rtol/atol and reports the errors', () => {
    const c = compareArrays(nd([1, 2, 3]), nd([1, 2 + 1e-9, 3]), { rtol: 1e-7, atol: 0 });
    expect(c.passed).toBe(true);
    expect(c.maxAbsError).toBeGreaterThan(0);
  });

  it('names the worst element, expected and received, and the max errors', () => {
    const c = compareArrays(nd([[1, 2], [3, 4]]), nd([[1, 2], [3, 5]]), { rtol: 1e-7 });
    expect(c.passed).toBe(false);
    expect(c.message).toMatch(/1 of 4 elements differ; worst at \[1, 1\]: expected 4, received 5/);
    expect(c.message).toMatch(/max abs error 1\b/);
    expect(c.worst).toEqual({ index: '[1, 1]', expected: 4, received: 5 });
  });

  it("uses CS231n's rel_error when asked", () => {
    const e = nd([1e-3]), r = nd([1.0001e-3]);
    expect(compareArrays(e, r, { relError: 1e-4 }).passed).toBe(true);
    expect(compareArrays(e, r, { relError: 1e-6 }).passed).toBe(false);
  });

  it('says both shapes on a mismatch and spots a transpose', () => {
    const c = compareArrays(nd([[1, 2], [3, 4], [5, 6]]), nd([[1, 3, 5], [2, 4, 6]]));
    expect(c.reason).toBe('shape');
    expect(c.message).toContain('expected [3, 2], received [2, 3]');
    expect(c.message).toContain('transpose');
  });

  it('squeeze policy ignores size-1 axes; exact policy does not', () => {
    expect(compareArrays(nd([1, 2, 3]), nd([[1, 2, 3]]), {}, 'squeeze').passed).toBe(true);
    const exact = compareArrays(nd([1, 2, 3]), nd([[1, 2, 3]]), {}, 'exact');
    expect(exact.passed).toBe(false);
    expect(exact.message).toContain('the values themselves are right');
  });

  it('flags NaN and Infinity in the received values', () => {
    const c = compareArrays(nd([1, 2]), nd([1, NaN]));
    expect(c.reason).toBe('nonfinite');
    expect(c.message).toContain('NaN at [1]');
  });

  it('recognises a missing factor of N', () => {
    const c = compareArrays(nd([0.001, -0.002, 0.5]), nd([1, -2, 500]));
    expect(c.message).toContain('every element is 1000 × the expected value');
    expect(constantRatio(Float64Array.of(1, 2), Float64Array.of(1, 3))).toBeUndefined();
  });
});

describe('properties', () => {
  const hist = nd([1, 0.5, 0.4, 0.4, 0.01]);
  it('checks the last value against a bound', () => {
    expect(checkProperty({ path: 'h', of: 'last', op: '<', value: 0.02 }, hist).passed).toBe(true);
    const r = checkProperty({ path: 'h', of: 'last', op: '<', value: 0.005 }, hist);
    expect(r.passed).toBe(false);
    expect(r.message).toContain('last is 0.01');
  });
  it('checks monotonicity and names the step that breaks it', () => {
    expect(checkProperty({ path: 'h', assert: 'nonIncreasing' }, hist).passed).toBe(true);
    const r = checkProperty({ path: 'h', assert: 'nonIncreasing' }, nd([3, 2, 2.5]));
    expect(r.passed).toBe(false);
    expect(r.message).toContain('increases at step 2: 2 → 2.5');
  });
  it("compares with the reference's value", () => {
    expect(checkProperty({ path: 'h', of: 'last', op: 'approx', value: 'reference', tol: 1e-3 }, hist, nd([0.0105])).passed).toBe(true);
    expect(checkProperty({ path: 'h', of: 'last', op: 'approx', value: 'reference', tol: 1e-3 }, hist, nd([0.02])).passed).toBe(false);
  });
  it('checks each row (softmax rows sum to 1)', () => {
    expect(checkProperty({ path: 'p', of: 'sum', axis: -1, op: 'approx', value: 1, tol: 1e-2 }, nd([[0.5, 0.5], [0.2, 0.8]])).passed).toBe(true);
    const r = checkProperty({ path: 'p', of: 'sum', axis: -1, op: 'approx', value: 1, tol: 1e-2 }, nd([[0.5, 0.5], [0.2, 0.7]]));
    expect(r.message).toContain('row 1');
  });
  it('reduces over any axis or list of axes (batchnorm: each column has mean 0 and variance 1)', () => {
    const x = nd([[1, -2, 3], [-1, 2, -3]]);
    expect(checkProperty({ path: 'out', of: 'mean', axis: 0, op: 'approx', value: 0, tol: 1e-12 }, x).passed).toBe(true);
    const shifted = checkProperty({ path: 'out', of: 'mean', axis: 0, op: 'approx', value: 0, tol: 1e-12 }, nd([[1, -2, 3.5], [-1, 2, -3]]));
    expect(shifted.message).toBe('at [2]: mean is 0.25, not ≈ 0 ± 1.0000e-12');
    const cube = nd([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    expect(checkProperty({ path: 'c', of: 'sum', axis: [0, 2], op: '>', value: 9, tol: 0 }, cube).passed).toBe(true); // [0,2]: 1+2+5+6=14, 3+4+7+8=22
    expect(checkProperty({ path: 'c', of: 'sum', axis: [0, 2], op: '>', value: 15, tol: 0 }, cube).message).toBe('at [0]: sum is 14, not > 15');
    expect(checkProperty({ path: 'c', of: 'sum', axis: 3, op: '>', value: 0 }, cube).message).toMatch(/axis 3 does not exist in an array of shape \[2, 2, 2\]/);
  });
});

describe('values', () => {
  it('turns nested arrays, typed arrays and wire tensors into NDArrays', () => {
    expect(nd([[1, 2], [3, 4]]).shape).toEqual([2, 2]);
    expect(nd(Float32Array.of(1, 2, 3)).shape).toEqual([3]);
    expect(nd({ __ndarray: true, shape: [2, 1], data: Float64Array.of(1, 2) }).shape).toEqual([2, 1]);
    expect(nd(3).shape).toEqual([]);
  });
  it('names the index of a ragged row or a non-number', () => {
    expect(() => nd([[1, 2], [3]])).toThrow(/ragged array at \[1\]: length 1 where the first row has 2/);
    expect(() => toNDArray([[1, 'x']], 'W1')).toThrow(ValueError);
    expect(() => toNDArray([[1, 'x']], 'W1')).toThrow(/W1\[0\]\[1\]/);
  });
  it('finds output paths and explains what is there when missing', () => {
    const out = { gradients: { W1: [[1]] }, L: 2 };
    expect(getPath(out, 'gradients.W1')).toEqual({ found: true, value: [[1]] });
    const miss = getPath(out, 'gradients.b1');
    expect(miss.found).toBe(false);
    expect(!miss.found && miss.have).toContain('gradients has keys {W1}');
    expect(leafPaths(out)).toEqual(['gradients.W1', 'L']);
  });
});

describe('scoring', () => {
  const check = (passed: boolean, weight = 1): Check => ({ name: 'x', passed, weight, points: 0, message: '' });
  it('gives partial credit by weight', () => {
    const checks = [check(true, 2), check(false, 1), check(true, 1)];
    expect(allocatePoints(checks, 8)).toBe(6);
    expect(checks.map((c) => c.points)).toEqual([4, 0, 2]);
    expect(statusFor(6, 8)).toBe('partial');
    expect(statusFor(8, 8)).toBe('passed');
    expect(statusFor(0, 8)).toBe('failed');
  });
  it('all checks passed is all the points, whatever the rounding of the shares', () => {
    const checks = Array.from({ length: 6 }, () => check(true));
    expect(allocatePoints(checks, 2)).toBe(2);
    expect(statusFor(2, 2)).toBe('passed');
  });
  it('handles ndarray helpers', () => {
    expect(() => ndarray([1, 2, 3], [2, 2])).toThrow(/do not fill shape/);
  });
});

describe('architecture alignment', async () => {
  const { align, compareArchitectures } = await import('../grader/judge/architecture.ts');
  const dense = (units: number, activation = 'relu') => ({ name: `d${units}`, className: 'Dense', outputShape: [units], params: 0, trainableParams: 0, config: { units, activation } });
  it('names the missing middle layer by its settings, not the output layer', () => {
    const ref = [dense(128), dense(64), dense(10, 'softmax')];
    const student = [dense(128), dense(10, 'softmax')];
    expect(align(student, ref)).toEqual([[0, 0], [1, 2]]);
    const c = compareArchitectures({ layers: student, totalParams: 0, trainableParams: 0 }, { layers: ref, totalParams: 0, trainableParams: 0 });
    expect(c.criteria[0].message).toBe('missing Dense (reference layer 2)');
  });
});

describe('messages that find the cause', () => {
  const nd = (xs: number[]) => ndarray(new Float64Array(xs), [xs.length]);
  const e = [0.1332476222330792, -0.2, 0.5, 7.25];
  it('a factor of 2 computed as 1.9999999999999996 is named as a factor of 2', () => {
    const c = compareArrays(nd(e), nd(e.map((x) => x * 1.9999999999999996)), { rtol: 1e-7, atol: 1e-12 });
    expect(c.message).toContain('every element is 2 × the expected value');
    const half = compareArrays(nd(e), nd(e.map((x) => x * 0.5000000000000001)), { rtol: 1e-7, atol: 1e-12 });
    expect(half.message).toContain('every element is 1/2 × the expected value');
  });
  it('values right to float32 precision but not to the tolerance: says to compute in float64', () => {
    const c = compareArrays(nd(e), nd(e.map(Math.fround)), { rtol: 1e-12, atol: 1e-14 });
    expect(c.passed).toBe(false);
    expect(c.message).toContain('agree only to ~1e-7, the precision of float32: compute in float64');
    // A real error of the same size is not blamed on float32.
    const off = compareArrays(nd(e), nd(e.map((x) => x * (1 + 1e-5))), { rtol: 1e-12, atol: 1e-14 });
    expect(off.message).not.toContain('float32');
  });
});

describe('equivalent models', async () => {
  const { compareArchitectures, normalize } = await import('../grader/judge/architecture.ts');
  const { canonicalLoss } = await import('../grader/parts/architecture.ts');
  const row = (className: string, outputShape: number[], config: Record<string, unknown> = {}, params = 0) => ({ name: className.toLowerCase(), className, outputShape, params, trainableParams: params, config });
  const sum = (layers: ReturnType<typeof row>[]) => ({ layers, totalParams: layers.reduce((s, l) => s + l.params, 0), trainableParams: 0 });
  const ref = sum([row('Flatten', [784]), row('Dense', [128], { units: 128, activation: 'relu' }, 100480), row('Dense', [10], { units: 10, activation: 'softmax' }, 1290)]);
  it('tf.layers.reLU() / softmax() after a linear layer, and a Reshape to one axis, are the Keras model', () => {
    const student = sum([row('Reshape', [784], { targetShape: [784] }), row('Dense', [128], { units: 128, activation: 'linear' }, 100480), row('ReLU', [128], {}), row('Dense', [10], { units: 10, activation: 'linear' }, 1290), row('Softmax', [10], { axis: 1 })]);
    expect(normalize(student).map((l) => [l.className, l.config.activation])).toEqual([['Flatten', undefined], ['Dense', 'relu'], ['Dense', 'softmax']]);
    expect(compareArchitectures(student, ref).criteria.every((c) => c.passed)).toBe(true);
    // Unless the spec says a Reshape is not a Flatten.
    expect(compareArchitectures(student, ref, { reshapeIsFlatten: false }).criteria.find((c) => c.criterion === 'layers')!.passed).toBe(false);
  });
  it('activation layers that are not plain activations stay what they are', () => {
    const leaky = sum([row('Flatten', [784]), row('Dense', [128], { units: 128, activation: 'linear' }, 100480), row('LeakyReLU', [128], { alpha: 0.3 }), row('Dense', [10], { units: 10, activation: 'softmax' }, 1290)]);
    expect(compareArchitectures(leaky, ref).criteria.every((c) => c.passed)).toBe(false);
    expect(normalize(sum([row('ReLU', [10], { maxValue: 6 })]))[0].config.activation).toBe('relu6');
  });
  it('a loss given as a function is its name where it is the same loss; softmaxCrossEntropy (logits) is not', () => {
    expect(canonicalLoss('function:categoricalCrossentropy')).toBe('categoricalCrossentropy');
    expect(canonicalLoss('categorical_crossentropy')).toBe('categoricalCrossentropy');
    expect(canonicalLoss('function:meanSquaredError__op')).toBe('meanSquaredError');
    expect(canonicalLoss('mse')).toBe('meanSquaredError');
    expect(canonicalLoss('function:softmaxCrossEntropy__op')).not.toBe('categoricalCrossentropy');
    expect(canonicalLoss(['function:binaryCrossentropy'])).toEqual(['binaryCrossentropy']);
  });
});
