/** The instructor's assignment spec, as validated by assignments/assignment.schema.json. */

export type Visibility = 'visible' | 'hidden' | 'after_due_date' | 'after_published';

export interface ForbidRule {
  /** Module specifiers or globs (e.g. "@tensorflow/*") the part's code may not import. */
  imports?: string[];
  /** Call names (e.g. "tf.grad", "variableGrads") the part's code may not call. */
  calls?: string[];
}

export interface PartBase {
  id: string;
  title: string;
  points: number;
  visibility: Visibility;
  kind: string;
  description?: string;
  forbid?: ForbidRule;
  timeoutMs?: number;
  feedback?: 'full' | 'verdict';
}

export interface DatasetFixtureSpec {
  kind: 'dataset';
  name: 'fashion-mnist' | 'mnist' | 'cifar10';
  split: 'train' | 'test';
  /** A folder holding the files (relative to the spec); else NNGRADE_DATA, /usr/share/datasets, the cache. */
  path?: string;
  /** A folder (relative to the spec) used when the data is found nowhere else, e.g. a small subset shipped with the assignment. */
  fallback?: string;
  /** Use only the first `limit` examples (before the validation split). */
  limit?: number;
  /** Preprocessing steps, in order (scale, standardize, flatten, reshape, oneHot, take). */
  preprocess?: import('../datasets/preprocess.ts').PreprocessStep[];
  /** Split off a validation set: a fraction or a count, shuffled with a seed (NumPy's permutation). */
  validation?: { validation: number; seed?: number; shuffle?: boolean };
}

export type FixtureSpec =
  | { kind: 'inline'; values: Record<string, unknown> }
  | { kind: 'npy'; files: Record<string, string> }
  | { kind: 'numpy'; seed: number | PerStudentSeed; draws: string[] }
  | DatasetFixtureSpec;

/** A seed derived from each student's id (a variant per student); `base` is the seed when no student is known (validate, the plan). */
export interface PerStudentSeed {
  perStudent: true;
  base?: number;
}

export interface ReleaseInfo {
  /** The instructor's assignment this was released from. */
  of: { id: string; version: string; points: number };
  /** public: the students' release (visible parts only); private: the grader's overlay (every part). */
  audience: 'public' | 'private';
  /** Parts not in this release: graded with the private overlay. */
  gradedLater?: { id: string; title: string; points: number }[];
  /** Provided files students must not edit, with the hash of the original. */
  readOnly?: { file: string; sha256: string }[];
}

export interface AssignmentSpec {
  $schema?: string;
  id: string;
  title: string;
  version: string;
  points: number;
  submission: { entry: string; exports: string[]; provided?: string[]; readOnly?: string[] };
  /** `entry`: the reference's code; `values`: its expected values precomputed by `nngrade release`. */
  reference?: { entry?: string; values?: string };
  /** Set in the specs `nngrade release` writes. */
  release?: ReleaseInfo;
  /** Per-student variants: the salt mixed into each student's seeds (keep it in the private overlay only). */
  variants?: { salt?: string };
  limits?: { timeoutMs?: number; memoryMb?: number };
  fixtures?: Record<string, FixtureSpec>;
  parts: PartBase[];
}
