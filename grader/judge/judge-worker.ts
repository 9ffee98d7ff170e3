/**
 * A judge in a worker thread (dist/judge-worker.js): the same plan made again from the spec file
 * (the reference's values come from the cache), then judgeRun on each run record posted to it. A
 * batch's main thread then only serves the sandboxes, while the worker rebuilds and evaluates models.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadAssignment } from '../spec/load.ts';
import { planHash, prepareAssignment, prepareVariant, type GradeOptions } from '../plan/plan.ts';
import { judgeRun } from './judge-run.ts';
import { isUserError } from '../util/errors.ts';
import type { RunRecord } from '../run/record.ts';

const { specFile } = workerData as { specFile: string };
const plan = prepareAssignment(loadAssignment(specFile), { skipMissingData: true });
// A failed plan is reported per request (and on the ready message), never as an unhandled rejection.
plan.catch(() => {});
void plan.then((p) => parentPort!.postMessage({ ready: planHash(p) }), (e: Error) => parentPort!.postMessage({ ready: null, error: e.message }));

parentPort!.on('message', async (m: { id: number; record: RunRecord; student?: string; opts: GradeOptions }) => {
  try {
    const prep = await plan;
    const result = await judgeRun(m.student ? await prepareVariant(prep, m.student) : prep, m.record, m.opts);
    parentPort!.postMessage({ id: m.id, result });
  } catch (e) {
    const err = e as Error;
    parentPort!.postMessage({ id: m.id, error: { message: String(err?.message ?? e), stack: err?.stack, user: isUserError(e) } });
  }
});
