/**
 * Running one task against a loaded module. Shared by the sandbox child (the
 * student's code, confined) and the reference runner (the instructor's code,
 * trusted, in the grader's own process), so both are asked exactly the same.
 */
import type { GradTask, GradTaskValue, StepRef, Task, TaskStep, WireError } from './protocol.ts';
import { isModelWire, serializeModelsIn } from '../tf/model-wire.ts';

export type Module = Record<string, unknown>;

/** A small seeded PRNG in [0, 1): the sandbox's Math.random during a task. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function isTensor(v: unknown): v is { shape: number[]; dtype: string; dataSync(): ArrayLike<number> } {
  return typeof v === 'object' && v !== null && typeof (v as { dataSync?: unknown }).dataSync === 'function' && Array.isArray((v as { shape?: unknown }).shape);
}

/** Make a returned value safe to send: tensors become arrays, functions are named, cycles cut. */
export function toWire(v: unknown, seen: Set<object> = new Set()): unknown {
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'function') return { __unsupported: `a function (${v.name || 'anonymous'})` };
  if (typeof v === 'symbol') return { __unsupported: 'a symbol' };
  if (isTensor(v)) {
    return { __ndarray: true, shape: [...v.shape], data: Float64Array.from(v.dataSync()), dtype: v.dtype, source: 'tf.Tensor' };
  }
  if (ArrayBuffer.isView(v)) {
    if (v instanceof DataView) return { __unsupported: 'a DataView' };
    const a = v as unknown as ArrayLike<number>;
    return { __ndarray: true, shape: [a.length], data: Float64Array.from(a), source: v.constructor.name };
  }
  if (typeof v !== 'object') return { __unsupported: typeof v };
  if (isModelWire(v)) return v;
  if (v instanceof ArrayBuffer) return v;
  if (seen.has(v)) return { __unsupported: 'a circular reference' };
  seen.add(v);
  try {
    if (Array.isArray(v)) return v.map((x) => toWire(x, seen));
    if (v instanceof Map) return Object.fromEntries([...v.entries()].map(([k, x]) => [String(k), toWire(x, seen)]));
    if (v instanceof Promise) return { __unsupported: 'a Promise (did you forget await?)' };
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = toWire((v as Record<string, unknown>)[k], seen);
    return out;
  } finally {
    seen.delete(v);
  }
}

/** A thrown value as data. Reading it runs no more of the submission's code than String() would (getters may throw). */
const DENIED: Record<string, string> = {
  FileSystemRead: 'to read', FileSystemWrite: 'to write', ChildProcess: 'to start a child process', WorkerThreads: 'to start a worker thread',
  Addon: 'to load a native addon', WASI: 'to use WASI', Inspector: 'to open the inspector',
};

export function wireError(e: unknown): WireError {
  try {
    // Node's permission model: say what was tried, on what (paths are shortened for students later).
    const denied = e instanceof Error && (e as { code?: unknown }).code === 'ERR_ACCESS_DENIED' ? (e as { permission?: unknown; resource?: unknown }) : undefined;
    if (denied) {
      const what = DENIED[String(denied.permission)] ?? `to use ${String(denied.permission)}`;
      const where = typeof denied.resource === 'string' && denied.resource ? ` ${denied.resource}` : '';
      return { name: 'SandboxDenied', message: `${what}${where}: not allowed in the sandbox`, stack: (e as Error).stack };
    }
    if (e instanceof Error) return { name: String(e.name), message: String(e.message), stack: typeof e.stack === 'string' ? e.stack : undefined };
    let shown: string;
    try {
      shown = typeof e === 'string' ? JSON.stringify(e) : typeof e === 'object' && e !== null ? `an object (${Object.prototype.toString.call(e)})` : String(e);
    } catch {
      shown = typeof e;
    }
    return { name: 'NonError', message: `the value ${shown.slice(0, 200)} (not an Error)` };
  } catch {
    return { name: 'NonError', message: 'a value that cannot be described' };
  }
}

function getExport(mod: Module, name: string): unknown {
  if (!(name in mod)) {
    const have = Object.keys(mod).filter((k) => k !== 'default');
    throw Object.assign(new Error(`the submission does not export "${name}" (it exports: ${have.length ? have.join(', ') : 'nothing'})`), { name: 'MissingExport' });
  }
  return mod[name];
}

function getFunction(mod: Module, name: string): (...args: unknown[]) => unknown {
  const f = getExport(mod, name);
  if (typeof f !== 'function') {
    const kind = f === null ? 'null' : Array.isArray(f) ? 'an array' : typeof f;
    throw Object.assign(new Error(`"${name}" should be a function, but the submission exports ${kind}`), { name: 'WrongExportType' });
  }
  return f as (...args: unknown[]) => unknown;
}

/** Read or write element `flat` of a nested array (row-major), or a plain number. */
function flatAccess(container: { v: unknown }, flat: number, set?: number): number {
  if (typeof container.v === 'number') {
    if (set !== undefined) container.v = set;
    return container.v as number;
  }
  const shape: number[] = [];
  for (let p: unknown = container.v; Array.isArray(p); p = p[0]) shape.push(p.length);
  let node = container.v as unknown[];
  let rest = flat;
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  for (let d = 0; d < shape.length - 1; d++) {
    node = node[Math.floor(rest / strides[d])] as unknown[];
    rest %= strides[d];
  }
  if (set !== undefined) node[rest] = set;
  return node[rest] as number;
}

function valueAt(out: unknown, path: string): unknown {
  let cur: unknown = out;
  if (path) for (const k of path.split('.')) cur = (cur as Record<string, unknown>)?.[k];
  return cur;
}

async function scalarAt(out: unknown, path: string): Promise<number> {
  let cur = valueAt(await out, path);
  if (isTensor(cur)) cur = cur.dataSync()[0];
  if (Array.isArray(cur) && cur.length === 1) cur = cur[0];
  if (typeof cur !== 'number') throw new Error(`expected the loss at "${path || '(the returned value)'}" to be a number, got ${Array.isArray(cur) ? 'an array' : typeof cur}`);
  return cur;
}

/** The numbers of a nested array, typed array or tensor, in row-major order. */
function flatNumbers(v: unknown, what: string): ArrayLike<number> {
  if (typeof v === 'number') return [v];
  if (isTensor(v)) return v.dataSync();
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return v as unknown as ArrayLike<number>;
  if (Array.isArray(v)) {
    const out: number[] = [];
    const walk = (x: unknown) => {
      if (Array.isArray(x)) x.forEach(walk);
      else if (typeof x === 'number') out.push(x);
      else if (ArrayBuffer.isView(x) && !(x instanceof DataView)) out.push(...Array.from(x as unknown as ArrayLike<number>));
      else throw new Error(`${what} holds ${x === null ? 'null' : typeof x}, not only numbers`);
    };
    walk(v);
    return out;
  }
  throw new Error(`${what} is ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}, not a numeric array`);
}

/** Σ f(x)·dout: the scalar whose gradient a layer's backward pass computes for upstream gradient dout. */
async function dotAt(out: unknown, path: string, dout: ArrayLike<number>): Promise<number> {
  const y = flatNumbers(valueAt(await out, path), `the output${path ? ` at "${path}"` : ''}`);
  if (y.length !== dout.length) throw new Error(`the output${path ? ` at "${path}"` : ''} has ${y.length} values, but the upstream gradient dout has ${dout.length}: they must have the same shape`);
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i] * dout[i];
  return s;
}

function isStepRef(v: unknown): v is StepRef {
  return typeof v === 'object' && v !== null && typeof (v as StepRef).__nngradeStep === 'string' && Array.isArray((v as StepRef).path);
}

/** Arguments with every StepRef replaced by that step's output (its value at the path), as it is. */
function fillSteps(v: unknown, outputs: Map<string, unknown>): unknown {
  if (isStepRef(v)) {
    if (!outputs.has(v.__nngradeStep)) throw new Error(`internal: no step "${v.__nngradeStep}"`);
    let cur = outputs.get(v.__nngradeStep);
    for (const k of v.path) {
      if (cur === null || cur === undefined || (typeof cur !== 'object' && typeof cur !== 'function')) {
        throw Object.assign(new Error(`the output of "${v.__nngradeStep}" has no "${v.path.join('.')}" to pass on (it is ${cur === null ? 'null' : typeof cur} before "${k}")`), { name: 'StepOutput' });
      }
      cur = (cur as Record<string, unknown>)[k];
    }
    return cur;
  }
  if (Array.isArray(v)) return v.map((x) => fillSteps(x, outputs));
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fillSteps(x, outputs)]));
  return v;
}

/** Run each step in order, keeping its output for the arguments after it. A failing step says which one it was. */
async function runSteps(mod: Module, steps: TaskStep[] | undefined): Promise<Map<string, unknown>> {
  const outputs = new Map<string, unknown>();
  for (const s of steps ?? []) {
    const f = getFunction(mod, s.export);
    try {
      outputs.set(s.as, await f(...(fillSteps(s.args, outputs) as unknown[])));
    } catch (e) {
      const w = wireError(e);
      throw Object.assign(new Error(`${w.message} (in the call ${s.export}(…) made first, whose output is passed on)`), { name: w.name, stack: w.stack });
    }
  }
  return outputs;
}

async function runGrad(mod: Module, t: GradTask): Promise<GradTaskValue> {
  const f = getFunction(mod, t.export);
  const call = (args: unknown[]) => { Math.random = mulberry32(t.seed); return f(...structuredClone(args)); };
  const dout = t.dout === undefined ? undefined : flatNumbers(t.dout, 'dout');
  const scalar = (out: unknown) => (dout ? dotAt(out, t.lossPath, dout) : scalarAt(out, t.lossPath));
  const forward = await call(t.args);
  const base = toWire(forward);
  // The analytic gradient may take the forward call's output (a layer's cache): it gets it as it was returned.
  const gradArgs = t.gradArgs ? (fillSteps(t.gradArgs, new Map([['forward', forward]])) as unknown[]) : structuredClone(t.args);
  const grad = t.gradExport ? toWire(await getFunction(mod, t.gradExport)(...gradArgs)) : undefined;
  const plus: Record<string, number[]> = {};
  const minus: Record<string, number[]> = {};
  for (const target of t.targets) {
    plus[target.name] = [];
    minus[target.name] = [];
    for (const idx of t.indices[target.name]) {
      for (const sign of [1, -1]) {
        // Every evaluation gets fresh copies: a function that changes an argument cannot change the next.
        const args = structuredClone(t.args);
        const wrt = args[target.arg];
        const holder = target.key === undefined ? { v: wrt } : { v: (wrt as Record<string, unknown>)[target.key] };
        const x0 = flatAccess(holder, idx);
        flatAccess(holder, idx, x0 + sign * t.h);
        if (target.key === undefined) args[target.arg] = holder.v;
        else (wrt as Record<string, unknown>)[target.key] = holder.v;
        Math.random = mulberry32(t.seed);
        (sign > 0 ? plus : minus)[target.name].push(await scalar(f(...args)));
      }
    }
  }
  return { base, grad, plus, minus };
}

export async function runTask(mod: Module, t: Task): Promise<unknown> {
  const original = Math.random;
  Math.random = mulberry32(t.seed);
  try {
    switch (t.op) {
      case 'call': {
        const outputs = await runSteps(mod, t.steps);
        const args = t.steps?.length ? (fillSteps(t.args, outputs) as unknown[]) : t.args;
        const out = await getFunction(mod, t.export)(...args);
        // The arguments after the call, as the function left them (a running mean updated in place).
        return toWire(await serializeModelsIn(t.returnArgs ? { output: out, args } : out));
      }
      case 'value': {
        const v = getExport(mod, t.export);
        return toWire(await serializeModelsIn(typeof v === 'function' ? await (v as () => unknown)() : v));
      }
      case 'grad':
        return await runGrad(mod, t);
      case 'fitPredict': {
        const trained = await getFunction(mod, t.export)(...t.args);
        const at = (v: unknown, p: string) => (p ? p.split('.').reduce<unknown>((c, k) => (c as Record<string, unknown>)?.[k], v) : v);
        const model = at(trained, t.modelPath);
        const predictions = await getFunction(mod, t.predict)(model, t.inputs);
        return toWire({ predictions, history: at(trained, t.historyPath) ?? null });
      }
    }
  } finally {
    Math.random = original;
  }
}
