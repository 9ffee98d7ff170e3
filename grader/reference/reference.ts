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
import { UserError } from '../util/errors.ts';
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
  /** Hash of the bundled reference code. */
  hash: string;
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
  const key = createHash('sha256').update(ref.hash).update(runner).update(serialize(tasks)).digest('hex').slice(0, 24);
  const file = path.join(cacheDir(), 'expected', `${key}.bin`);
  if (existsSync(file)) {
    try {
      const bytes = readFileSync(file);
      const body = bytes.subarray(32);
      // A damaged (or replaced) entry is recomputed: the first 32 bytes are the SHA-256 of the rest.
      if (createHash('sha256').update(body).digest().equals(bytes.subarray(0, 32))) return new Map(deserialize(body) as [string, unknown][]);
    } catch {
      /* recomputed below */
    }
  }
  const values = new Map<string, unknown>();
  for (const t of tasks) {
    try {
      // On a copy: a reference that changes its arguments must not change what the students are given.
      values.set(t.id, await runTask(ref.module, structuredClone(t)));
    } catch (e) {
      const err = e as Error;
      const loc = locateInStack(err.stack, path.dirname(ref.entry));
      throw new UserError(`the reference failed on ${label(t)}: ${err.message}`, { where: loc ? `${displayPath(path.join(path.dirname(ref.entry), loc.file))}:${loc.line}` : displayPath(ref.entry), hint: 'the reference must run cleanly on every fixture; fix it or the spec' });
    }
  }
  const body = serialize([...values.entries()]);
  writeFileAtomic(file, Buffer.concat([createHash('sha256').update(body).digest(), body]));
  return values;
}

/** Call a reference export directly (trusted), for values derived from a student's output. */
export function callReference(ref: Reference, name: string, args: unknown[]): unknown {
  const f = ref.module[name];
  if (typeof f !== 'function') throw new UserError(`the reference does not export a function "${name}"`, { where: displayPath(ref.entry) });
  return toWire((f as (...a: unknown[]) => unknown)(...structuredClone(args)));
}

export { formatLocation };
