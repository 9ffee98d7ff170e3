/**
 * The run record: what running one submission produced, before any judging.
 * The raw outcome of every task (values, errors, timeouts, what it printed),
 * the files parts took from the submission as data, the bundle's compile
 * errors and static-scan violations, timings, backend and isolation. Saved
 * beside each result, it lets `regrade` judge again without running student
 * code. Stored as JSON; typed arrays and buffers are base64 under reserved
 * keys (which a submission's own values cannot hold: validate.ts refuses keys
 * starting with NUL).
 */
import type { TypecheckResult } from '../submission/typecheck.ts';
import type { TaskOutcome } from '../sandbox/sandbox.ts';
import type { CompileError } from '../submission/bundle.ts';
import type { Violation } from '../submission/scan.ts';

export const RUN_RECORD_VERSION = 1;

export interface PartRun {
  /** The part's tasks were run (or its files read) in this record. */
  ran: boolean;
  /** Hash of what the part asked the submission (plan.taskHash): regrade needs it unchanged. */
  tasks: string;
  violations?: Violation[];
  /** Time spent running this part's tasks. */
  ms: number;
}

export interface RunRecord {
  formatVersion: typeof RUN_RECORD_VERSION;
  assignment: { id: string; version: string };
  /** `dir` as given; `realDir` with symlinks resolved (what stack traces and the bundle name). */
  submission: { dir: string; realDir: string; entry: string };
  /** The sandbox's temp folder (its paths are shortened in messages). */
  sandboxDir: string;
  startedAt: string;
  durationMs: number;
  nngradeVersion: string;
  isolation: string[];
  bundle: { exports: string[]; usesTf: boolean; compileErrors: CompileError[] };
  /** Part ids this run was asked to grade. */
  selected: string[];
  parts: Record<string, PartRun>;
  /** Every task's outcome (and every collected file), by task id. */
  outcomes: Record<string, TaskOutcome>;
  /** What the run stage noticed about the hand-in itself (a provided read-only file changed). */
  notes?: string[];
  /** The type check against interface.d.ts, when one was asked for (check's default, a typecheck part). */
  typecheck?: TypecheckResult;
}

const F64 = '\u0000f64';
const BYTES = '\u0000bytes';

export function encodeRunRecord(r: RunRecord): string {
  return JSON.stringify(r, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    if (raw instanceof Float64Array) return { [F64]: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') };
    if (raw instanceof ArrayBuffer) return { [BYTES]: Buffer.from(raw).toString('base64') };
    return v;
  });
}

export function decodeRunRecord(text: string): RunRecord {
  return JSON.parse(text, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if (typeof o[F64] === 'string') {
        const b = Buffer.from(o[F64] as string, 'base64');
        return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
      }
      if (typeof o[BYTES] === 'string') {
        const b = Buffer.from(o[BYTES] as string, 'base64');
        return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
      }
    }
    return v;
  }) as RunRecord;
}
