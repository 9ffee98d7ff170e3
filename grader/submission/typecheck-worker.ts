/** The type checker in a worker thread (dist/typecheck-worker.js): its caches live here, and a check that runs too long is stopped by ending the worker. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { typecheckSubmission, type TypecheckOptions } from './typecheck.ts';

/** Parse the standard and TensorFlow.js declarations into the caches before the first real check. */
async function warm(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nngrade-tswarm-'));
  try {
    writeFileSync(path.join(dir, 'submission.ts'), "import * as tf from '@tensorflow/tfjs';\nexport const x = tf.tensor([1]);\n");
    writeFileSync(path.join(dir, 'interface.d.ts'), 'export declare const x: unknown;\n');
    await typecheckSubmission({ submissionDir: dir, entry: 'submission.ts', interfaceFile: path.join(dir, 'interface.d.ts'), exports: ['x'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

parentPort!.on('message', async (m: { id: number; opts?: TypecheckOptions }) => {
  if (!m.opts) {
    await warm().catch(() => {});
    return;
  }
  parentPort!.postMessage({ id: m.id, result: await typecheckSubmission(m.opts) });
});
