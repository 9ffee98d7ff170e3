/** The type checker in a worker thread (dist/typecheck-worker.js): its caches live here, and a check that runs too long is stopped by ending the worker. */
import { parentPort } from 'node:worker_threads';
import { typecheckSubmission, type TypecheckOptions } from './typecheck.ts';

parentPort!.on('message', async (m: { id: number; opts: TypecheckOptions }) => {
  parentPort!.postMessage({ id: m.id, result: await typecheckSubmission(m.opts) });
});
