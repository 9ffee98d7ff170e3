/**
 * Part kind `accuracy`: a trained model's metrics on a held-out test set that
 * never enters the sandbox. The model is the student's handed-in weights
 * (`source: "artifact"`, model.json + weights.bin in the submission, read here
 * as data) or the result of calling the student's train function in the
 * sandbox under a time budget (`source: "train"`). Either way it is rebuilt and
 * evaluated here: accuracy and loss, the confusion matrix, per-class precision
 * and recall, the first test images with GT/P, and the training history.
 * Points follow bands: full at or above the target, linear down to the floor.
 */
import path from 'node:path';
import type { PartBase } from '../spec/types.ts';
import type { Artifact, Check } from '../judge/result.ts';
import { bandCredit } from '../judge/score.ts';
import { fmt } from '../judge/compare.ts';
import { describeType, getPath } from '../judge/values.ts';
import { FixtureError, resolveRefs, type Fixtures } from '../fixtures/resolve.ts';
import { isModelWire, type ModelArtifactsWire } from '../tf/model-wire.ts';
import { argsSchema, failureMessage, seedFor } from './common.ts';
import type { JudgeInput, KindSchema, PartKind, PartOf, SpecProblem } from './types.ts';
import { evaluateClassifier, evaluatePredictions, historySeries, type Evaluation } from '../judge/metrics.ts';
import type { TaskOutcome } from '../sandbox/sandbox.ts';
import type { FitPredictTask } from '../sandbox/protocol.ts';
import type { ModelFiles } from '../tf/model-io.ts';
import { architectureReferenceTask, matchesArchitecture, type ArchitecturePart } from './architecture.ts';

const schema = {
  required: ['source', 'test', 'bands'],
  properties: {
    source: { enum: ['artifact', 'train', 'scratch'] },
    predict: { type: 'string', description: 'source scratch: the export called as predict(model, inputs) (model: what call returns, at modelPath)' },
    input: { type: 'string', description: 'source scratch: the test inputs predict gets, e.g. "$test.x:rows" (default "<test>.x"); their labels never enter the sandbox' },
    artifact: { type: 'string', description: 'source artifact: folder (or model.json) in the submission' },
    call: { type: 'string', description: 'source train: the export that trains and returns the model (and its history)' },
    args: argsSchema,
    modelPath: { type: 'string' },
    historyPath: { type: 'string' },
    test: { type: 'string', pattern: '^\\$[a-z0-9][a-z0-9._-]*$', description: 'A dataset fixture set, e.g. "$test"' },
    bands: {
      type: 'object',
      required: ['full', 'floor'],
      properties: { full: { type: 'number', minimum: 0 }, floor: { type: 'number', minimum: 0 }, relative: { type: 'boolean' } },
      additionalProperties: false,
    },
    samples: { type: 'integer', minimum: 0, maximum: 100 },
    architecture: { type: 'string', description: 'The id of an architecture part: the model earns the accuracy points only if it is the model that part asks for' },
  },
} as const satisfies KindSchema;

/** An accuracy part, as its schema defines it (the type is derived from the schema: one source). */
export type AccuracyPart = PartOf<'accuracy', typeof schema>;

const id = (p: AccuracyPart) => `${p.id}#train`;
const tiedArchitecture = (p: AccuracyPart, spec: { parts: PartBase[] }) => (p.architecture === undefined ? undefined : (spec.parts.find((x) => x.id === p.architecture && x.kind === 'architecture') as ArchitecturePart | undefined));
const filesId = (p: AccuracyPart) => `${p.id}#files`;

/** The model a train function returned: the value itself, or the model at `path` in it. */
function modelIn(v: unknown, path: string): ModelArtifactsWire | undefined {
  if (isModelWire(v)) return v;
  const g = getPath(v, path);
  return g.found && isModelWire(g.value) ? g.value : undefined;
}

async function tfTools() {
  const [{ initTf }, io] = await Promise.all([import('../tf/backend.ts'), import('../tf/model-io.ts')]);
  const rt = await initTf();
  return { tf: rt.tf, backend: rt.backend, io };
}

interface TestSet {
  x: { data: Float32Array; shape: number[] };
  labels: Int32Array;
  classNames: string[] | null;
  images: { data: Uint8Array | Float32Array; shape: number[] };
}

/** Resolved once per plan (the fixtures object) and part: the test set is the same for every hand-in, and only read. */
const testSets = new WeakMap<Fixtures, Map<AccuracyPart, TestSet>>();
function testSet(p: AccuracyPart, fixtures: Fixtures): TestSet {
  let byPart = testSets.get(fixtures);
  if (!byPart) testSets.set(fixtures, (byPart = new Map()));
  let t = byPart.get(p);
  if (!t) byPart.set(p, (t = resolveRefs(p.test, fixtures, '') as TestSet));
  return t;
}

/** A grid of the first test images with their true and predicted classes, as raw 8-bit pixels. */
function sampleArtifact(t: TestSet, ev: Evaluation, n: number, names: string[]): Artifact {
  const [N, h, w, c = 1] = t.images.shape;
  const per = h * w * c;
  const count = Math.min(n, N, ev.predictions.length);
  const images = [];
  for (let i = 0; i < count; i++) {
    const px = t.images.data.subarray(i * per, (i + 1) * per);
    const bytes = px instanceof Uint8Array ? px : Uint8Array.from(px, (v) => Math.max(0, Math.min(255, Math.round(v))));
    images.push({ pixels: Buffer.from(bytes).toString('base64'), label: names[t.labels[i]] ?? String(t.labels[i]), predicted: names[ev.predictions[i]] ?? String(ev.predictions[i]) });
  }
  return { type: 'samples', title: `The first ${count} test images: GT (true class) and P (prediction)`, width: w, height: h, channels: (c === 3 ? 3 : 1) as 1 | 3, images };
}


export const accuracyPart: PartKind<AccuracyPart> = {
  kind: 'accuracy',
  summary: "a trained model's accuracy on a held-out test set (handed-in tfjs weights, tfjs training or the student's own from-scratch model in the sandbox), with partial-credit bands",
  schema: schema,
  // A from-scratch model needs no tf, unless its architecture is compared.
  usesTf: (p: AccuracyPart) => p.source !== 'scratch' || p.architecture !== undefined,
  exportsUsed: (p) => (p.source === 'train' && p.call ? [p.call] : p.source === 'scratch' ? [p.call, p.predict].filter((x): x is string => Boolean(x)) : []),
  lint(p, ctx) {
    const problems: SpecProblem[] = [];
    const ptr = `/parts/${ctx.index}`;
    if (p.source === 'artifact' && !p.artifact) problems.push({ pointer: ptr, message: 'source "artifact" needs "artifact": the folder in the submission holding model.json and weights.bin' });
    if (p.source !== 'artifact' && !p.call) problems.push({ pointer: ptr, message: `source "${p.source}" needs "call": the export that trains the model` });
    if (p.source === 'scratch' && !p.predict) problems.push({ pointer: ptr, message: 'source "scratch" needs "predict": the export called as predict(model, inputs)' });
    if (p.source === 'scratch' && p.architecture !== undefined) problems.push({ pointer: `${ptr}/architecture`, message: 'a from-scratch model has no tf architecture to compare' });
    if (p.bands.relative && p.source === 'artifact') problems.push({ pointer: `${ptr}/bands/relative`, message: 'relative bands compare with the reference trained the same way, so they need source "train" or "scratch"' });
    if (p.bands.floor > p.bands.full) problems.push({ pointer: `${ptr}/bands`, message: `floor ${p.bands.floor} is above full ${p.bands.full}` });
    if (p.architecture !== undefined && ctx.spec.parts.find((x) => x.id === p.architecture)?.kind !== 'architecture') {
      problems.push({ pointer: `${ptr}/architecture`, message: `"${p.architecture}" must be the id of an architecture part (they are: ${ctx.spec.parts.filter((x) => x.kind === 'architecture').map((x) => x.id).join(', ') || 'none'})` });
    }
    const set = p.test.slice(1);
    if (ctx.spec.fixtures?.[set]?.kind !== 'dataset') problems.push({ pointer: `${ptr}/test`, message: `"${p.test}" must name a dataset fixture set (fixtures with kind "dataset"); defined: ${Object.keys(ctx.spec.fixtures ?? {}).join(', ') || 'none'}` });
    try {
      resolveRefs(p.args ?? [], ctx.fixtures, `${ptr}/args`);
    } catch (e) {
      if (e instanceof FixtureError) problems.push({ pointer: e.pointer, message: e.message });
      else throw e;
    }
    return problems;
  },
  tasks(p, ctx) {
    // Tied to an architecture part: the reference's model of that part, to compare the graded model with.
    const arch = tiedArchitecture(p, ctx.spec);
    const archTasks = arch ? [architectureReferenceTask(arch, { fixtures: ctx.fixtures, index: ctx.spec.parts.indexOf(arch) })] : [];
    if (p.source === 'scratch') {
      // The test inputs go into the sandbox; their labels stay here.
      const inputs = resolveRefs(p.input ?? `${p.test}.x`, ctx.fixtures, `/parts/${ctx.index}/input`);
      const t: FitPredictTask = { op: 'fitPredict', id: id(p), export: p.call!, args: resolveRefs(p.args ?? [], ctx.fixtures, `/parts/${ctx.index}/args`) as unknown[], predict: p.predict!, inputs, modelPath: p.modelPath ?? 'model', historyPath: p.historyPath ?? 'history', seed: seedFor(id(p)) };
      return { student: [t], reference: p.bands.relative ? [t] : [] };
    }
    if (p.source !== 'train') return { student: [], reference: archTasks };
    const t = { op: 'call' as const, id: id(p), export: p.call!, args: resolveRefs(p.args ?? [], ctx.fixtures, `/parts/${ctx.index}/args`) as unknown[], seed: seedFor(id(p)) };
    return { student: [t], reference: [...(p.bands.relative ? [t] : []), ...archTasks] };
  },
  gradesHandedInFiles: (p) => p.source === 'artifact',
  // The handed-in model is read in the run stage, as data (confined to the submission folder), so judging reads no files.
  async collect(p, submissionDir) {
    if (p.source !== 'artifact') return new Map();
    const t0 = performance.now();
    const dir = path.resolve(submissionDir, p.artifact!);
    let outcome: TaskOutcome;
    if (path.relative(submissionDir, dir).startsWith('..')) {
      outcome = { ok: false, kind: 'error', message: `the artifact path ${p.artifact} leaves the submission folder`, ms: 0, output: '' };
    } else {
      try {
        const io = await import('../tf/model-io.ts');
        const files = await io.readModelFiles(dir, { root: submissionDir });
        outcome = { ok: true, value: { ...files, file: path.relative(submissionDir, files.file) }, ms: performance.now() - t0, output: '' };
      } catch (e) {
        outcome = { ok: false, kind: 'error', message: `could not load the handed-in model from ${p.artifact}: ${(e as Error).message}`, ms: performance.now() - t0, output: '' };
      }
    }
    return new Map([[filesId(p), outcome]]);
  },
  async judge(p, input: JudgeInput) {
    const checks: Check[] = [];
    const messages: string[] = [];
    const artifacts: Artifact[] = [];
    const name = 'test accuracy';
    const fail = (message: string, extra: Partial<{ status: 'error' | 'timeout'; location: ReturnType<JudgeInput['locate']>; output: string }> = {}) => {
      checks.push({ name, passed: false, weight: 1, points: 0, message });
      return { checks, messages: [message], ...extra };
    };
    const t = testSet(p, input.fixtures);
    const names = t.classNames ?? [];
    let ev: Evaluation;
    let history: unknown;
    let output = '';
    let shape: { passed: boolean; message: string } | undefined;
    let backend: string | undefined;
    let refAccuracy: (() => Promise<number>) | undefined;
    const arch = tiedArchitecture(p, input.spec);
    if (p.source === 'scratch') {
      // The student's own model predicted in the sandbox; the labels are only here.
      const outcome = input.student.get(id(p))!;
      output = outcome.output;
      if (!outcome.ok) {
        const f = failureMessage(`${p.call}(…) then ${p.predict}(model, inputs)`, outcome, input);
        return fail(f.message, { status: outcome.kind === 'timeout' ? 'timeout' : 'error', location: f.location, output });
      }
      const v = outcome.value as { predictions?: unknown; history?: unknown };
      try {
        ev = evaluatePredictions(v.predictions, t.labels, names.length || undefined);
      } catch (e) {
        return fail(`${(e as Error).message}`, { output });
      }
      history = v.history ?? undefined;
      if (p.bands.relative) refAccuracy = async () => evaluatePredictions((input.reference.get(id(p)) as { predictions: unknown }).predictions, t.labels, names.length || undefined).accuracy;
    } else {
      const tools = await tfTools();
      backend = tools.backend;
      let model;
      if (p.source === 'artifact') {
        const files = input.student.get(filesId(p));
        if (!files) return fail(`the handed-in model from ${p.artifact} was not read`, { status: 'error' });
        if (!files.ok) return fail(files.message, { status: 'error' });
        const m = files.value as ModelFiles;
        try {
          model = await tools.io.modelFromFiles(m);
        } catch (e) {
          return fail(`could not load the handed-in model from ${p.artifact}: ${(e as Error).message}`, { status: 'error' });
        }
        history = m.json.userDefinedMetadata;
      } else {
        const outcome = input.student.get(id(p))!;
        output = outcome.output;
        if (!outcome.ok) {
          const f = failureMessage(`${p.call}(…)`, outcome, input);
          return fail(f.message, { status: outcome.kind === 'timeout' ? 'timeout' : 'error', location: f.location, output });
        }
        const wire = modelIn(outcome.value, p.modelPath ?? 'model');
        if (!wire) {
          return fail(`${p.call}() should return the trained tf.LayersModel${p.modelPath === '' ? '' : ` (or { ${p.modelPath ?? 'model'}, ${p.historyPath ?? 'history'} })`}, got ${describeType(outcome.value)}`, { output });
        }
        try {
          model = await tools.io.deserializeModel(wire);
        } catch (e) {
          return fail(`the trained model could not be rebuilt: ${(e as Error).message}`, { output });
        }
        const h = getPath(outcome.value, p.historyPath ?? 'history');
        history = h.found ? h.value : undefined;
      }
      // A model that is not the one the tied architecture part asks for earns nothing, however accurate.
      shape = arch ? await matchesArchitecture(arch, model, input.reference) : undefined;
      if (arch && shape) checks.push({ name: `the model is the one ${arch.id} asks for`, passed: shape.passed, weight: 0, points: 0, message: shape.message });
      try {
        ev = await evaluateClassifier(tools.tf, model, t.x, t.labels, names.length || undefined);
      } catch (e) {
        model.dispose();
        return fail(`the model could not be evaluated on the test set (inputs of shape [${t.x.shape.join(', ')}]): ${(e as Error).message}`, { output });
      }
      model.dispose();
      if (p.bands.relative) {
        refAccuracy = async () => {
          const refModel = await tools.io.deserializeModel(modelIn(input.reference.get(id(p)), p.modelPath ?? 'model')!);
          const refEv = await evaluateClassifier(tools.tf, refModel, t.x, t.labels, names.length || undefined);
          refModel.dispose();
          return refEv.accuracy;
        };
      }
    }
    let full = p.bands.full, floor = p.bands.floor, refNote = '';
    if (refAccuracy) {
      const ra = await refAccuracy();
      full = p.bands.full * ra;
      floor = p.bands.floor * ra;
      refNote = ` (the reference trained the same way reaches ${fmt(ra)})`;
    }
    const wrongModel = shape && !shape.passed;
    const credit = wrongModel ? 0 : bandCredit(ev.accuracy, full, floor);
    const acc = `accuracy ${fmt(ev.accuracy)} on ${ev.count.toLocaleString('en-US')} test images${Number.isFinite(ev.loss) ? ` (loss ${fmt(ev.loss)})` : ''}`;
    const bands = `full points at ≥ ${fmt(full)}, none below ${fmt(floor)}${refNote}`;
    checks.push({ name, passed: credit >= 1, credit, weight: 1, points: 0, message: wrongModel ? `${acc}, but no points: it is not the model ${arch!.id} asks for` : `${acc}; ${bands}`, expected: `≥ ${fmt(full)}`, received: ev.accuracy });
    if (wrongModel) messages.push(`${name}: ${acc}, but it earns no points: the graded model is not the architecture part ${arch!.id} asks for (${shape!.message})`);
    else if (credit < 1) messages.push(`${name}: ${acc}, below the target: ${bands}`);
    artifacts.push({ type: 'bands', title: 'Test accuracy and the scoring bands', metric: 'accuracy', value: ev.accuracy, full, floor });
    const series = historySeries(history);
    if (series.length) artifacts.push({ type: 'history', title: 'Training history', epochs: series[0].values.map((_, i) => i + 1), series });
    const labels = names.length ? names : ev.confusion.map((_, i) => String(i));
    artifacts.push({ type: 'confusion', title: 'Confusion matrix on the test set (rows: true class, columns: predicted)', labels, matrix: ev.confusion });
    artifacts.push({ type: 'perClass', title: 'Precision and recall per class', labels, precision: ev.precision, recall: ev.recall });
    if ((p.samples ?? 25) > 0) artifacts.push(sampleArtifact(t, ev, p.samples ?? 25, labels));
    return { checks, messages, output, artifacts, ...(backend ? { backend } : {}) };
  },
};
