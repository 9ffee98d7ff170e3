/**
 * Judging off the main thread, for batches: one worker thread holding the same plan (checked by its
 * hash), given run records and returning results. When the worker cannot start, or its plan is not the
 * batch's, judging stays in this thread: the results are the same either way (tested).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../util/paths.ts';
import { UserError } from '../util/errors.ts';
import { planHash, type GradeOptions, type PreparedAssignment } from '../plan/plan.ts';
import { judgeRun } from './judge-run.ts';
import type { GradeResult } from './result.ts';
import type { RunRecord } from '../run/record.ts';

type Reply = { id: number; result?: GradeResult; error?: { message: string; stack?: string; user: boolean } };

export class JudgePool {
  private worker?: Worker;
  private ready?: Promise<boolean>;
  private seq = 0;
  private readonly waiting = new Map<number, (r: Reply) => void>();

  constructor(prep: PreparedAssignment) {
    const file = path.join(packageRoot(), 'dist', 'judge-worker.js');
    if (!existsSync(file)) return;
    const w = new Worker(file, { workerData: { specFile: path.resolve(prep.loaded.file) } });
    this.worker = w;
    const expected = planHash(prep);
    this.ready = new Promise((resolve) => {
      w.on('message', (m: Reply & { ready?: string | null }) => {
        if ('ready' in m) return resolve(m.ready === expected);
        this.waiting.get(m.id)?.(m);
        this.waiting.delete(m.id);
      });
      const fail = (message: string) => {
        resolve(false);
        this.worker = undefined;
        for (const [id, done] of this.waiting) done({ id, error: { message, user: false } }), this.waiting.delete(id);
      };
      w.on('error', (e) => fail(`the judge worker failed: ${e.message}`));
      w.on('exit', () => fail('the judge worker stopped'));
    });
  }

  /** Judge a run record: in the worker when it holds this plan, else here. */
  async judge(prep: PreparedAssignment, record: RunRecord, opts: GradeOptions): Promise<GradeResult> {
    const w = this.worker;
    if (!w || !(await this.ready) || !this.worker) return judgeRun(prep, record, opts);
    const id = ++this.seq;
    const reply = await new Promise<Reply>((resolve) => {
      this.waiting.set(id, resolve);
      w.postMessage({ id, record, student: prep.variant?.student, opts });
    });
    if (reply.result) return reply.result;
    const e = reply.error!;
    if (e.user) throw new UserError(e.message);
    throw Object.assign(new Error(e.message), { stack: e.stack });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }
}
