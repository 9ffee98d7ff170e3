// forbid is decided on what the graded export really runs (its tree-shaken bundle, parsed): every way of
// reaching tf.grad is caught, and a from-scratch function is not refused for a file's other imports.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleSubmission } from '../grader/submission/bundle.ts';
import { findViolations } from '../grader/submission/scan.ts';

const RULE = { imports: ['@tensorflow/*'], calls: ['tf.grad', 'tf.grads', 'tf.valueAndGrad'] };

async function scan(files: Record<string, string>, exportName: string, rule = RULE) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nngrade-scan-'));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  const sub = await bundleSubmission(dir, 'submission.ts', mkdtempSync(path.join(os.tmpdir(), 'nngrade-scan-out-')));
  expect(sub.compileErrors).toEqual([]);
  return (await findViolations(sub, exportName, rule)).map((v) => `${v.location.file}:${v.location.line}:${v.location.column}: ${v.message}`);
}

const SCRATCH = 'export function loss(x: number[]): number {\n  return x.reduce((s, v) => s + v * v, 0);\n}\n';

describe('forbid', () => {
  it('a from-scratch export in a file that also builds tf models is not refused for the file\'s tf import', async () => {
    const models = "import * as tf from '@tensorflow/tfjs';\nexport const buildModel = () => tf.sequential();\n";
    expect(await scan({ 'submission.ts': models + SCRATCH }, 'loss')).toEqual([]);
    expect(await scan({ 'submission.ts': "export * from './models.ts';\nexport * from './scratch.ts';\n", 'models.ts': models, 'scratch.ts': SCRATCH }, 'loss')).toEqual([]);
    // The model builder does reach it.
    expect(await scan({ 'submission.ts': models + SCRATCH }, 'buildModel')).toEqual(['submission.ts:1:21: imports "@tensorflow/tfjs", which this part forbids (@tensorflow/*): write it from scratch']);
  });

  it('catches tf.grad however it is reached: a call, a computed key, destructuring, an alias, a named import', async () => {
    const head = "import * as tf from '@tensorflow/tfjs';\n";
    // [source, line, the columns of the expression that names grad]
    const cases: [string, number, number, number][] = [
      ['export const g = (f: any) => tf.grad(f);\n', 2, 30, 36],
      ["export const g = (f: any) => tf['grad'](f);\n", 2, 30, 39],
      ['const { grad: gr } = tf;\nexport const g = (f: any) => gr(f);\n', 2, 9, 16],
      ['const t = tf;\nconst u = t;\nexport const g = (f: any) => u.grad(f);\n', 4, 30, 35],
    ];
    for (const [body, line, from, to] of cases) {
      const found = await scan({ 'submission.ts': head + body }, 'g', { calls: ['tf.grad'] } as never);
      expect(found.length, body).toBe(1);
      const [, l, c, msg] = /^submission\.ts:(\d+):(\d+): (.*)$/.exec(found[0])!;
      expect([Number(l), msg], body).toEqual([line, 'calls tf.grad, which this part forbids: compute the gradient yourself']);
      expect(Number(c), body).toBeGreaterThanOrEqual(from);
      expect(Number(c), body).toBeLessThanOrEqual(to);
    }
    const named = await scan({ 'submission.ts': "import { grad as gg } from '@tensorflow/tfjs';\nexport const g = (f: any) => gg(f);\n" }, 'g', { calls: ['tf.grad'] } as never);
    expect(named).toEqual([expect.stringMatching(/^submission\.ts:2:3\d: calls tf\.grad, which this part forbids/)]);
  });

  it('a forbidden call in a helper the export never calls does not count; one it does call is named at its file:line', async () => {
    const helpers = "import * as tf from '@tensorflow/tfjs';\nexport const cheat = (f: any) => tf.grad(f);\nexport const square = (x: number) => x * x;\n";
    const uses = (fn: string) => `import { ${fn} } from './helpers.ts';\nexport function loss(x: number[]): number {\n  return ${fn === 'square' ? 'x.reduce((s, v) => s + square(v), 0)' : '(cheat as any)(x)'};\n}\n`;
    expect(await scan({ 'submission.ts': uses('square'), 'helpers.ts': helpers }, 'loss', { calls: ['tf.grad'] } as never)).toEqual([]);
    expect(await scan({ 'submission.ts': uses('cheat'), 'helpers.ts': helpers }, 'loss', { calls: ['tf.grad'] } as never)).toEqual([expect.stringMatching(/^helpers\.ts:2:3\d: calls tf\.grad, which this part forbids: compute the gradient yourself$/)]);
  });
});
