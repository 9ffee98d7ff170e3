/**
 * The assignment JSON Schema, composed from the common fields and each part
 * kind's fragment. assignments/assignment.schema.json is this, written out
 * (`nngrade schema > assignments/assignment.schema.json`); a test keeps the
 * two equal.
 */
import { createHash } from 'node:crypto';
import { partKinds } from '../parts/registry.ts';

export const idSchema = { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$', description: 'lower-case letters, digits, ".", "_" and "-"' } as const;
const id = idSchema;

/** The fields every part has (PartBase is this schema's type). */
export const commonPartProperties = {
  id,
  title: { type: 'string', minLength: 1 },
  points: { type: 'number', minimum: 0 },
  visibility: {
    enum: ['visible', 'hidden', 'after_due_date', 'after_published'],
    description: 'visible: students see it when they check; hidden: graded, never shown to students; after_due_date / after_published: shown once the due date passed / grades are published',
  },
  kind: { type: 'string' },
  description: { type: 'string' },
  timeoutMs: { type: 'integer', minimum: 1, description: 'Time limit per sandbox task of this part' },
  feedback: {
    enum: ['full', 'verdict'],
    description: "What a student's self-check shows: full (expected and received values, the default) or verdict (which checks failed, not the expected values: for answers that could otherwise be read off)",
  },
  forbid: {
    type: 'object',
    description: "What this part's code may not use: imports (globs such as \"@tensorflow/*\") and calls (such as \"tf.grad\")",
    properties: {
      imports: { type: 'array', items: { type: 'string' } },
      calls: { type: 'array', items: { type: 'string' } },
    },
    additionalProperties: false,
  },
} as const;

/** Each fixture kind's fields (FixtureSpec is the union of their types). */
export const fixtureKinds = {
  inline: { type: 'object', properties: { kind: { const: 'inline' }, values: { type: 'object' } }, required: ['kind', 'values'], additionalProperties: false },
  npy: { type: 'object', properties: { kind: { const: 'npy' }, files: { type: 'object', additionalProperties: { type: 'string' } } }, required: ['kind', 'files'], additionalProperties: false },
  numpy: {
    type: 'object',
    properties: {
      kind: { const: 'numpy' },
      seed: {
        oneOf: [
          { type: 'integer', minimum: 0, maximum: 4294967295, description: 'as np.random.seed(seed)' },
          { type: 'object', required: ['perStudent'], properties: { perStudent: { const: true }, base: { type: 'integer', minimum: 0, maximum: 4294967295 } }, additionalProperties: false, description: "a seed of each student's own, from a hash of their id, the assignment id and the salt in /variants/salt" },
        ],
      },
      draws: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'statements in order, e.g. "W1 = randn(3, 2)", "b1 = zeros(3)", "X = rand(1000, 2)"' },
    },
    required: ['kind', 'seed', 'draws'],
    additionalProperties: false,
  },
  dataset: {
    type: 'object',
    description: 'A real image data set. Its values: x ({data, shape}), y ({data, shape}: one-hot rows after a oneHot step, else labels), labels, classNames, images (raw 8-bit pixels), and xVal, yVal, labelsVal with a validation split.',
    properties: {
      kind: { const: 'dataset' },
      name: { enum: ['fashion-mnist', 'mnist', 'cifar10'] },
      split: { enum: ['train', 'test'] },
      path: { type: 'string', description: 'Folder holding the files, relative to the spec' },
      fallback: { type: 'string', description: 'Folder used when the data is found nowhere else (e.g. a small subset shipped with the assignment)' },
      limit: { type: 'integer', minimum: 1, description: 'Only the first N examples (before the validation split)' },
      preprocess: {
        type: 'array',
        items: {
          type: 'object',
          required: ['op'],
          properties: {
            op: { enum: ['scale', 'standardize', 'flatten', 'reshape', 'oneHot', 'take'] },
            by: { type: 'number', exclusiveMinimum: 0 },
            mean: { oneOf: [{ type: 'number' }, { type: 'array', items: { type: 'number' } }] },
            std: { oneOf: [{ type: 'number' }, { type: 'array', items: { type: 'number' } }] },
            shape: { type: 'array', items: { type: 'integer', minimum: -1 } },
            numClasses: { type: 'integer', minimum: 2 },
            count: { type: 'integer', minimum: 1 },
          },
          additionalProperties: false,
        },
      },
      validation: {
        type: 'object',
        required: ['validation'],
        properties: { validation: { type: 'number', exclusiveMinimum: 0 }, seed: { type: 'integer', minimum: 0 }, shuffle: { type: 'boolean' } },
        additionalProperties: false,
      },
    },
    required: ['kind', 'name', 'split'],
    additionalProperties: false,
  },
} as const;

// One kind's fields apply once `kind` says which it is, so a mistake is reported against that kind only.
const fixtureSchema = {
  type: 'object',
  required: ['kind'],
  properties: { kind: { enum: Object.keys(fixtureKinds) } },
  allOf: Object.entries(fixtureKinds).map(([k, then]) => ({ if: { properties: { kind: { const: k } } }, then })),
};

/** The spec's own fields besides fixtures and parts (AssignmentSpec is this schema's type). */
export const specProperties = {
  $schema: { type: 'string' },
  id,
  title: { type: 'string', minLength: 1 },
  version: { type: 'string', minLength: 1 },
  points: { type: 'number', minimum: 0, description: "Total points; the parts' points must add up to it" },
  submission: {
    type: 'object',
    required: ['entry', 'exports'],
    properties: {
      entry: { type: 'string', description: "The student's entry file, relative to the submission folder" },
      exports: { type: 'array', items: { type: 'string' }, description: 'Every export the parts call' },
      provided: { type: 'array', items: { type: 'string', minLength: 1 }, description: "Files (relative to this spec) that `nngrade release` gives students as they are: starter code, helpers, data loaders" },
      readOnly: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Provided files students must not edit: graded with the original, and the student is told' },
      interface: { type: 'string', minLength: 1, description: 'The TypeScript declarations of the exports, relative to this spec (default interface.d.ts): submissions are type-checked against it' },
    },
    additionalProperties: false,
  },
  reference: {
    type: 'object',
    properties: {
      entry: { type: 'string', description: "The reference's entry file, relative to this spec" },
      values: { type: 'string', description: "The reference's expected values, precomputed by `nngrade release` (a release needs no reference code)" },
    },
    minProperties: 1,
    additionalProperties: false,
  },
  release: {
    type: 'object',
    description: 'Written by `nngrade release` into the specs it makes; not for hand-written specs',
    required: ['of', 'audience'],
    properties: {
      of: { type: 'object', required: ['id', 'version', 'points'], properties: { id, version: { type: 'string' }, points: { type: 'number' } }, additionalProperties: false },
      audience: { enum: ['public', 'private'] },
      gradedLater: {
        type: 'array',
        items: { type: 'object', required: ['id', 'title', 'points'], properties: { id: { type: 'string' }, title: { type: 'string' }, points: { type: 'number' } }, additionalProperties: false },
      },
      readOnly: {
        type: 'array',
        items: { type: 'object', required: ['file', 'sha256'], properties: { file: { type: 'string' }, sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' } }, additionalProperties: false },
      },
    },
    additionalProperties: false,
  },
  variants: {
    type: 'object',
    description: 'Per-student variants: fixtures seeded with {"perStudent": true} draw from a seed of each student\'s own',
    properties: { salt: { type: 'string', description: 'Mixed into every student\'s seed, so students cannot work out each other\'s: keep it in the private overlay' } },
    additionalProperties: false,
  },
  limits: {
    type: 'object',
    properties: { timeoutMs: { type: 'integer', minimum: 1 }, memoryMb: { type: 'integer', minimum: 64 } },
    additionalProperties: false,
  },
} as const;

export const specRequired = ['id', 'title', 'version', 'points', 'submission', 'parts'] as const;

export function assignmentSchema(): Record<string, unknown> {
  const kinds = Object.keys(partKinds);
  const defs: Record<string, unknown> = {};
  for (const [name, k] of Object.entries(partKinds)) {
    defs[`${name}Part`] = {
      type: 'object',
      description: `Part kind "${name}": ${k.summary}`,
      required: ['id', 'title', 'points', 'visibility', 'kind', ...k.schema.required],
      properties: { ...commonPartProperties, kind: { const: name }, ...k.schema.properties },
      additionalProperties: false,
    };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://nngrade.dev/schema/assignment.schema.json',
    title: 'nngrade assignment',
    type: 'object',
    required: specRequired,
    properties: {
      ...specProperties,
      fixtures: { type: 'object', propertyNames: id, additionalProperties: fixtureSchema },
      parts: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['kind'],
          properties: { kind: { enum: kinds } },
          allOf: kinds.map((k) => ({ if: { properties: { kind: { const: k } }, required: ['kind'] }, then: { $ref: `#/definitions/${k}Part` } })),
        },
      },
    },
    additionalProperties: false,
    definitions: defs,
  };
}

/** Identifies the schema, so a precompiled validator is used only for the schema it was built from. */
export function schemaHash(): string {
  return createHash('sha256').update(JSON.stringify(assignmentSchema())).digest('hex').slice(0, 16);
}
