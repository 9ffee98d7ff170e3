/**
 * The result format (versioned, plain JSON). `nngrade check --json` prints a
 * GradeResult; the README documents every field. Bump RESULT_FORMAT_VERSION
 * on any change that is not a pure addition.
 */
import type { Summary } from './values.ts';
import type { Visibility } from '../spec/types.ts';

export const RESULT_FORMAT_VERSION = 1;

/** `pending`: waits for a person's grading (manual parts); counted apart from the autograded score, never as 0. */
export type PartStatus = 'passed' | 'partial' | 'failed' | 'error' | 'timeout' | 'skipped' | 'pending';

/** A part graded by a person: the question, the student's answer, the rubric and, once graded, what was applied. */
export interface ManualGrading {
  question: string;
  /** The answer's text (capped), or undefined with `missing` saying why. */
  answer?: string;
  missing?: string;
  /** Where the answer came from (a file of the submission, or an export). */
  source: string;
  rubric: { id: string; points: number; text: string }[];
  /** Set once graded (`nngrade scores import`): the rubric items applied, a comment, who and when. */
  applied?: string[];
  comment?: string;
  gradedAt?: string;
}

export interface Check {
  /** What was checked, e.g. "seed 0 › gradients.W1" or "loss_history never increases". */
  name: string;
  passed: boolean;
  /** Share of the part's points this check carries (relative weight). */
  weight: number;
  /** Points this check earned. */
  points: number;
  /** Partial credit in [0, 1] for a graded check (e.g. an accuracy between the floor and the target); default 1 if passed else 0. */
  credit?: number;
  message: string;
  expected?: Summary | string;
  received?: Summary | string;
  maxAbsError?: number;
  maxRelError?: number;
  worst?: { index: string; expected: number; received: number };
}

export interface SourceLocation {
  file: string;
  line: number;
  column?: number;
}

/** One row of a Keras-style model summary. */
export interface SummaryRow {
  name: string;
  className: string;
  outputShape: (number | null)[];
  params: number;
  /** Settings that matter for grading: units, filters, kernelSize, strides, padding, activation, rate, poolSize. */
  config?: Record<string, unknown>;
}

/**
 * What a report draws for a part, beside its checks. Plain JSON; images are
 * base64 of raw 8-bit pixels (row-major, HWC), so reports need no tf.
 */
export type Artifact =
  | { type: 'history'; title: string; epochs: number[]; series: { name: string; split: 'train' | 'validation'; metric: string; values: number[] }[] }
  | { type: 'confusion'; title: string; labels: string[]; matrix: number[][] }
  | { type: 'perClass'; title: string; labels: string[]; precision: number[]; recall: number[] }
  | { type: 'samples'; title: string; width: number; height: number; channels: 1 | 3; images: { pixels: string; label: string; predicted?: string }[] }
  | { type: 'modelSummary'; title: string; student: SummaryRow[]; reference?: SummaryRow[]; differingRows: number[]; totals: { student: number; reference?: number } }
  | { type: 'gradcheck'; title: string; threshold: number; rows: { param: string; relError: number; elements: number }[] }
  | { type: 'bands'; title: string; metric: string; value: number; full: number; floor: number };

export interface PartResult {
  id: string;
  title: string;
  kind: string;
  visibility: Visibility;
  score: number;
  maxScore: number;
  status: PartStatus;
  messages: string[];
  checks: Check[];
  durationMs: number;
  /** Where in the student's code an error happened, when known. */
  location?: SourceLocation;
  /** Anything the student's code printed while this part ran (capped). */
  output?: string;
  /** Data for the report's plots and tables (history, confusion matrix, images, summaries). */
  artifacts?: Artifact[];
  /** Manual parts: the question, answer, rubric and (once graded) the grading. */
  manual?: ManualGrading;
}

export interface GradeResult {
  formatVersion: typeof RESULT_FORMAT_VERSION;
  assignment: { id: string; title: string; version: string };
  /** `student`: the student's id in a class batch (the class folder entry's name, or the roster's id for it). */
  submission: { dir: string; entry: string; student?: string };
  score: number;
  maxScore: number;
  backend: string;
  tfjsVersion?: string;
  /** The sandbox layers that were active: node-permissions, guards, bwrap, rlimits, unprivileged-user (absent in results made before it was recorded). */
  isolation?: string[];
  durationMs: number;
  startedAt: string;
  nngradeVersion: string;
  /** Set when the hand-in could not be run at all (it does not compile, is not a submission): why. */
  formatErrors?: string[];
  /** About the hand-in as a whole (a provided read-only file that was changed). */
  notes?: string[];
  /**
   * The exports (and the student's files) type-checked against the assignment's interface.d.ts: each
   * problem with file:line:column; `scored` when a typecheck part gives it points, else warnings only.
   */
  typecheck?: { problems: { file: string; line: number; column: number; message: string; export?: string }[]; skipped?: string; scored: boolean };
  /** Per-student variants: whose fixtures were graded, and their seeds. */
  variant?: { student: string; seeds: Record<string, number> };
  /** Manual parts not graded yet: how many and their points (not in score or maxScore). */
  pending?: { parts: number; points: number };
  /** Parts this release does not hold: graded later, with the instructor's private overlay. */
  gradedLater?: { id: string; title: string; points: number }[];
  parts: PartResult[];
}
