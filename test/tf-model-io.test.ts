import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serialize, deserialize } from 'node:v8';
import type * as TF from '@tensorflow/tfjs';
import { initTf } from '../grader/tf/backend.ts';
import {
  deserializeModel,
  loadModelFiles,
  modelSummary,
  readTrainingInfo,
  saveModelFiles,
  serializeModel,
  validateModelArtifacts,
  type ModelArtifactsWire,
} from '../grader/tf/model-io.ts';
import { buildLeNet5 } from '../reference/fashion-mnist-hw4/index.ts';

let tf: typeof TF;
beforeAll(async () => {
  delete process.env.NNGRADE_TF_BACKEND;
  tf = (await initTf({ prefer: 'wasm' })).tf;
});

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'nngrade-model-'));

function ffn(input = 784): TF.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [input], units: 128, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return m;
}

/** LeNet-5 as the homework describes it: the reference's own model (61,706 parameters). */
const lenet5 = buildLeNet5;

function weightsOf(m: TF.LayersModel): Uint8Array[] {
  return m.getWeights().map((w) => new Uint8Array(Float32Array.from(w.dataSync() as Float32Array).buffer));
}

function predict(m: TF.LayersModel, x: TF.Tensor): Float32Array {
  return Float32Array.from((m.predict(x) as TF.Tensor).dataSync() as Float32Array);
}

describe('model summaries', () => {
  it('FFN 784-128-64-10: 109,386 params', () => {
    const s = modelSummary(ffn());
    expect(s.totalParams).toBe(109386);
    expect(s.layers.map((l) => l.params)).toEqual([100480, 8256, 650]);
    expect(s.layers.map((l) => l.outputShape)).toEqual([[128], [64], [10]]);
    expect(s.layers[0]).toMatchObject({ className: 'Dense', config: { units: 128, activation: 'relu', useBias: true } });
    expect(s.inputShapes).toEqual([[784]]);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('LeNet-5: 61,706 params and the per-layer output shapes', () => {
    const s = modelSummary(lenet5());
    expect(s.totalParams).toBe(61706);
    expect(s.trainableParams).toBe(61706);
    expect(s.layers.map((l) => l.outputShape)).toEqual([[28, 28, 6], [14, 14, 6], [10, 10, 16], [5, 5, 16], [1, 1, 120], [120], [84], [10]]);
    expect(s.layers.map((l) => l.params)).toEqual([156, 0, 2416, 0, 48120, 0, 10164, 850]);
    expect(s.layers[0]!.config).toMatchObject({ filters: 6, kernelSize: [5, 5], strides: [1, 1], padding: 'same', activation: 'relu' });
    expect(s.layers[1]!.config).toMatchObject({ poolSize: [2, 2], strides: [2, 2], padding: 'valid' });
  });

  it('CIFAR FFN 3072-128-64-10: 402,250; CS231n CNN a): 24,442', () => {
    expect(modelSummary(ffn(3072)).totalParams).toBe(402250);
    const m = tf.sequential();
    m.add(tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 12, kernelSize: 5, padding: 'valid' }));
    m.add(tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }));
    m.add(tf.layers.flatten());
    m.add(tf.layers.dropout({ rate: 0.5 }));
    m.add(tf.layers.dense({ units: 10 }));
    const s = modelSummary(m);
    expect(s.totalParams).toBe(24442);
    expect(s.layers.map((l) => l.outputShape)).toEqual([[28, 28, 12], [14, 14, 12], [2352], [2352], [10]]);
    expect(s.layers[3]).toMatchObject({ className: 'Dropout', config: { rate: 0.5 }, params: 0 });
    expect(s.layers[0]!.config.activation).toBe('linear');
  });

  it('batch norm has non-trainable params', () => {
    const m = tf.sequential();
    m.add(tf.layers.dense({ inputShape: [4], units: 3 }));
    m.add(tf.layers.batchNormalization());
    const s = modelSummary(m);
    expect(s.layers[1]).toMatchObject({ className: 'BatchNormalization', params: 12, trainableParams: 6, nonTrainableParams: 6 });
    expect(s.nonTrainableParams).toBe(6);
  });
});

describe('serializeModel / deserializeModel', () => {
  it('round-trips LeNet-5 bit-exact through structured clone, with the compile settings', async () => {
    const m = lenet5();
    m.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const wire = await serializeModel(m);
    expect(wire.weightData).toBeInstanceOf(ArrayBuffer);
    expect(wire.weightData.byteLength).toBe(61706 * 4);
    expect(wire.training).toEqual({
      optimizer: { className: 'Momentum', config: { learningRate: 0.01, momentum: 0.9, useNesterov: false } },
      loss: 'categoricalCrossentropy',
      metrics: ['accuracy'],
      metricsNames: ['loss', 'acc'],
    });
    const cloned = deserialize(serialize(wire)) as ModelArtifactsWire; // what IPC with serialization: 'advanced' does
    const back = await deserializeModel(cloned);
    const a = weightsOf(m);
    const b = weightsOf(back);
    expect(b.length).toBe(a.length);
    a.forEach((w, i) => expect(Buffer.compare(Buffer.from(w), Buffer.from(b[i]!))).toBe(0));
    const x = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 3);
    expect(Array.from(predict(back, x))).toEqual(Array.from(predict(m, x)));
    expect(modelSummary(back).totalParams).toBe(61706);
  });

  it('records SGD, Adam and uncompiled models', async () => {
    const m = ffn();
    expect((await serializeModel(m)).training).toBeNull();
    m.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
    expect((await serializeModel(m)).training?.optimizer).toEqual({ className: 'SGD', config: { learningRate: 0.05 } });
    m.compile({ optimizer: 'adam', loss: (y: TF.Tensor, p: TF.Tensor) => tf.losses.meanSquaredError(y, p) });
    const t = (await serializeModel(m)).training!;
    expect(t.optimizer?.className).toBe('Adam');
    expect(t.optimizer?.config).toMatchObject({ learningRate: 0.001, beta1: 0.9, beta2: 0.999 });
    expect(t.loss).toMatch(/^function:/);
  });

  it('rejects malformed artifacts with a clear error', async () => {
    const good = await serializeModel(ffn(8));
    const variants: [string, (w: any) => unknown, RegExp][] = [
      ['not an object', () => 42, /expected an object, got number/],
      ['no topology', (w) => ({ ...w, modelTopology: undefined }), /modelTopology is missing/],
      ['no class_name', (w) => ({ ...w, modelTopology: { config: {} } }), /class_name is missing/],
      ['specs not an array', (w) => ({ ...w, weightSpecs: {} }), /weightSpecs is missing or not an array/],
      ['bad dtype', (w) => ({ ...w, weightSpecs: w.weightSpecs.map((s: any, i: number) => (i ? s : { ...s, dtype: 'string' })) }), /weightSpecs\[0\] \(".*"\): dtype "string" is not float32, int32 or bool/],
      ['bad shape', (w) => ({ ...w, weightSpecs: w.weightSpecs.map((s: any, i: number) => (i ? s : { ...s, shape: [-1, 2] })) }), /shape must be an array of non-negative integers, got \[-1,2\]/],
      ['duplicate name', (w) => ({ ...w, weightSpecs: [w.weightSpecs[0], w.weightSpecs[0], ...w.weightSpecs.slice(2)] }), /appears twice/],
      ['short data', (w) => ({ ...w, weightData: w.weightData.slice(0, 100) }), /weightData has 100 bytes but the weightSpecs need \d+ \(6 weights\)/],
      ['data not a buffer', (w) => ({ ...w, weightData: 'AAAA' }), /weightData must be an ArrayBuffer, got string/],
      ['huge layer', (w) => { const t = JSON.parse(JSON.stringify(w.modelTopology)); t.config.layers[0].config.units = 1e9; return { ...w, modelTopology: t }; }, /modelTopology\.config\.layers\[0\]\.config\.units is 1000000000 \(sizes above 1048576 are not accepted\)/],
      ['wrong format', (w) => ({ ...w, format: 'other' }), /format is "other"/],
    ];
    for (const [what, edit, msg] of variants) {
      await expect(deserializeModel(edit(good) as ModelArtifactsWire), what).rejects.toThrow(msg);
    }
    // Well-formed but inconsistent: specs of another model.
    const other = await serializeModel(ffn(9));
    await expect(deserializeModel({ ...good, weightSpecs: other.weightSpecs, weightData: other.weightData })).rejects.toThrow(/the topology could not be rebuilt with these weights/);
    expect(() => validateModelArtifacts(good)).not.toThrow();
  });
});

describe('saveModelFiles / loadModelFiles', () => {
  it('writes model.json + weights.bin as tfjs does and reads them back bit-exact', async () => {
    const dir = tmp();
    const m = lenet5();
    m.compile({ optimizer: tf.train.adam(0.002), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const r = await saveModelFiles(m, dir);
    expect(r.bytes).toBe(61706 * 4);
    expect(statSync(path.join(dir, 'weights.bin')).size).toBe(61706 * 4);
    const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest).toHaveLength(1);
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(json.modelTopology.class_name).toBe('Sequential');
    expect(json.trainingConfig.optimizer_config.class_name).toBe('Adam');
    expect((await readTrainingInfo(dir))?.optimizer?.config.learningRate).toBe(0.002);
    const back = await loadModelFiles(dir);
    weightsOf(m).forEach((w, i) => expect(Buffer.compare(Buffer.from(w), Buffer.from(weightsOf(back)[i]!))).toBe(0));
    const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 5);
    expect(Array.from(predict(back, x))).toEqual(Array.from(predict(m, x)));
    // Also readable by tfjs's own loader (through fromMemory, as tfjs-node's file:// would do).
    const viaTf = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: new Uint8Array(readFileSync(path.join(dir, 'weights.bin'))).buffer }));
    expect(Array.from(predict(viaTf, x))).toEqual(Array.from(predict(m, x)));
  });

  it('clear errors: missing model.json, bad JSON, missing or short weights, path escape', async () => {
    const dir = tmp();
    await expect(loadModelFiles(dir)).rejects.toThrow(`no model found: ${path.join(dir, 'model.json')} does not exist`);
    writeFileSync(path.join(dir, 'model.json'), '{"modelTopology": ');
    await expect(loadModelFiles(dir)).rejects.toThrow(/model\.json is not valid JSON/);
    rmSync(path.join(dir, 'model.json'));
    await saveModelFiles(ffn(8), dir);
    const wb = path.join(dir, 'weights.bin');
    const size = statSync(wb).size;
    truncateSync(wb, size - 8);
    await expect(loadModelFiles(dir)).rejects.toThrow(new RegExp(`the weight file is short: .*model\\.json declares 6 weights needing ${size} bytes, got ${size - 8} \\(weights\\.bin: ${size - 8} bytes\\)`));
    rmSync(wb);
    await expect(loadModelFiles(dir)).rejects.toThrow(/names the weight file weights\.bin, which does not exist/);
    const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
    json.weightsManifest[0].paths = ['../../etc/passwd'];
    writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
    await expect(loadModelFiles(dir)).rejects.toThrow(/weight files must be plain relative paths beside model\.json/);
  });
});
