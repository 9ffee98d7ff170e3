/**
 * One place that picks and starts the TensorFlow.js backend for the grader and
 * the sandbox child:
 *
 *   @tensorflow/tfjs-node (native libtensorflow, an optional dependency)
 *     -> @tensorflow/tfjs + @tensorflow/tfjs-backend-wasm (XNNPACK, single thread)
 *     -> @tensorflow/tfjs cpu backend (plain JS, slow)
 *
 * `NNGRADE_TF_BACKEND=tensorflow|wasm|cpu` (or `opts.prefer`) forces one; a forced
 * backend that cannot load is an error, never a silent fallback. Every backend
 * that was skipped says why in `notes`, so results can record what produced them.
 *
 * The wasm backend reads its .wasm binary from node_modules with fs (no fetch,
 * no worker threads: the threaded build is never selected in Node), so it runs
 * under Node's permission model with only `--allow-fs-read` for node_modules.
 * On wasm the training kernels it lacks are registered (./wasm-kernels.ts).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { existsSync } from 'node:fs';
import type * as TF from '@tensorflow/tfjs';
import { registerWasmTrainingKernels, type WasmKernelRegistration } from './wasm-kernels.ts';

export type TfBackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface InitTfOptions {
  /** Start from this backend (the env var NNGRADE_TF_BACKEND wins over it). Without either: tensorflow, wasm, cpu in that order. */
  prefer?: TfBackendName;
}

export interface TfRuntime {
  tf: typeof TF;
  /** The backend in use: 'tensorflow' (tfjs-node), 'wasm' or 'cpu'. */
  backend: string;
  tfjsVersion: string;
  /** Why backends were skipped, which wasm binary was loaded, which kernels were registered. */
  notes: string[];
  /** On wasm: the kernels added/replaced by registerWasmTrainingKernels. */
  wasmKernels?: WasmKernelRegistration;
}

export const TF_BACKEND_ENV = 'NNGRADE_TF_BACKEND';
const ORDER: TfBackendName[] = ['tensorflow', 'wasm', 'cpu'];

let current: Promise<TfRuntime> | undefined;

/**
 * Loads tfjs and sets the backend before any tensor is created. Idempotent: later
 * calls return the first call's runtime (whatever options they pass; check
 * `backend` if it matters).
 */
export function initTf(opts: InitTfOptions = {}): Promise<TfRuntime> {
  current ??= start(opts).catch((e) => {
    current = undefined;
    throw e;
  });
  return current;
}

function parseForced(): TfBackendName | undefined {
  const v = process.env[TF_BACKEND_ENV]?.trim().toLowerCase();
  if (!v) return undefined;
  const alias: Record<string, TfBackendName> = { tensorflow: 'tensorflow', node: 'tensorflow', 'tfjs-node': 'tensorflow', wasm: 'wasm', cpu: 'cpu' };
  const b = alias[v];
  if (!b) throw new Error(`${TF_BACKEND_ENV}=${process.env[TF_BACKEND_ENV]} is not a backend: use tensorflow, wasm or cpu`);
  return b;
}

async function start(opts: InitTfOptions): Promise<TfRuntime> {
  const forced = parseForced();
  const notes: string[] = [];
  const first = forced ?? opts.prefer ?? 'tensorflow';
  const candidates = forced ? [forced] : ORDER.slice(ORDER.indexOf(first));
  if (forced) notes.push(`${TF_BACKEND_ENV}=${forced} forces the ${forced} backend`);
  for (const name of candidates) {
    try {
      const rt = await tryBackend(name, notes);
      if (rt) return rt;
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      if (forced) throw new Error(`the ${name} backend (forced by ${TF_BACKEND_ENV}) could not start: ${why}`);
      notes.push(`${name}: skipped (${firstLine(why)})`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start:\n  ${notes.join('\n  ')}`);
}

function firstLine(s: string): string {
  const l = s.split('\n')[0] ?? s;
  return l.length > 300 ? l.slice(0, 297) + '...' : l;
}

async function tryBackend(name: TfBackendName, notes: string[]): Promise<TfRuntime | undefined> {
  if (name === 'tensorflow') {
    // A variable specifier so bundlers leave it alone and tsc does not require the (optional) package.
    const spec = '@tensorflow/tfjs-node';
    const mod = (await import(spec)) as Partial<typeof TF> & { default?: typeof TF };
    const tf = (typeof mod.setBackend === 'function' ? mod : mod.default) as typeof TF;
    if (!(await tf.setBackend('tensorflow'))) throw new Error('tf.setBackend("tensorflow") returned false');
    await tf.ready();
    return { tf, backend: tf.getBackend(), tfjsVersion: tf.version.tfjs, notes };
  }
  const tf = await import('@tensorflow/tfjs');
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const dir = wasmDir();
    // Single-threaded build only: the threaded one would need worker_threads (refused under the permission model).
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasm.setWasmPaths(dir + path.sep);
    const kernels = registerWasmTrainingKernels(tf);
    let ok: boolean;
    try {
      ok = await tf.setBackend('wasm');
    } catch (e) {
      throw new Error(`could not load the wasm binary from ${dir}: ${e instanceof Error ? e.message : (e as { message?: string })?.message ?? String(e)}`);
    }
    if (!ok) throw new Error(`tf.setBackend("wasm") returned false (wasm binaries in ${dir})`);
    await tf.ready();
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    notes.push(`wasm: ${simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm'} from ${dir}, 1 thread`);
    notes.push(`wasm: registered kernels ${[...kernels.added, ...kernels.replaced.map((k) => `${k} (replaced)`)].join(', ')}`);
    return { tf, backend: tf.getBackend(), tfjsVersion: tf.version.tfjs, notes, wasmKernels: kernels };
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('tf.setBackend("cpu") returned false');
  await tf.ready();
  // The cpu backend prints an advert for tfjs-node on its first tensor; the notes say it instead.
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  notes.push('cpu: plain JavaScript kernels (slow for training CNNs)');
  return { tf, backend: tf.getBackend(), tfjsVersion: tf.version.tfjs, notes };
}

/** The folder holding tfjs-backend-wasm's .wasm binaries (node_modules/@tensorflow/tfjs-backend-wasm/dist). */
export function wasmDir(): string {
  // From this module (in the repo or its dist/), else from the working directory (a bundle run from elsewhere).
  let main: string | undefined;
  for (const base of [import.meta.url, path.join(process.cwd(), 'package.json')]) {
    try {
      main = createRequire(base).resolve('@tensorflow/tfjs-backend-wasm');
      break;
    } catch {
      /* try the next base */
    }
  }
  if (!main) throw new Error('cannot resolve @tensorflow/tfjs-backend-wasm (is it installed?)');
  const dir = path.dirname(main);
  const file = path.join(dir, 'tfjs-backend-wasm.wasm');
  if (!existsSync(file)) throw new Error(`the wasm binaries are not beside ${main} (looked for ${file})`);
  return dir;
}

/** For tests: forget the runtime so the next initTf starts afresh (the tfjs globals stay loaded). */
export function resetTfForTests(): void {
  current = undefined;
}
