// Type-checking a submission against its interface.d.ts: each graded export whose type is not the
// interface's is one problem naming it, errors in the student's files come with file:line, a syntax
// error is a problem (never a throw), and nothing outside the submission folder is read.
import { describe, expect, it, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { typecheckSubmission, type TypecheckResult } from '../grader/submission/typecheck.ts';
import { ROOT } from './helpers.ts';

const INTERFACE = `import type * as tf from '@tensorflow/tfjs';
export interface Params { W: number[][]; b: number[] }
/** Returns the output and a cache for the backward pass. */
export function affineForward(x: number[][], w: number[][], b: number[]): [number[][], unknown];
export function predict(params: Params, X: number[][]): number[];
export const answers: { size: [number, number]; rf: number };
export function buildModel(): tf.LayersModel;
export function notGraded(): void;
`;
const EXPORTS = ['affineForward', 'predict', 'answers', 'buildModel', 'notInTheInterface'];

const SCRATCH = `import { matmul, addRow } from './helper.ts';
import type { Params } from './submission.ts';

export function affineForward(x: number[][], w: number[][], b: number[]): [number[][], { x: number[][] }] {
  return [addRow(matmul(x, w), b), { x }];
}

export function predict(params: Params, X: number[][]): number[] {
  const [scores] = affineForward(X, params.W, params.b);
  return scores.map((row) => row.indexOf(Math.max(...row)));
}
`;
// Lenient: an implicit any, a null number and a console.log are not problems.
const HELPER = `export function matmul(A: number[][], B: number[][]): number[][] {
  return A.map((row) => B[0].map((_, j) => row.reduce((s, v, k) => s + v * B[k][j], 0)));
}
export function addRow(A: number[][], b: number[]) {
  return A.map((row) => row.map((v, j) => v + b[j]));
}
export function loose(x) { let n: number = null; console.log(x, n); return x; }
`;
const MODELS = `import * as tf from '@tensorflow/tfjs';
import os from 'node:os';
export function buildModel(): tf.Sequential {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 10, inputShape: [os.cpus().length] })] });
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  return model;
}
`;
const CORRECT: Record<string, string> = {
  'submission.ts': `export * from './scratch.ts';
export * from './models.ts';
export { answers } from './answers.ts';
export interface Params { W: number[][]; b: number[] }
export const notInTheInterface = 42;
`,
  'scratch.ts': SCRATCH,
  'helper.ts': HELPER,
  'models.ts': MODELS,
  'answers.ts': 'export const answers = { size: [8, 8] as [number, number], rf: 5 };\n',
  // Never read: strict would make the implicit any and the null number errors.
  'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, noImplicitAny: true } }),
};

const ifaceDir = mkdtempSync(path.join(os.tmpdir(), 'nngrade-typecheck-iface-'));
const IFACE = path.join(ifaceDir, 'interface.d.ts');
writeFileSync(IFACE, INTERFACE);

/** A submission folder (under the OS temp folder: no node_modules above it) from CORRECT with `edits` (null removes a file). */
function submission(edits: Record<string, string | null> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nngrade-typecheck-'));
  for (const [f, text] of Object.entries({ ...CORRECT, ...edits })) {
    if (text === null) continue;
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

async function check(dir: string, exports = EXPORTS, interfaceFile = IFACE): Promise<TypecheckResult> {
  const r = await typecheckSubmission({ submissionDir: dir, entry: 'submission.ts', interfaceFile, exports });
  expect(r.skipped).toBeUndefined();
  expect(r.ms).toBeGreaterThan(0);
  return r;
}

const summary = (r: TypecheckResult) => r.problems.map((p) => `${p.file}:${p.line}${p.export ? ` [${p.export}]` : ''} ${p.message}`);

describe('typecheckSubmission', () => {
  it('a correct submission has no problems (lenient options, its tsconfig.json ignored, tf resolved to the grader\'s copy)', async () => {
    expect(summary(await check(submission()))).toEqual([]);
  });

  it('a wrong parameter type is one problem naming the export, at its definition', async () => {
    // One example (a row) instead of a batch, consistently in its own code.
    const oneRow = SCRATCH.replace('affineForward(x: number[][], w', 'affineForward(x: number[], w').replace('matmul(x, w)', 'matmul([x], w)').replace('{ x }]', '{ x: [x] }]').replace('affineForward(X, params.W', 'affineForward(X[0], params.W');
    const r = await check(submission({ 'scratch.ts': oneRow }));
    expect(summary(r)).toEqual([expect.stringContaining('[affineForward]')]);
    const [p] = r.problems;
    expect(p).toMatchObject({ export: 'affineForward', file: 'scratch.ts', line: 4, column: 1 });
    expect(p.message).toMatch(/^affineForward: its type \(x: number\[\], w: number\[\]\[\], b: number\[\]\) => .* is not the interface's \(x: number\[\]\[\], w: number\[\]\[\], b: number\[\]\) => \[number\[\]\[\], unknown\]: in parameter x, /);
  });

  it('a wrong return type is one problem naming the export', async () => {
    const r = await check(submission({ 'scratch.ts': SCRATCH.replace('): number[] {', '): string {').replace('return scores.map((row) => row.indexOf(Math.max(...row)));', "return 'cat';") }));
    expect(summary(r)).toEqual(["scratch.ts:8 [predict] predict: its type (params: Params, X: number[][]) => string is not the interface's (params: Params, X: number[][]) => number[]: in the return value, type 'string' is not assignable to type 'number[]'."]);
  });

  it('a non-function export is one problem naming the export', async () => {
    const r = await check(submission({ 'scratch.ts': `${SCRATCH.replace('export function affineForward', 'function affineForwardImpl').replace('affineForward(X,', 'affineForwardImpl(X,')}export const affineForward = 3;\n` }));
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ export: 'affineForward', file: 'scratch.ts' });
    expect(r.problems[0].message).toMatch(/^affineForward: its type number is not the interface's \(x: number\[\]\[\]/);
  });

  it('a tf model of the wrong type is a problem; an export missing from the submission, or not in the interface, is not', async () => {
    const r = await check(submission({
      'models.ts': "import * as tf from '@tensorflow/tfjs';\nexport function buildModel() { return tf.tensor([1, 2]); }\n",
      'scratch.ts': SCRATCH.replace('export function predict', 'function predict'),
      'submission.ts': CORRECT['submission.ts'].replace('= 42', "= 'anything'"),
    }));
    expect(r.problems.map((p) => p.export)).toEqual(['buildModel']);
    expect(r.problems[0].message).toMatch(/^buildModel: its type \(\) => Tensor<Rank> is not the interface's \(\) => LayersModel: in the return value, /);
  });

  it('an error in a helper file is reported at that file:line:column', async () => {
    const r = await check(submission({ 'helper.ts': `${HELPER}\nexport const three: number = 'three';\n` }));
    expect(summary(r)).toEqual(["helper.ts:9 Type 'string' is not assignable to type 'number'."]);
    expect(r.problems[0].column).toBe(14);
  });

  it('a syntax error is a problem, not a throw', async () => {
    const r = await check(submission({ 'scratch.ts': SCRATCH.replace('return [addRow(matmul(x, w), b), { x }];', 'return [addRow(matmul(x, w), b), { x };') }));
    expect(r.problems.length).toBeGreaterThan(0);
    expect(r.problems[0]).toMatchObject({ file: 'scratch.ts', line: 5 });
    expect(r.problems[0].message).toMatch(/expected/);
  });

  it('problems are capped', async () => {
    const many = Array.from({ length: 40 }, (_, i) => `export const n${i}: number = 'x';`).join('\n');
    const r = await check(submission({ 'helper.ts': `${HELPER}${many}\n` }));
    expect(r.problems).toHaveLength(20);
  });

  it('reads nothing outside the submission folder: symlinks out, absolute imports and references, a fifo', async () => {
    const outside = mkdtempSync(path.join(os.tmpdir(), 'nngrade-typecheck-secret-'));
    const secret = path.join(outside, 'secret.ts');
    // Were it read, the mismatches below would quote it: "Type '{ "root:SECRET": number; }' is not assignable to type 'number'".
    writeFileSync(secret, 'export const leaked = { "root:SECRET": 1 };\nexport default leaked;\n');
    const hostile = `/// <reference path="/etc/passwd" />
/// <reference path=${JSON.stringify(secret)} />
/// <reference types=${JSON.stringify(path.relative(ROOT + '/node_modules/@types', outside) + '/secret')} />
import { leaked } from './secret.ts';
import { leaked as viaAbsolute } from ${JSON.stringify(secret)};
import viaUrl from ${JSON.stringify(`file://${secret}`)};
import * as passwd from '/etc/passwd';
import * as passwdLink from './passwd.ts';
import * as fromFifo from './fifo.ts';
import * as fromDevice from './zero.ts';
export const n1: number = leaked;
export const n2: number = viaAbsolute;
export const n3: number = viaUrl;
export const n4: number = passwd as any;
export const n5: number = (passwdLink as any).x;
export const n6: number = (fromFifo as any).x;
export const n7: number = (fromDevice as any).x;
`;
    const dir = submission({ 'helper.ts': `${HELPER}${hostile}` });
    symlinkSync(secret, path.join(dir, 'secret.ts'));
    symlinkSync('/etc/passwd', path.join(dir, 'passwd.ts'));
    symlinkSync('/dev/zero', path.join(dir, 'zero.ts'));
    execFileSync('mkfifo', [path.join(dir, 'fifo.ts')]);
    const r = await check(dir);
    const text = JSON.stringify(r.problems);
    expect(text).not.toContain('root:');
    expect(text).not.toContain('SECRET');
    // Each import is unresolved, and said so in the student's file.
    const unresolved = r.problems.filter((p) => p.file === 'helper.ts' && /Cannot find module/.test(p.message)).map((p) => p.line);
    expect(unresolved).toEqual([11, 12, 13, 14, 15, 16, 17]);
    expect(r.problems.some((p) => p.export)).toBe(false);

    // The control: the same file inside the folder is read, and its text shows in the message.
    const inside = submission({ 'helper.ts': `${HELPER}import { leaked } from './secret.ts';\nexport const n1: number = leaked;\n`, 'secret.ts': readFileSync(secret, 'utf8') });
    expect(JSON.stringify((await check(inside)).problems)).toContain('root:SECRET');
  });

  it('an entry that is not a file inside the folder is skipped, not checked', async () => {
    const dir = submission({ 'submission.ts': null });
    symlinkSync('/etc/passwd', path.join(dir, 'submission.ts'));
    const r = await typecheckSubmission({ submissionDir: dir, entry: 'submission.ts', interfaceFile: IFACE, exports: EXPORTS });
    expect(r.problems).toEqual([]);
    expect(r.skipped).toMatch(/submission\.ts is not a readable file inside the submission folder/);
  });
});

describe('the shipped correct submissions against their interfaces', () => {
  const shipped = async (id: string) => {
    const spec = JSON.parse(readFileSync(path.join(ROOT, 'assignments', id, 'assignment.json'), 'utf8'));
    const r = await typecheckSubmission({
      submissionDir: path.join(ROOT, 'submissions', id, 'correct'),
      entry: spec.submission.entry,
      interfaceFile: path.join(ROOT, 'assignments', id, 'interface.d.ts'),
      exports: spec.submission.exports,
    });
    expect(r.skipped).toBeUndefined();
    return r;
  };

  it('fashion-mnist-hw4 (from scratch and tfjs models) has no problems', async () => {
    expect(summary(await shipped('fashion-mnist-hw4'))).toEqual([]);
  });

  it.each(['two-layer-net-cifar10', 'cifar10-mlp-hw4', 'mnist-cnn-hw5', 'cs231n-layers'])('%s has no problems (history typed as tf.History[\'history\'])', async (id) => {
    // The interfaces once said history: Record<string, number[]>, narrower than what model.fit gives.
    expect((await shipped(id)).problems).toEqual([]);
  });
});

describe('without typescript', () => {
  it('skips, saying so', async () => {
    vi.resetModules();
    vi.doMock('typescript', () => {
      throw new Error('Cannot find package \'typescript\'');
    });
    try {
      const { typecheckSubmission: fresh } = await import('../grader/submission/typecheck.ts');
      const r = await fresh({ submissionDir: submission(), entry: 'submission.ts', interfaceFile: IFACE, exports: EXPORTS });
      expect(r).toMatchObject({ problems: [], skipped: 'typescript is not installed' });
    } finally {
      vi.doUnmock('typescript');
      vi.resetModules();
    }
  });
});
