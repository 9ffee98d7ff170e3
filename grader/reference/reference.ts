/**
 * The instructor's reference: bundled and imported in the trusted grader
 * process, asked the same tasks as the student's code, its values cached on
 * disk by a hash of (reference code, tasks). The sandbox never sees it.
 */
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomic.ts';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { serialize, deserialize } from 'node:v8';
import { fillReferenceRefs } from '../parts/chain.ts';
import { UserError } from '../util/errors.ts';
import { hashValue } from '../util/hash-value.ts';
import { providedPackagesPlugin } from '../submission/bundle.ts';
import { displayPath } from '../util/paths.ts';
import type { Task } from '../sandbox/protocol.ts';
import { runTask, toWire, type Module } from '../sandbox/tasks.ts';
import { serializeModelsIn } from '../tf/model-wire.ts';
import { locateInStack, formatLocation } from '../sandbox/locate.ts';

export function cacheDir(): string {
  return process.env.NNGRADE_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'nngrade');
}

export interface Reference {
  entry: string;
  module: Module;
  /** Hash of the bundled reference code (or of the precomputed values). */
  hash: string;
  /** Only precomputed values (a release): no code to call. */
  precomputed?: boolean;
}

const loaded = new Map<string, Reference>();

/**
 * Bundle and import the reference. With `exports`, only those (tree-shaken), so a
 * check of from-scratch parts does not load tf just because the reference's models use it.
 */
export async function loadReference(entry: string, exports?: string[]): Promise<Reference> {
  const input = exports
    ? { stdin: { contents: `export { ${[...new Set(exports)].join(', ')} } from ${JSON.stringify(`./${path.basename(entry)}`)};`, resolveDir: path.dirname(entry), sourcefile: 'nngrade-reference.ts', loader: 'ts' as const } }
    : { entryPoints: [entry] };
  const r = await build({ ...input, bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false, logLevel: 'silent', sourcemap: 'inline', plugins: [providedPackagesPlugin()] }).catch((e: { errors?: { text: string; location?: { file: string; line: number } }[] }) => {
    const first = e.errors?.[0];
    const missing = (e.errors ?? []).map((x) => /No matching export in "[^"]*" for import "([^"]+)"/.exec(x.text)?.[1]).filter(Boolean);
    if (missing.length) throw new UserError(`the reference does not export ${missing.map((m) => `"${m}"`).join(', ')}, which the parts call`, { where: displayPath(entry) });
    throw new UserError(`the reference implementation does not compile: ${first?.text ?? String(e)}`, { where: first?.location ? `${first.location.file}:${first.location.line}` : displayPath(entry) });
  });
  const code = r.outputFiles[0].text;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const hit = loaded.get(hash);
  if (hit) return hit;
  const dir = path.join(cacheDir(), 'reference');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${hash}.mjs`);
  // Imported in the trusted process: what is there must be exactly the code just bundled.
  if (!existsSync(file) || readFileSync(file, 'utf8') !== code) {
    writeFileAtomic(file, code);
  }
  const module = (await import(pathToFileURL(file).href)) as Module;
  const ref = { entry, module, hash };
  loaded.set(hash, ref);
  return ref;
}

/** The reference's value for every task, from the cache when the code and tasks are unchanged. */
export async function referenceValues(ref: Reference, tasks: Task[], label: (t: Task) => string): Promise<Map<string, unknown>> {
  // The key covers the reference's code, the tasks, and the code that runs tasks and packs their values.
  const runner = [runTask, toWire, serializeModelsIn].map((f) => f.toString()).join('\n');
  const h = createHash('sha256').update(ref.hash).update(runner);
  hashValue(h, tasks);
  const key = h.digest('hex').slice(0, 24);
  const file = path.join(cacheDir(), 'expected', `${key}.bin`);
  // A damaged (or replaced) entry is recomputed.
  const cached = readSealed(file);
  if (cached) return new Map(cached as [string, unknown][]);
  const values = new Map<string, unknown>();
  for (const t of tasks) {
    try {
      // On a copy: a reference that changes its arguments must not change what the students are given.
      values.set(t.id, await runTask(ref.module, fillReferenceRefs(structuredClone(t), values)));
    } catch (e) {
      const err = e as Error;
      const loc = locateInStack(err.stack, path.dirname(ref.entry));
      throw new UserError(`the reference failed on ${label(t)}: ${err.message}`, { where: loc ? `${displayPath(path.join(path.dirname(ref.entry), loc.file))}:${loc.line}` : displayPath(ref.entry), hint: 'the reference must run cleanly on every fixture; fix it or the spec' });
    }
  }
  writeSealed(file, [...values.entries()]);
  return values;
}

/** A value as V8 serialises it, after the SHA-256 of those bytes (so damage or an edit is noticed). */
export function writeSealed(file: string, value: unknown): void {
  const body = serialize(value);
  writeFileAtomic(file, Buffer.concat([createHash('sha256').update(body).digest(), body]));
}

/** The value of a sealed file; undefined when it is missing, damaged or edited. */
export function readSealed(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    const bytes = readFileSync(file);
    const body = bytes.subarray(32);
    if (!createHash('sha256').update(body).digest().equals(bytes.subarray(0, 32))) return undefined;
    return deserialize(body);
  } catch {
    return undefined;
  }
}

/**
 * Which task a precomputed value answers: a value is used only for the very task it was computed on.
 * By value (not V8's serialisation, which stores a small integer and the same double differently).
 */
export function taskKey(t: Task): string {
  const h = createHash('sha256');
  hashValue(h, t);
  return h.digest('hex').slice(0, 24);
}

/**
 * The reference's values precomputed into a file (a release): task id → [task key, value]. Loading
 * them stands in for running the reference; a task whose key differs (the spec was changed after the
 * release) has no value.
 */
export function writeReferenceValues(file: string, tasks: Task[], values: Map<string, unknown>): void {
  writeSealed(file, { format: 1, values: tasks.filter((t) => values.has(t.id)).map((t) => [t.id, taskKey(t), values.get(t.id)]) });
}

export function readReferenceValues(file: string): { hash: string; values: Map<string, { key: string; value: unknown }> } {
  const data = readSealed(file) as { format?: number; values?: [string, string, unknown][] } | undefined;
  if (!data || data.format !== 1 || !Array.isArray(data.values)) {
    throw new UserError(`${displayPath(file)} is not a readable file of expected values (damaged or edited since the release was made)`, { hint: 'get the release again from your instructor' });
  }
  return { hash: createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16), values: new Map(data.values.map(([id, key, value]) => [id, { key, value }])) };
}

/** Call a reference export directly (trusted), for values derived from a student's output. */
export function callReference(ref: Reference, name: string, args: unknown[]): unknown {
  if (ref.precomputed) throw new UserError(`this part calls the reference's ${name}() on your output, and this release carries no reference code: it is graded with the instructor's private overlay`);
  const f = ref.module[name];
  if (typeof f !== 'function') throw new UserError(`the reference does not export a function "${name}"`, { where: displayPath(ref.entry) });
  return toWire((f as (...a: unknown[]) => unknown)(...structuredClone(args)));
}

export { formatLocation };
