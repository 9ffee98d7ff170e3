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

/**
 * A value an argument takes from an earlier call in the same task: the output of step `step` (or,
 * in a gradient check, of the call at the base point: "forward") at `path`. The child fills it in, so
 * whatever the student's earlier call returned (a cache of closures or tensors) reaches the next one as it is.
 */
export interface StepRef {
  __nngradeStep: string;
  path: string[];
}

/** A call made before the task's own call; its output is named `as` for the arguments after it. */
export interface TaskStep {
  as: string;
  export: string;
  args: unknown[];
}

export interface CallTask {
  op: 'call';
  id: string;
  export: string;
  args: unknown[];
  /** Calls made first, in order, whose outputs later arguments refer to (StepRef). */
  steps?: TaskStep[];
  /** Some arguments are a reference step's output, filled in by the grader before the task is sent. */
  fromReference?: true;
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
  /** What is perturbed, by name: argument `arg`, or its entry `key` when the argument is an object of arrays. */
  targets: { name: string; arg: number; key?: string }[];
  /** Flat indices checked, per target name. */
  indices: Record<string, number[]>;
  h: number;
  /** Path of the scalar loss in the output; with `dout`, of the output array f(x). */
  lossPath: string;
  /** An upstream gradient: the scalar is then Σ f(x)·dout (a layer's gradient check). */
  dout?: unknown;
  /** Optional separate export computing the analytic gradient. */
  gradExport?: string;
  /** Its arguments (default: the same as the call's); StepRef "forward" is the output at the base point. */
  gradArgs?: unknown[];
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
