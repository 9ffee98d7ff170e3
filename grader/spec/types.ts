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

export type FixtureSpec =
  | { kind: 'inline'; values: Record<string, unknown> }
  | { kind: 'npy'; files: Record<string, string> }
  | { kind: 'numpy'; seed: number; draws: string[] };

export interface AssignmentSpec {
  $schema?: string;
  id: string;
  title: string;
  version: string;
  points: number;
  submission: { entry: string; exports: string[] };
  reference?: { entry: string };
  limits?: { timeoutMs?: number; memoryMb?: number };
  fixtures?: Record<string, FixtureSpec>;
  parts: PartBase[];
}
