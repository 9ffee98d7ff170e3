/**
 * The sandbox protocol (versioned). The parent sends tasks; the child runs the
 * student's bundle and sends back raw values only. Nothing in the child judges.
 *
 * Messages travel as frames on the child's fd 3 (channel.ts), never through
 * Node's IPC, and every message from the child is checked (validate.ts).
 *
 * parent → child: { type: 'prepare', tf }           (a pre-warmed child loads tf before its submission is known)
 * parent → child: { type: 'load', bundle }           child → parent: { type: 'loaded', exports }
 * parent → child: { type: 'task', task, mark }       child → parent: { type: 'result', id, ok, value | error, ms, dirty }
 *                                                    child → parent: { type: 'fault', error } (an error outside any task)
 */
export const PROTOCOL_VERSION = 2;

export interface CallTask {
  op: 'call';
  id: string;
  export: string;
  args: unknown[];
  /** Also send back the arguments as the call left them (functions that update an argument in place). */
  returnArgs?: boolean;
  /** Seed for the child's Math.random during this task, so runs repeat. */
  seed: number;
}

/** Read an export's value; a function is called with no arguments. */
export interface ValueTask {
  op: 'value';
  id: string;
  export: string;
  seed: number;
}

/**
 * Central differences for a gradient check: call `export` at the base point,
 * then with args[wrt.arg] (or its key) perturbed by ±h at the listed flat
 * indices, and report the scalar at `lossPath` for each evaluation.
 */
export interface GradTask {
  op: 'grad';
  id: string;
  export: string;
  args: unknown[];
  seed: number;
  wrtArg: number;
  /** Parameter names inside args[wrtArg] (an object of arrays), or [''] for the argument itself. */
  keys: string[];
  indices: Record<string, number[]>;
  h: number;
  lossPath: string;
  /** Optional separate export computing the analytic gradient on the same args. */
  gradExport?: string;
}

/**
 * A from-scratch model: call `export` (train) on `args`, take the model at `modelPath` of what it
 * returns ("" = the value itself), and call `predict(model, inputs)`. The test inputs come here; their
 * labels never do (the grader scores the predictions).
 */
export interface FitPredictTask {
  op: 'fitPredict';
  id: string;
  export: string;
  args: unknown[];
  predict: string;
  inputs: unknown;
  modelPath: string;
  historyPath: string;
  seed: number;
}

export type Task = CallTask | ValueTask | GradTask | FitPredictTask;

export interface GradTaskValue {
  base: unknown;
  grad?: unknown;
  plus: Record<string, number[]>;
  minus: Record<string, number[]>;
}

export interface WireError {
  name: string;
  message: string;
  stack?: string;
}

export type ChildMessage =
  | { type: 'ready'; protocol: number; node: string }
  | { type: 'loaded'; exports: Record<string, string>; backend?: string }
  | { type: 'loadError'; error: WireError }
  | { type: 'result'; id: string; ok: true; value: unknown; ms: number; backend?: string; dirty?: boolean }
  | { type: 'result'; id: string; ok: false; error: WireError; ms: number; backend?: string; dirty?: boolean }
  | { type: 'fault'; error: WireError };

/** `tf`: the submission imports TensorFlow.js; the child sets up the backend before loading it. */
/** `mark`: written to stdout and stderr when the task ends (a fresh one per task), so its output is told apart from the next's. */
export type ParentMessage = { type: 'prepare'; tf: boolean } | { type: 'load'; bundle: string; tf?: boolean } | { type: 'task'; task: Task; mark: string };
