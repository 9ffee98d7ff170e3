/**
 * Part kind `architecture`: build the student's model in the sandbox, send
 * its topology and weights back as data, rebuild it here, and compare it with
 * the reference's model criterion by criterion (layers, settings, output
 * shapes, parameter counts, totals), plus stated properties of its output
 * ("one sample's output sums to 1 ± 1e-2") and of how it was compiled.
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { Artifact, Check } from '../judge/result.ts';
import { compareArchitectures, DEFAULT_CONFIG_KEYS, toSummaryRows, type LayerRow, type Summary } from '../judge/architecture.ts';
import { checkProperty, describeProperty, type PropertySpec } from '../judge/properties.ts';
import { describeType, getPath, toNDArray } from '../judge/values.ts';
import { fmt } from '../judge/compare.ts';
import { FixtureError, resolveRefs, type Fixtures } from '../fixtures/resolve.ts';
import { RandomState } from '../fixtures/numpy-random.ts';
import { isModelWire, type ModelArtifactsWire, type TrainingInfo } from '../tf/model-wire.ts';
import { argsSchema, failedMessages, failureMessage, outputPropertySchema, seedFor } from './common.ts';
import type { JudgeInput, KindSchema, PartKind, PartOf, SpecProblem } from './types.ts';

type Criterion = 'layers' | 'config' | 'outputShapes' | 'params' | 'totals';

const weightSchema = { type: 'number', minimum: 0 } as const;

const schema = {
  required: ['call'],
  properties: {
    call: { type: 'string', description: 'The export that builds the model' },
    args: argsSchema,
    modelPath: { type: 'string' },
    criteria: { type: 'object', description: 'Weight of each criterion (default 1 each; 0 leaves it out)', properties: { layers: weightSchema, config: weightSchema, outputShapes: weightSchema, params: weightSchema, totals: weightSchema }, additionalProperties: false },
    configKeys: { type: 'array', items: { type: 'string' }, description: `Layer settings compared (default: ${DEFAULT_CONFIG_KEYS.join(', ')})` },
    ignoreLayers: { type: 'array', items: { type: 'string' }, description: 'Layer classes left out (default: InputLayer)' },
    foldActivations: { type: 'boolean', description: 'Treat Dense + Activation("relu") (or tf.layers.reLU(), softmax(), elu()) as Dense(activation: "relu") (default true)' },
    reshapeIsFlatten: { type: 'boolean', description: 'A Reshape to one axis counts as a Flatten (default true)' },
    shapes: { enum: ['exact', 'squeeze'], description: 'Output shapes compared exactly, or with size-1 axes dropped ((1, 1, 84) ~ (84))' },
    totalParams: { type: 'integer', minimum: 0, description: "The reference model's total parameter count (checked by validate)" },
    outputs: { type: 'array', items: outputPropertySchema },
    compiled: { type: 'object', properties: { weight: { type: 'number', minimum: 0 }, keys: { type: 'array', items: { type: 'string' } } }, additionalProperties: false },
  },
} as const satisfies KindSchema;

/** An architecture part, as its schema defines it (the type is derived from the schema: one source). */
export type ArchitecturePart = Omit<PartOf<'architecture', typeof schema>, 'outputs'> & { outputs?: OutputProperty[] };
/** The input a model's output property is checked on: a fixture, or uniform random numbers of a shape. */
export type ModelInput = FromSchema<typeof outputPropertySchema.properties.input>;
export type OutputProperty = PropertySpec & { input: ModelInput };

const id = (p: ArchitecturePart) => `${p.id}#model`;
const CRITERIA: Criterion[] = ['layers', 'config', 'outputShapes', 'params', 'totals'];
const CRITERION_NAMES: Record<Criterion, string> = { layers: 'layer sequence', config: 'layer settings', outputShapes: 'output shapes', params: 'parameters per layer', totals: 'total parameters' };

/** What a judge needs from tf, loaded only when a model is judged. */
async function tfTools() {
  const [{ initTf }, io] = await Promise.all([import('../tf/backend.ts'), import('../tf/model-io.ts')]);
  const rt = await initTf();
  return { tf: rt.tf, backend: rt.backend, deserializeModel: io.deserializeModel, modelSummary: io.modelSummary };
}

export function toSummary(s: { layers: LayerRow[]; totalParams: number; trainableParams: number }): Summary {
  return { layers: s.layers.map((l) => ({ ...l, config: { ...l.config } })), totalParams: s.totalParams, trainableParams: s.trainableParams };
}

function inputArray(input: ModelInput, fixtures: Fixtures): { data: Float32Array; shape: number[] } {
  if (typeof input === 'string') {
    const a = toNDArray(resolveRefs(input, fixtures, ''), input);
    return { data: Float32Array.from(a.data), shape: a.shape };
  }
  const a = new RandomState(input.seed ?? 0).rand(...input.random);
  return { data: Float32Array.from(a.data), shape: input.random };
}

/**
 * A loss as the same loss whichever way it was given: a name ('categoricalCrossentropy', or
 * 'categorical_crossentropy'), or a function of tf.metrics / tf.losses that computes it.
 * tf.losses.softmaxCrossEntropy takes logits: it is its own loss (softmax is applied inside it).
 */
export function canonicalLoss(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(canonicalLoss);
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, canonicalLoss(v)]));
  if (typeof x !== 'string') return x;
  const name = x.replace(/^function:/, '').replace(/__op$/, '');
  const key = name.replace(/_/g, '').toLowerCase();
  const same: Record<string, string> = {
    categoricalcrossentropy: 'categoricalCrossentropy', binarycrossentropy: 'binaryCrossentropy', sparsecategoricalcrossentropy: 'sparseCategoricalCrossentropy',
    meansquarederror: 'meanSquaredError', mse: 'meanSquaredError', meanabsoluteerror: 'meanAbsoluteError', mae: 'meanAbsoluteError', absolutedifference: 'meanAbsoluteError',
    logloss: 'binaryCrossentropy', softmaxcrossentropy: 'softmaxCrossEntropy (from logits)', sigmoidcrossentropy: 'sigmoidCrossEntropy (from logits)',
  };
  return same[key] ?? name;
}

const showSetting = (v: unknown) => (v === undefined ? 'not set' : typeof v === 'number' ? fmt(v) : JSON.stringify(v));

function compareTraining(s: TrainingInfo | null, r: TrainingInfo | null, keys: string[]): { passed: boolean; message: string } {
  if (!r) return { passed: true, message: 'the reference is not compiled: nothing to compare' };
  if (!s) return { passed: false, message: `the model is not compiled; expected ${r.optimizer?.className ?? 'an optimizer'} with loss ${JSON.stringify(canonicalLoss(r.loss))}` };
  const diffs: string[] = [];
  if (s.optimizer?.className !== r.optimizer?.className) diffs.push(`optimizer ${s.optimizer?.className ?? 'none'}, expected ${r.optimizer?.className}`);
  for (const k of keys) {
    const a = s.optimizer?.config?.[k], b = r.optimizer?.config?.[k];
    if (b === undefined) continue;
    if (typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(b)) : JSON.stringify(a) !== JSON.stringify(b)) diffs.push(`${k} ${showSetting(a)}, expected ${showSetting(b)}`);
  }
  const sl = canonicalLoss(s.loss), rl = canonicalLoss(r.loss);
  if (JSON.stringify(sl) !== JSON.stringify(rl)) {
    const logits = JSON.stringify(sl).includes('from logits') ? ' (that loss applies softmax/sigmoid itself: it expects logits, not the output of a softmax/sigmoid layer)' : '';
    diffs.push(`loss ${JSON.stringify(sl)}, expected ${JSON.stringify(rl)}${logits}`);
  }
  return diffs.length ? { passed: false, message: diffs.join('; ') } : { passed: true, message: `${s.optimizer?.className} (${keys.map((k) => `${k} ${showSetting(s.optimizer?.config?.[k])}`).join(', ')}), loss ${JSON.stringify(sl)}` };
}

/** The reference task that builds this part's model (an accuracy part tied to this one asks for it too). */
export function architectureReferenceTask(p: ArchitecturePart, ctx: { fixtures: Fixtures; index: number }) {
  return { op: 'call' as const, id: id(p), export: p.call, args: resolveRefs(p.args ?? [], ctx.fixtures, `/parts/${ctx.index}/args`) as unknown[], seed: seedFor(id(p)) };
}

/**
 * Is `model` the architecture part `p` asks for (layers, settings, output shapes, parameters, as this
 * part compares them)? For an accuracy part that grades a handed-in model: a wrong model earns no points.
 */
export async function matchesArchitecture(p: ArchitecturePart, model: unknown, reference: Map<string, unknown>): Promise<{ passed: boolean; message: string } | undefined> {
  const ref = getPath(reference.get(id(p)), p.modelPath ?? '');
  if (!ref.found || !isModelWire(ref.value)) return undefined;
  const tools = await tfTools();
  const refModel = await tools.deserializeModel(ref.value);
  const s = toSummary(tools.modelSummary(model as never) as unknown as Summary);
  const r = toSummary(tools.modelSummary(refModel) as unknown as Summary);
  refModel.dispose();
  const cmp = compareArchitectures(s, r, { ignore: p.ignoreLayers, foldActivations: p.foldActivations, reshapeIsFlatten: p.reshapeIsFlatten, configKeys: p.configKeys, shapes: p.shapes });
  const failed = cmp.criteria.filter((c) => !c.passed);
  return failed.length ? { passed: false, message: `${failed.map((c) => `${CRITERION_NAMES[c.criterion]}: ${c.message}`).join('; ')}\n${cmp.table}` } : { passed: true, message: `the model part ${p.id} asks for` };
}


export const architecturePart: PartKind<ArchitecturePart> = {
  kind: 'architecture',
  summary: "build the student's tfjs model and compare layers, settings, output shapes and parameter counts with the reference's",
  usesTf: true,
  schema: schema,
  exportsUsed: (p) => [p.call],
  lint(p, ctx) {
    const problems: SpecProblem[] = [];
    try {
      resolveRefs(p.args ?? [], ctx.fixtures, `/parts/${ctx.index}/args`);
      (p.outputs ?? []).forEach((o, i) => { if (typeof o.input === 'string') resolveRefs(o.input, ctx.fixtures, `/parts/${ctx.index}/outputs/${i}/input`); });
    } catch (e) {
      if (e instanceof FixtureError) problems.push({ pointer: e.pointer, message: e.message });
      else throw e;
    }
    return problems;
  },
  tasks(p, ctx) {
    const t = architectureReferenceTask(p, ctx);
    return { student: [t], reference: [t] };
  },
  async check(p, reference) {
    // validate: the reference builds the model the assignment describes.
    if (p.totalParams === undefined) return [];
    const wire = getPath(reference.get(id(p)), p.modelPath ?? '');
    if (!wire.found || !isModelWire(wire.value)) return [{ pointer: `/parts`, message: `part "${p.id}": the reference's ${p.call}() did not return a tf model` }];
    const { deserializeModel, modelSummary } = await tfTools();
    const total = modelSummary(await deserializeModel(wire.value)).totalParams;
    return total === p.totalParams ? [] : [{ pointer: `/parts`, message: `part "${p.id}": the reference model has ${total.toLocaleString('en-US')} parameters, but totalParams says ${p.totalParams.toLocaleString('en-US')}` }];
  },
  async judge(p, input: JudgeInput) {
    const outcome = input.student.get(id(p))!;
    const weights = { layers: 1, config: 1, outputShapes: 1, params: 1, totals: 1, ...p.criteria };
    const active = CRITERIA.filter((c) => weights[c] > 0);
    const checks: Check[] = [];
    const outputs = p.outputs ?? [];
    const failAll = (message: string) => {
      for (const c of active) checks.push({ name: CRITERION_NAMES[c], passed: false, weight: weights[c], points: 0, message });
      for (const o of outputs) checks.push({ name: o.name ?? describeProperty(o), passed: false, weight: o.weight ?? 1, points: 0, message });
      if (p.compiled) checks.push({ name: 'compiled with', passed: false, weight: p.compiled.weight ?? 1, points: 0, message });
    };
    if (!outcome.ok) {
      const f = failureMessage(`${p.call}(…)`, outcome, input);
      failAll('no model (see above)');
      return { checks, messages: [f.message], status: outcome.kind === 'timeout' ? 'timeout' : 'error', location: f.location, output: outcome.output };
    }
    const got = getPath(outcome.value, p.modelPath ?? '');
    if (!got.found || !isModelWire(got.value)) {
      const what = got.found ? describeType(got.value) : got.have;
      const message = `${p.call}() should return a tf.LayersModel${p.modelPath ? ` at "${p.modelPath}"` : ''} (tf.sequential() or tf.model()), got ${what}`;
      failAll('no model');
      return { checks, messages: [message], output: outcome.output };
    }
    const ref = getPath(input.reference.get(id(p)), p.modelPath ?? '') as { value: ModelArtifactsWire };
    const tools = await tfTools();
    let studentModel;
    try {
      studentModel = await tools.deserializeModel(got.value);
    } catch (e) {
      failAll('the model could not be rebuilt');
      return { checks, messages: [`the model could not be rebuilt from what ${p.call}() returned: ${(e as Error).message}`], output: outcome.output };
    }
    const refModel = await tools.deserializeModel(ref.value);
    const s = toSummary(tools.modelSummary(studentModel) as unknown as Summary);
    const r = toSummary(tools.modelSummary(refModel) as unknown as Summary);
    const cmp = compareArchitectures(s, r, { ignore: p.ignoreLayers, foldActivations: p.foldActivations, reshapeIsFlatten: p.reshapeIsFlatten, configKeys: p.configKeys, shapes: p.shapes });
    for (const c of cmp.criteria) {
      if (!active.includes(c.criterion)) continue;
      checks.push({ name: CRITERION_NAMES[c.criterion], passed: c.passed, weight: weights[c.criterion], points: 0, message: c.message, ...(c.criterion === 'totals' ? { expected: r.totalParams, received: s.totalParams } as Pick<Check, 'expected' | 'received'> : {}) });
    }
    for (const o of outputs) {
      const name = o.name ?? describeProperty(o);
      const { data, shape } = inputArray(o.input, input.fixtures);
      // Scoped: what predict makes is released even when it throws.
      const run = (m: typeof studentModel) => {
        let out: ReturnType<typeof toNDArray> | undefined;
        tools.tf.tidy(() => {
          const y = m.predict(tools.tf.tensor(data, shape)) as { dataSync(): Float32Array; shape: number[] };
          out = toNDArray({ __ndarray: true, shape: y.shape, data: Float64Array.from(y.dataSync()) });
        });
        return out!;
      };
      try {
        const res = checkProperty({ ...o, path: o.path ?? 'output' }, run(studentModel), run(refModel));
        checks.push({ name, passed: res.passed, weight: o.weight ?? 1, points: 0, message: res.message, expected: res.expected, received: typeof res.received === 'number' ? res.received : undefined });
      } catch (e) {
        checks.push({ name, passed: false, weight: o.weight ?? 1, points: 0, message: `the model could not be run on an input of shape [${shape.join(', ')}]: ${(e as Error).message}` });
      }
    }
    if (p.compiled) {
      const c = compareTraining(got.value.training, ref.value.training, p.compiled.keys ?? ['learningRate', 'momentum']);
      checks.push({ name: 'compiled with', passed: c.passed, weight: p.compiled.weight ?? 1, points: 0, message: c.message });
    }
    studentModel.dispose();
    refModel.dispose();
    const messages = failedMessages(checks);
    if (cmp.differingRows.length) messages.push(`your model beside the reference (✗ marks rows that differ):\n${cmp.table}`);
    const artifact: Artifact = { type: 'modelSummary', title: `${p.call}(): your model and the reference`, student: toSummaryRows(cmp.aligned.map((a) => a.student)), reference: toSummaryRows(cmp.aligned.map((a) => a.reference)), differingRows: cmp.differingRows, totals: { student: s.totalParams, reference: r.totalParams } };
    return { checks, messages, output: outcome.output, artifacts: [artifact], backend: tools.backend };
  },
};
