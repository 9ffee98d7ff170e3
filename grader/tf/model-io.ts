/**
 * Moving tfjs Layers models between the sandbox and the judge, and to and from
 * disk, without trusting the student and without tfjs-node.
 *
 * - `serializeModel` (runs in the sandbox): topology JSON + weight specs + ONE
 *   ArrayBuffer of weights, plus what the model was compiled with (optimizer
 *   class and config, loss, metrics). Plain data: it survives structured clone
 *   (Node IPC with `serialization: 'advanced'`) and JSON apart from the buffer.
 * - `deserializeModel` (runs in the judge): validates every field first and
 *   says what is wrong, then rebuilds the model with tf.io.fromMemory.
 * - `saveModelFiles` / `loadModelFiles`: the standard tfjs layout (model.json
 *   with weightsManifest paths ["weights.bin"] + weights.bin) through node:fs.
 * - `modelSummary`: Keras-like summary as plain JSON.
 *
 * Residual risk, stated plainly: rebuilding a topology allocates its layers'
 * weights before they can be compared with the weight data, so a hostile
 * topology could ask for a huge layer. `deserializeModel` bounds every size
 * field of the topology (`maxDim`) and the weight data (`maxWeightBytes`), and
 * loads with fast (zeros) initialisation; on wasm the heap is capped at 4 GB.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, rename, writeFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { initTf } from './backend.ts';
import { ConfinedReadError, readConfined } from '../submission/confine.ts';
import { WIRE_FORMAT, joinWeightData, jsonSafe, modelArtifacts, trainingInfo, type ModelArtifactsWire, type TrainingInfo } from './model-wire.ts';

// The wire form and serialisation live in model-wire.ts (no tf import: the sandbox uses them).
export { WIRE_FORMAT, serializeModel, trainingInfo, type ModelArtifactsWire, type TrainingInfo, type WeightSpecWire } from './model-wire.ts';
const artifactsOf = modelArtifacts;

export interface DeserializeOptions {
  /** Largest weight data accepted, in bytes (default 1 GiB). */
  maxWeightBytes?: number;
  /** Largest value accepted for any size field of the topology (units, filters, dims, ...; default 2^20). */
  maxDim?: number;
  /** Most layers accepted (default 5000). */
  maxLayers?: number;
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };
const SIZE_KEYS = new Set(['units', 'filters', 'input_dim', 'output_dim', 'kernel_size', 'pool_size', 'strides', 'batch_input_shape', 'input_shape', 'target_shape', 'depth_multiplier', 'size', 'dims', 'n']);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof ArrayBuffer) && !ArrayBuffer.isView(v);
}

/** Throws an Error naming the first thing wrong with untrusted wire artifacts; returns the weight data as an ArrayBuffer. */
export function validateModelArtifacts(a: unknown, opts: DeserializeOptions = {}): ArrayBuffer {
  const maxBytes = opts.maxWeightBytes ?? 1024 ** 3;
  const maxDim = opts.maxDim ?? 2 ** 20;
  const maxLayers = opts.maxLayers ?? 5000;
  const bad = (msg: string): never => {
    throw new Error(`invalid model artifacts: ${msg}`);
  };
  if (!isPlainObject(a)) return bad(`expected an object, got ${a === null ? 'null' : Array.isArray(a) ? 'an array' : typeof a}`);
  if (a.format !== undefined && a.format !== WIRE_FORMAT) bad(`format is ${JSON.stringify(a.format)}, expected "${WIRE_FORMAT}"`);
  const topo = a.modelTopology;
  if (!isPlainObject(topo)) return bad('modelTopology is missing or not an object');
  if (typeof topo.class_name !== 'string') bad('modelTopology.class_name is missing (expected "Sequential", "Model" or "Functional")');
  if (!isPlainObject(topo.config) && !Array.isArray(topo.config)) bad('modelTopology.config is missing or not an object');
  const layers = isPlainObject(topo.config) ? topo.config.layers : topo.config;
  if (!Array.isArray(layers)) bad('modelTopology.config.layers is not an array');
  if ((layers as unknown[]).length > maxLayers) bad(`the topology has ${(layers as unknown[]).length} layers (at most ${maxLayers} accepted)`);
  // Bound every size field so rebuilding the topology cannot allocate absurd layers.
  const walk = (v: unknown, where: string, sizeField: boolean, depth: number): void => {
    if (depth > 64) bad(`modelTopology nests deeper than 64 levels at ${where}`);
    if (typeof v === 'number') {
      if (sizeField && (!Number.isFinite(v) || v > maxDim)) bad(`${where} is ${v} (sizes above ${maxDim} are not accepted)`);
      return;
    }
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${where}[${i}]`, sizeField, depth + 1));
    if (isPlainObject(v)) for (const [k, x] of Object.entries(v)) walk(x, `${where}.${k}`, sizeField || SIZE_KEYS.has(k), depth + 1);
  };
  walk(topo, 'modelTopology', false, 0);

  const specs = a.weightSpecs;
  if (!Array.isArray(specs)) return bad('weightSpecs is missing or not an array');
  const names = new Set<string>();
  let expected = 0;
  specs.forEach((s, i) => {
    const at = `weightSpecs[${i}]`;
    if (!isPlainObject(s)) bad(`${at} is not an object`);
    const spec = s as Record<string, unknown>;
    if (typeof spec.name !== 'string' || !spec.name) bad(`${at}.name is missing`);
    if (names.has(spec.name as string)) bad(`${at}.name "${spec.name}" appears twice`);
    names.add(spec.name as string);
    if (!Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      bad(`${at} ("${spec.name}"): shape must be an array of non-negative integers, got ${JSON.stringify(spec.shape)}`);
    }
    if (typeof spec.dtype !== 'string' || !(spec.dtype in BYTES)) bad(`${at} ("${spec.name}"): dtype ${JSON.stringify(spec.dtype)} is not float32, int32 or bool`);
    if ('quantization' in spec && spec.quantization != null) bad(`${at} ("${spec.name}"): quantized weights are not accepted here`);
    const size = (spec.shape as number[]).reduce((p, d) => p * d, 1);
    expected += size * BYTES[spec.dtype as string]!;
    if (expected > maxBytes) bad(`the weights declare more than ${maxBytes} bytes`);
  });

  const wd = a.weightData;
  let buf: ArrayBuffer;
  if (wd instanceof ArrayBuffer) buf = wd;
  else if (ArrayBuffer.isView(wd)) buf = new Uint8Array(wd.buffer, wd.byteOffset, wd.byteLength).slice().buffer;
  else if (wd == null && expected === 0) buf = new ArrayBuffer(0);
  else return bad(`weightData must be an ArrayBuffer, got ${wd === null ? 'null' : typeof wd}`);
  if (buf.byteLength !== expected) {
    bad(`weightData has ${buf.byteLength} bytes but the weightSpecs need ${expected} (${specs.length} weights)`);
  }
  if (a.training != null && !isPlainObject(a.training)) bad('training must be an object or null');
  return buf;
}

/**
 * Rebuilds a model from (untrusted) wire artifacts. Throws an Error saying what
 * is wrong for malformed input, and when the weights do not fit the topology.
 * The model is not compiled; `a.training` says what it had been compiled with.
 */
export async function deserializeModel(a: ModelArtifactsWire, opts: DeserializeOptions = {}): Promise<tf.LayersModel> {
  const weightData = validateModelArtifacts(a, opts);
  await initTf();
  try {
    return await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: a.modelTopology, weightSpecs: a.weightSpecs, weightData }),
      { strict: true },
    );
  } catch (e) {
    throw new Error(`invalid model artifacts: the topology could not be rebuilt with these weights: ${e instanceof Error ? e.message : String(e)}`);
  }
}

// ---------------------------------------------------------------------------
// Files: model.json + weights.bin

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

/**
 * Writes `dir/model.json` and `dir/weights.bin` exactly as tfjs's file handlers
 * do (weightsManifest [{ paths: ["weights.bin"], weights }]), using node:fs only.
 * When the model is compiled, model.json also carries "trainingConfig" (as
 * tfjs-layers writes it; no optimizer weights) and "nngradeTraining" (TrainingInfo).
 */
export async function saveModelFiles(model: tf.LayersModel, dir: string): Promise<{ modelJson: string; weightsBin: string; bytes: number }> {
  const a = await artifactsOf(model);
  const weights = new Uint8Array(joinWeightData(a.weightData as ArrayBuffer | ArrayBuffer[] | undefined));
  const manifest: tf.io.WeightsManifestConfig = [{ paths: [WEIGHTS_BIN], weights: a.weightSpecs ?? [] }];
  // As tfjs-core's (unexported) getModelJSONForModelArtifacts builds it.
  const json: tf.io.ModelJSON & Record<string, unknown> = {
    modelTopology: a.modelTopology as object,
    format: a.format,
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy ?? null,
    weightsManifest: manifest,
  };
  if (a.userDefinedMetadata != null) json.userDefinedMetadata = a.userDefinedMetadata;
  const info = trainingInfo(model);
  if (info) {
    try {
      json.trainingConfig = (model as unknown as { getTrainingConfig(): tf.io.TrainingConfig }).getTrainingConfig();
    } catch {
      /* a function loss or metric cannot be written in tfjs's trainingConfig; nngradeTraining still says what it was */
    }
    json.nngradeTraining = info;
  }
  await mkdir(dir, { recursive: true });
  const modelJson = path.join(dir, MODEL_JSON);
  const weightsBin = path.join(dir, WEIGHTS_BIN);
  await writeAtomic(weightsBin, weights);
  await writeAtomic(modelJson, JSON.stringify(json));
  return { modelJson, weightsBin, bytes: weights.byteLength };
}

const QUANT_BYTES: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };

function specBytes(s: tf.io.WeightsManifestEntry): number {
  const size = s.shape.reduce((p, d) => p * d, 1);
  const per = s.quantization ? QUANT_BYTES[s.quantization.dtype] : BYTES[s.dtype];
  if (!per) throw new Error(`weight "${s.name}" has dtype ${s.quantization?.dtype ?? s.dtype}, which cannot be loaded`);
  return size * per;
}

/** Caps on handed-in model files, checked before they are read. */
export const MODEL_JSON_MAX_BYTES = 16 * 1024 * 1024;
export const WEIGHTS_MAX_BYTES = 512 * 1024 * 1024;

export interface ReadModelOptions {
  /**
   * The folder every file must lie in (symlinks resolved): a handed-in model is read only from
   * the student's submission folder. Default: the model's own folder.
   */
  root?: string;
}

/** Read a file for a model, confined to `root`; a missing file is ENOENT-like, other refusals say why. */
function readModelFile(root: string, file: string, max: number, what: string): Buffer {
  try {
    return readConfined(root, file, max, what);
  } catch (e) {
    if (e instanceof ConfinedReadError && / does not exist$/.test(e.message)) throw Object.assign(new Error(e.message), { code: 'ENOENT' });
    throw e;
  }
}

/** The model.json of `dir` (or the file itself), parsed and checked, with the weight file paths it names. */
export async function readModelJson(dirOrFile: string, opts: ReadModelOptions = {}): Promise<{ json: tf.io.ModelJSON & Record<string, unknown>; file: string; weightFiles: string[] }> {
  const file = dirOrFile.endsWith('.json') ? dirOrFile : path.join(dirOrFile, MODEL_JSON);
  const dir = path.dirname(file);
  let text: string;
  try {
    text = readModelFile(opts.root ?? dir, file, MODEL_JSON_MAX_BYTES, 'model file').toString('utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`no model found: ${file} does not exist (a saved tfjs model is a folder with model.json and weights.bin)`);
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (!isPlainObject(json)) throw new Error(`${file}: expected a JSON object with modelTopology and weightsManifest`);
  if (!isPlainObject(json.modelTopology)) throw new Error(`${file}: "modelTopology" is missing or not an object`);
  const manifest = json.weightsManifest ?? [];
  if (!Array.isArray(manifest)) throw new Error(`${file}: "weightsManifest" must be an array of { paths, weights }`);
  const weightFiles: string[] = [];
  manifest.forEach((g, i) => {
    if (!isPlainObject(g) || !Array.isArray(g.paths) || !Array.isArray(g.weights)) throw new Error(`${file}: weightsManifest[${i}] must have "paths" and "weights" arrays`);
    for (const p of g.paths) {
      if (typeof p !== 'string' || !p || path.isAbsolute(p) || p.split(/[\\/]/).includes('..')) {
        throw new Error(`${file}: weightsManifest[${i}].paths has ${JSON.stringify(p)}; weight files must be plain relative paths beside model.json`);
      }
      weightFiles.push(path.join(dir, p));
    }
  });
  return { json: json as tf.io.ModelJSON & Record<string, unknown>, file, weightFiles };
}

/** A handed-in model as data: model.json parsed and checked, and its weight files' bytes, concatenated. */
export interface ModelFiles {
  /** model.json as the student wrote it (display name). */
  file: string;
  json: tf.io.ModelJSON & Record<string, unknown>;
  weightData: ArrayBuffer;
}

/**
 * Reads a model saved by saveModelFiles (or by tfjs's file handlers / the
 * tfjs converter, layers format), confined to `opts.root`, as data: no tf
 * model is built. Clear errors for a missing model.json, bad JSON, a missing
 * weight file and a weight file shorter or longer than its specs.
 */
export async function readModelFiles(dirOrFile: string, opts: ReadModelOptions = {}): Promise<ModelFiles> {
  const { json, file, weightFiles } = await readModelJson(dirOrFile, opts);
  const specs = tf.io.getWeightSpecs(json.weightsManifest ?? []);
  const expected = specs.reduce((n, s) => n + specBytes(s), 0);
  const parts: Uint8Array[] = [];
  for (const wf of weightFiles) {
    try {
      parts.push(readModelFile(opts.root ?? path.dirname(file), wf, WEIGHTS_MAX_BYTES - parts.reduce((n, p) => n + p.byteLength, 0), 'weight file'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${file} names the weight file ${path.basename(wf)}, which does not exist (expected ${wf})`);
      throw new Error(`cannot read ${wf}: ${(e as Error).message}`);
    }
  }
  const got = parts.reduce((n, p) => n + p.byteLength, 0);
  if (got !== expected) {
    const sizes = weightFiles.map((w, i) => `${path.basename(w)}: ${parts[i]!.byteLength} bytes`).join(', ');
    throw new Error(`the weight file${weightFiles.length === 1 ? ' is' : 's are'} ${got < expected ? 'short' : 'too long'}: ${file} declares ${specs.length} weights needing ${expected} bytes, got ${got} (${sizes})`);
  }
  const all = new Uint8Array(got);
  let off = 0;
  for (const p of parts) {
    all.set(p, off);
    off += p.byteLength;
  }
  return { file, json, weightData: all.buffer };
}

/** Rebuilds the model of files read by readModelFiles (the weights were checked against the manifest there). */
export async function modelFromFiles(m: ModelFiles): Promise<tf.LayersModel> {
  const { json, file } = m;
  await initTf();
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    weightSpecs: tf.io.getWeightSpecs(json.weightsManifest ?? []),
    weightData: m.weightData,
    userDefinedMetadata: json.userDefinedMetadata,
  };
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts), { strict: true });
  } catch (e) {
    throw new Error(`${file}: the model could not be rebuilt: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export async function loadModelFiles(dirOrFile: string, opts: ReadModelOptions = {}): Promise<tf.LayersModel> {
  return modelFromFiles(await readModelFiles(dirOrFile, opts));
}

/** TrainingInfo stored in a model.json written by saveModelFiles (null when the model was not compiled). */
export async function readTrainingInfo(dirOrFile: string): Promise<TrainingInfo | null> {
  const { json } = await readModelJson(dirOrFile);
  return (json.nngradeTraining as TrainingInfo | undefined) ?? null;
}

/** True if `dir` holds a model.json. */
export async function hasModelFiles(dir: string): Promise<boolean> {
  return stat(path.join(dir, MODEL_JSON)).then((s) => s.isFile(), () => false);
}

// ---------------------------------------------------------------------------
// Summary

export interface LayerSummary {
  name: string;
  className: string;
  /** Output shape without the batch dimension, e.g. [28, 28, 6] (null for unknown sizes). */
  outputShape: (number | null)[];
  /** All output shapes, when the layer has more than one output. */
  outputShapes?: (number | null)[][];
  params: number;
  trainableParams: number;
  nonTrainableParams: number;
  /** The settings an instructor checks, when the layer has them (activation as its name, e.g. "relu"). */
  config: {
    units?: number; filters?: number; kernelSize?: number[]; strides?: number[]; padding?: string; activation?: string;
    rate?: number; poolSize?: number[]; useBias?: boolean; dilationRate?: number[]; depthMultiplier?: number;
    targetShape?: number[]; inputDim?: number; outputDim?: number; momentum?: number; epsilon?: number; axis?: number | number[];
  };
}

export interface ModelSummary {
  name: string;
  className: string;
  /** Input shape(s) without the batch dimension. */
  inputShapes: (number | null)[][];
  layers: LayerSummary[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
}

const CONFIG_KEYS = ['units', 'filters', 'kernelSize', 'strides', 'padding', 'activation', 'rate', 'poolSize', 'useBias', 'dilationRate', 'depthMultiplier', 'targetShape', 'inputDim', 'outputDim', 'momentum', 'epsilon', 'axis'] as const;

function dropBatch(s: unknown): (number | null)[] {
  return Array.isArray(s) ? (s.slice(1) as (number | null)[]) : [];
}

function sizeOf(ws: tf.LayerVariable[]): number {
  return ws.reduce((n, w) => n + w.shape.reduce((p: number, d) => p * (d ?? 0), 1), 0);
}

/** A Keras-like summary of `model` as plain JSON (per layer: output shape, params, key settings; totals). */
export function modelSummary(model: tf.LayersModel): ModelSummary {
  const layers: LayerSummary[] = model.layers.map((layer) => {
    const raw = layer.outputShape as unknown;
    const multi = Array.isArray(raw) && raw.length > 0 && Array.isArray(raw[0]);
    const shapes = multi ? (raw as unknown[]).map(dropBatch) : [dropBatch(raw)];
    const cfg = layer.getConfig() as Record<string, unknown>;
    const config: LayerSummary['config'] = {};
    for (const k of CONFIG_KEYS) {
      const v = cfg[k];
      if (v === undefined || v === null) continue;
      if (k === 'activation' && typeof v === 'object') {
        (config as Record<string, unknown>)[k] = String((v as { className?: string }).className ?? JSON.stringify(v));
      } else if (['kernelSize', 'strides', 'poolSize', 'dilationRate'].includes(k) && typeof v === 'number') {
        (config as Record<string, unknown>)[k] = [v, v];
      } else {
        (config as Record<string, unknown>)[k] = jsonSafe(v);
      }
    }
    const trainable = sizeOf(layer.trainableWeights);
    const nonTrainable = sizeOf(layer.nonTrainableWeights);
    const s: LayerSummary = {
      name: layer.name,
      className: layer.getClassName(),
      outputShape: shapes[0] ?? [],
      params: trainable + nonTrainable,
      trainableParams: trainable,
      nonTrainableParams: nonTrainable,
      config,
    };
    if (multi) s.outputShapes = shapes;
    return s;
  });
  const trainable = layers.reduce((n, l) => n + l.trainableParams, 0);
  const nonTrainable = layers.reduce((n, l) => n + l.nonTrainableParams, 0);
  return {
    name: model.name,
    className: model.getClassName(),
    inputShapes: model.inputs.map((i) => dropBatch(i.shape)),
    layers,
    totalParams: trainable + nonTrainable,
    trainableParams: trainable,
    nonTrainableParams: nonTrainable,
  };
}
