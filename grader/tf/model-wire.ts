/**
 * Serialising a student's tfjs model inside the sandbox WITHOUT importing tf:
 * the model's own `save()` is given a plain save handler, and its optimizer,
 * loss and metrics are read off the object. Keeping tf out of this module
 * means the sandbox only loads tf when a submission does.
 */
import type * as tf from '@tensorflow/tfjs';

export const WIRE_FORMAT = 'nngrade-model/1';

export interface WeightSpecWire {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
}

/** What a model was compiled with, as plain data (null parts when not compiled / not serialisable). */
export interface TrainingInfo {
  /** e.g. { className: 'Momentum', config: { learningRate: 0.01, momentum: 0.9, useNesterov: false } }. */
  optimizer: { className: string; config: Record<string, unknown> } | null;
  /** Loss identifiers as given to compile ('categoricalCrossentropy'); a function loss becomes 'function:<name>'. */
  loss: string | string[] | Record<string, string> | null;
  /** Metrics as given to compile (['accuracy']); functions as 'function:<name>'. */
  metrics: string[] | Record<string, string> | null;
  /** model.metricsNames after compile (['loss', 'acc']). */
  metricsNames: string[];
}

export interface ModelArtifactsWire {
  format: typeof WIRE_FORMAT;
  /** Keras-style topology: { class_name, config, keras_version?, backend? }. */
  modelTopology: Record<string, unknown>;
  weightSpecs: WeightSpecWire[];
  /** All weights, concatenated in weightSpecs order (float32/int32 little-endian, bool as bytes). */
  weightData: ArrayBuffer;
  generatedBy?: string;
  /** Present when the model was compiled. */
  training: TrainingInfo | null;
}

export function isModelWire(v: unknown): v is ModelArtifactsWire {
  return typeof v === 'object' && v !== null && (v as ModelArtifactsWire).format === WIRE_FORMAT;
}

/** A tfjs LayersModel, recognised by shape rather than class (the student's tf instance may differ from ours). */
export function isLayersModel(v: unknown): v is tf.LayersModel {
  return typeof v === 'object' && v !== null && typeof (v as tf.LayersModel).save === 'function' && Array.isArray((v as tf.LayersModel).layers) && typeof (v as tf.LayersModel).getConfig === 'function';
}

export function jsonSafe(v: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(v ?? null));
  } catch {
    return null;
  }
}

const lossOrMetricId = (x: unknown): string => (typeof x === 'string' ? x : `function:${typeof x === 'function' && x.name ? x.name : 'anonymous'}`);

/** What `model` was compiled with (null when it was not compiled). */
export function trainingInfo(model: tf.LayersModel): TrainingInfo | null {
  const m = model as unknown as { optimizer?: tf.Optimizer; loss?: unknown; metrics?: unknown; metricsNames?: string[] };
  if (!m.optimizer && m.loss == null) return null;
  let optimizer: TrainingInfo['optimizer'] = null;
  if (m.optimizer) optimizer = { className: m.optimizer.getClassName(), config: (jsonSafe(m.optimizer.getConfig()) ?? {}) as Record<string, unknown> };
  let loss: TrainingInfo['loss'] = null;
  if (typeof m.loss === 'string' || typeof m.loss === 'function') loss = lossOrMetricId(m.loss);
  else if (Array.isArray(m.loss)) loss = m.loss.map(lossOrMetricId);
  else if (m.loss && typeof m.loss === 'object') loss = Object.fromEntries(Object.entries(m.loss).map(([k, v]) => [k, lossOrMetricId(v)]));
  let metrics: TrainingInfo['metrics'] = null;
  if (typeof m.metrics === 'string' || typeof m.metrics === 'function') metrics = [lossOrMetricId(m.metrics)];
  else if (Array.isArray(m.metrics)) metrics = m.metrics.map(lossOrMetricId);
  else if (m.metrics && typeof m.metrics === 'object') metrics = Object.fromEntries(Object.entries(m.metrics).map(([k, v]) => [k, lossOrMetricId(v)]));
  return { optimizer, loss, metrics, metricsNames: Array.isArray(m.metricsNames) ? [...m.metricsNames] : [] };
}

/** One exact, unshared ArrayBuffer from tf's weight data (a buffer or a list of buffers). */
export function joinWeightData(d: ArrayBuffer | ArrayBuffer[] | undefined): ArrayBuffer {
  if (d == null) return new ArrayBuffer(0);
  if (!Array.isArray(d)) return d.slice(0);
  const out = new Uint8Array(d.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of d) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out.buffer;
}

/** What `model.save` hands a save handler, taken with a plain handler object (no tf.io needed). */
export async function modelArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let a: tf.io.ModelArtifacts | undefined;
  await model.save({
    save: async (artifacts: tf.io.ModelArtifacts) => {
      a = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' as const } };
    },
  });
  if (!a) throw new Error('model.save produced no artifacts');
  return a;
}

/** Topology + weights + compile settings of `model`, as plain structured-clone-friendly data. */
export async function serializeModel(model: tf.LayersModel): Promise<ModelArtifactsWire> {
  const a = await modelArtifacts(model);
  if (!a.modelTopology || a.modelTopology instanceof ArrayBuffer) throw new Error('the model has no JSON topology');
  return {
    format: WIRE_FORMAT,
    modelTopology: jsonSafe(a.modelTopology) as Record<string, unknown>,
    weightSpecs: (a.weightSpecs ?? []).map((s) => ({ name: s.name, shape: [...s.shape], dtype: s.dtype as WeightSpecWire['dtype'] })),
    weightData: joinWeightData(a.weightData as ArrayBuffer | ArrayBuffer[] | undefined),
    generatedBy: a.generatedBy,
    training: trainingInfo(model),
  };
}

/** Replace every tfjs model inside a returned value with its wire form (depth-first, shared models once). */
export async function serializeModelsIn(v: unknown, seen = new Map<object, unknown>()): Promise<unknown> {
  if (v === null || typeof v !== 'object') return v;
  if (seen.has(v)) return seen.get(v);
  if (isLayersModel(v)) {
    const w = await serializeModel(v);
    seen.set(v, w);
    return w;
  }
  if (ArrayBuffer.isView(v) || typeof (v as { dataSync?: unknown }).dataSync === 'function') return v;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    seen.set(v, out);
    for (const x of v) out.push(await serializeModelsIn(x, seen));
    return out;
  }
  const plain = Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null;
  const tfHistory = !plain && 'history' in (v as object) && 'epoch' in (v as object);
  if (!plain && !tfHistory) return v;
  const out: Record<string, unknown> = {};
  seen.set(v, out);
  for (const k of Object.keys(v)) {
    // tf's History callback holds the model it trained; the model is sent once, where the student put it.
    if (tfHistory && k === 'model') continue;
    out[k] = await serializeModelsIn((v as Record<string, unknown>)[k], seen);
  }
  return out;
}
