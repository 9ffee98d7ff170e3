/**
 * The part-kind seam. A part kind is one module in grader/parts/ holding its
 * schema fragment, the tasks the sandbox runs, and the judge; adding a kind
 * touches that module and one line in registry.ts.
 */
import type { AssignmentSpec, PartBase } from '../spec/types.ts';
import type { Task } from '../sandbox/protocol.ts';
import type { TaskOutcome } from '../sandbox/sandbox.ts';
import type { Artifact, Check, ManualGrading, PartStatus, SourceLocation } from '../judge/result.ts';
import type { Fixtures } from '../fixtures/resolve.ts';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { TypecheckResult } from '../submission/typecheck.ts';

/** A part kind's settings as JSON Schema: the one source of both the schema and the settings' type. */
export interface KindSchema {
  readonly properties: Readonly<Record<string, JSONSchema>>;
  readonly required: readonly string[];
}

/** The type of a part kind's settings, derived from its schema (`as const`), so the two cannot drift. */
export type SettingsOf<S extends KindSchema> = FromSchema<{ type: 'object'; properties: S['properties']; required: S['required']; additionalProperties: false }>;

/** A part of a kind: the common fields, the kind's name and its settings, all from the schema. */
export type PartOf<K extends string, S extends KindSchema> = PartBase & { kind: K } & SettingsOf<S>;

/** A problem found in a spec: a JSON pointer into it and a plain-words message. */
export interface SpecProblem {
  pointer: string;
  message: string;
}

export interface PartContext {
  spec: AssignmentSpec;
  fixtures: Fixtures;
  /** Index of the part in spec.parts, for JSON pointers. */
  index: number;
}

export interface PartTasks {
  student: Task[];
  reference: Task[];
}

export interface JudgeInput {
  /** The student's outcome per task id. */
  student: Map<string, TaskOutcome>;
  /** The reference's value per task id (the reference is trusted and must not fail). */
  reference: Map<string, unknown>;
  /** Call a reference export in the trusted parent (for derived outputs). */
  callReference(name: string, args: unknown[]): unknown;
  fixtures: Fixtures;
  /** The assignment (a part tied to another part reads that one's settings). */
  spec: AssignmentSpec;
  /** The submission folder (for handed-in files such as model weights, read as data). */
  submissionDir: string;
  /** Turn a stack trace from the sandbox into the student's file:line. */
  locate(stack?: string): SourceLocation | undefined;
  /** The run stage's type check of the submission against interface.d.ts, when one was made. */
  typecheck?: TypecheckResult;
}

export interface Judgement {
  checks: Check[];
  messages: string[];
  /** Set when the part could not be judged normally (every task errored or timed out), or waits for a person (pending). */
  status?: Extract<PartStatus, 'error' | 'timeout' | 'pending'>;
  /** Manual parts: what a person grades. */
  manual?: ManualGrading;
  location?: SourceLocation;
  output?: string;
  artifacts?: Artifact[];
  /** The tf backend the judge used (parts that rebuild or evaluate models). */
  backend?: string;
}

export interface PartKind<P extends PartBase = PartBase> {
  kind: string;
  /** One sentence for `nngrade --help` and the docs. */
  summary: string;
  /** JSON Schema properties for this kind's settings (the common part fields are added for you). */
  schema: KindSchema;
  /** The submission exports this part calls. */
  exportsUsed(part: P): string[];
  /** Reference exports the judge calls besides those (e.g. for derived values). */
  referenceExportsUsed?(part: P): string[];
  /** True when judging needs TensorFlow.js in the grader (models). */
  usesTf?: boolean | ((part: P) => boolean);
  /** Checks of the spec that need the reference's values (run by validate and before grading). */
  check?(part: P, reference: Map<string, unknown>): Promise<SpecProblem[]>;
  /** Consistency checks beyond the schema (fixture references, weights, ...). */
  lint?(part: P, ctx: PartContext): SpecProblem[];
  tasks(part: P, ctx: PartContext): PartTasks;
  /**
   * Files this part takes from the submission, read in the run stage as data (confined to the
   * submission folder), keyed like task outcomes; judging then reads no files.
   */
  collect?(part: P, submissionDir: string): Promise<Map<string, TaskOutcome>>;
  /** True when judging needs the run stage to type-check the submission (the typecheck kind). */
  needsTypecheck?(part: P): boolean;
  /** True when the part grades files a student hands in (a trained model), which the reference's code cannot stand in for. */
  gradesHandedInFiles?(part: P): boolean;
  judge(part: P, input: JudgeInput): Judgement | Promise<Judgement>;
}
