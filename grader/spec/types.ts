/**
 * The instructor's assignment spec, as validated by assignments/assignment.schema.json. Every type
 * here is derived from the schema fragments in schema.ts (and each part kind's from its own module's
 * schema), so the types, the schema and what validate accepts have one source.
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { commonPartProperties, fixtureKinds, specProperties, specRequired } from './schema.ts';
import type { PreprocessStep } from '../datasets/preprocess.ts';

type Base = FromSchema<{ type: 'object'; properties: typeof commonPartProperties; required: ['id', 'title', 'points', 'visibility', 'kind']; additionalProperties: false }>;

/** The fields every part has; each kind adds its own (grader/parts/<kind>.ts). */
export type PartBase = Base;
export type Visibility = PartBase['visibility'];
/** What a part's code may not use: imports (globs such as "@tensorflow/*") and calls (such as "tf.grad"). */
export type ForbidRule = NonNullable<PartBase['forbid']>;

/** A real image data set; `preprocess` is read as the typed steps of datasets/preprocess.ts. */
export type DatasetFixtureSpec = Omit<FromSchema<typeof fixtureKinds.dataset>, 'preprocess'> & { preprocess?: PreprocessStep[] };

export type FixtureSpec = FromSchema<typeof fixtureKinds.inline> | FromSchema<typeof fixtureKinds.npy> | FromSchema<typeof fixtureKinds.numpy> | DatasetFixtureSpec;

/** A seed derived from each student's id (a variant per student); `base` is the seed when no student is known (validate, the plan). */
export type PerStudentSeed = Extract<FromSchema<typeof fixtureKinds.numpy>['seed'], object>;

type Own = FromSchema<{ type: 'object'; properties: typeof specProperties; required: Exclude<(typeof specRequired)[number], 'parts'>[]; additionalProperties: false }>;

/** Set in the specs `nngrade release` writes. */
export type ReleaseInfo = NonNullable<Own['release']>;

export type AssignmentSpec = Own & {
  fixtures?: Record<string, FixtureSpec>;
  parts: PartBase[];
};
