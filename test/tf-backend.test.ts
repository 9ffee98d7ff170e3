// Backend selection. The in-process checks share this file's tfjs global; the env var
// and the permission model are checked in child processes (a bundle of a small script).
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { initTf } from '../grader/tf/backend.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const NODE_MODULES = path.join(ROOT, 'node_modules');

/** Bundles `source` (TS, may import grader modules by absolute path) into a temp dir; @tensorflow/* stay external, by absolute path. */
async function bundle(source: string): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nngrade-tfchild-'));
  const entry = path.join(dir, 'entry.ts');
  writeFileSync(entry, source);
  const req = createRequire(path.join(ROOT, 'package.json'));
  await build({
    entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: path.join(dir, 'child.mjs'), logLevel: 'silent',
    plugins: [{ name: 'tf-external', setup(b) { b.onResolve({ filter: /^@tensorflow\// }, (a) => ({ path: req.resolve(a.path), external: true })); } }],
  });
  return path.join(dir, 'child.mjs');
}

const CHILD = `
import { initTf } from ${JSON.stringify(path.join(ROOT, 'grader/tf/backend.ts'))};
try {
  const rt = await initTf();
  const tf = rt.tf;
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  m.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy' });
  const loss = await m.trainOnBatch(tf.randomUniform([4, 8, 8, 1]), tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3));
  console.log(JSON.stringify({ backend: rt.backend, notes: rt.notes, loss }));
} catch (e) {
  console.log(JSON.stringify({ error: e.message }));
  process.exitCode = 3;
}
`;

let child = '';
beforeAll(async () => {
  child = await bundle(CHILD);
});

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [...args, child], {
    cwd: ROOT, encoding: 'utf8', timeout: 60_000,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir(), ...env },
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  let out: { backend?: string; notes?: string[]; loss?: number; error?: string } = {};
  try {
    out = JSON.parse(line);
  } catch {
    /* leave empty: the assertions below show stdout/stderr */
  }
  return { ...r, out };
}

describe('initTf', () => {
  it('falls back from the absent tfjs-node to wasm, says why, and is idempotent', async () => {
    delete process.env.NNGRADE_TF_BACKEND;
    const a = await initTf();
    const b = await initTf({ prefer: 'cpu' });
    expect(b).toBe(a);
    expect(a.backend).toBe('wasm');
    expect(a.tf.getBackend()).toBe('wasm');
    expect(a.tfjsVersion).toBe('4.22.0');
    expect(a.notes[0]).toMatch(/^tensorflow: skipped \(.*@tensorflow\/tfjs-node/);
    expect(a.notes.join('\n')).toMatch(/wasm: tfjs-backend-wasm(-simd)?\.wasm from .*tfjs-backend-wasm[/\\]dist, 1 thread/);
    expect(a.wasmKernels?.added).toContain('Conv2DBackpropFilter');
  });

  it('runs and trains a CNN under the Node permission model with only node_modules readable (no workers, no child processes)', () => {
    const r = run(['--experimental-permission', `--allow-fs-read=${NODE_MODULES}/*`, `--allow-fs-read=${path.dirname(child)}/*`, '--no-warnings']);
    expect(r.stderr).not.toMatch(/ERR_ACCESS_DENIED/);
    expect(r.out, r.stdout + r.stderr).toMatchObject({ backend: 'wasm' });
    expect(Number.isFinite(r.out.loss)).toBe(true);
  });

  it('under the permission model, an unreadable wasm binary makes initTf fall back to cpu and say why (the read is real)', () => {
    // Everything in node_modules readable except the .wasm binaries.
    const wasmPkg = path.join(NODE_MODULES, '@tensorflow', 'tfjs-backend-wasm');
    const allow = [
      ...readdirSync(NODE_MODULES).filter((d) => d !== '@tensorflow').map((d) => path.join(NODE_MODULES, d)),
      ...readdirSync(path.join(NODE_MODULES, '@tensorflow')).filter((d) => d !== 'tfjs-backend-wasm').map((d) => path.join(NODE_MODULES, '@tensorflow', d)),
    ].map((p) => `--allow-fs-read=${p}/*`);
    const jsOnly = ['package.json', 'dist/tf-backend-wasm.node.js'].map((f) => `--allow-fs-read=${path.join(wasmPkg, f)}`);
    const r = run(['--experimental-permission', ...allow, ...jsOnly, `--allow-fs-read=${path.dirname(child)}/*`, '--no-warnings']);
    expect(r.out, r.stdout + r.stderr).toMatchObject({ backend: 'cpu' });
    expect(r.out.notes?.join('\n')).toMatch(/wasm: skipped \(.*(ERR_ACCESS_DENIED|permission|denied|Access to this API)/i);
  });

  it('NNGRADE_TF_BACKEND forces a backend; a forced backend that cannot start is an error', () => {
    expect(run([], { NNGRADE_TF_BACKEND: 'cpu' }).out).toMatchObject({ backend: 'cpu' });
    expect(run([], { NNGRADE_TF_BACKEND: 'wasm' }).out).toMatchObject({ backend: 'wasm' });
    const forced = run([], { NNGRADE_TF_BACKEND: 'tensorflow' });
    expect(forced.status).toBe(3);
    expect(forced.out.error).toMatch(/^the tensorflow backend \(forced by NNGRADE_TF_BACKEND\) could not start: .*tfjs-node/);
    expect(run([], { NNGRADE_TF_BACKEND: 'gpu' }).out.error).toBe('NNGRADE_TF_BACKEND=gpu is not a backend: use tensorflow, wasm or cpu');
  });
});
