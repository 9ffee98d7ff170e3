/**
 * Type-checking a submission off the main thread: one long-lived worker (its parsed .d.ts files are
 * cached there, ~0.2 s per warm check, ~2.5 s for the first), a time limit after which the worker is
 * ended (a hostile submission can make the checker run for very long), and a result that is never an
 * exception: a check that could not run says why in `skipped`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../util/paths.ts';
import type { TypecheckOptions, TypecheckResult } from './typecheck.ts';

let worker: Worker | undefined;
let seq = 0;
/** The checks each worker owes (a stopped worker fails only its own). */
type Owed = Map<number, { opts: TypecheckOptions; timeoutMs: number; timer: NodeJS.Timeout; done: (r: TypecheckResult) => void }>;
const owed = new WeakMap<Worker, Owed>();

const workerFile = () => path.join(packageRoot(), 'dist', 'typecheck-worker.js');

function startWorker(): Worker {
  const w = new Worker(workerFile(), { resourceLimits: { maxOldGenerationSizeMb: 1536 } });
  const waiting: Owed = new Map();
  owed.set(w, waiting);
  w.on('message', (m: { id: number; result: TypecheckResult }) => {
    waiting.get(m.id)?.done(m.result);
    waiting.delete(m.id);
    if (!waiting.size) w.unref();
  });
  const fail = (why: string) => {
    if (worker === w) worker = undefined;
    for (const [id, { done }] of waiting) done({ problems: [], ms: 0, skipped: why }), waiting.delete(id);
  };
  w.on('error', (e) => fail(`internal error: ${e.message}`));
  w.on('exit', () => fail('the type checker stopped'));
  // Listening refs the worker: it keeps the process alive only while a check is waited for.
  w.unref();
  return w;
}

/** Type-check a submission against an interface within `timeoutMs` (default 30 s). */
export async function typecheckIsolated(opts: TypecheckOptions, timeoutMs = 30_000): Promise<TypecheckResult> {
  if (!existsSync(workerFile())) {
    // Running from the sources without a build: in this thread (tests build first).
    const { typecheckSubmission } = await import('./typecheck.ts');
    return typecheckSubmission(opts);
  }
  const w = (worker ??= startWorker());
  const waiting = owed.get(w)!;
  const id = ++seq;
  const t0 = performance.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      if (worker === w) worker = undefined;
      // The other hand-ins this worker was checking are not at fault: they are checked again by a fresh one.
      const others = [...waiting.values()];
      waiting.clear();
      for (const o of others) {
        clearTimeout(o.timer);
        void typecheckIsolated(o.opts, o.timeoutMs).then(o.done);
      }
      void w.terminate();
      resolve({ problems: [], ms: Math.round(performance.now() - t0), skipped: `the type check took longer than ${Math.round(timeoutMs / 1000)} s and was stopped` });
    }, timeoutMs);
    timer.unref();
    waiting.set(id, {
      opts,
      timeoutMs,
      timer,
      done: (r) => {
        clearTimeout(timer);
        resolve(r);
      },
    });
    w.ref();
    w.postMessage({ id, opts });
  });
}

/** Start the worker and let it parse the standard declarations now, while the run is prepared (saves ~2 s of the first check's wall time). */
export function warmTypechecker(): void {
  if (worker || !existsSync(workerFile())) return;
  worker = startWorker();
  worker.postMessage({ id: 0 });
}

