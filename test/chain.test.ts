// Chained calls (`steps`, "$forward") and layer gradient checks with an upstream gradient (`dout`),
// judged on values computed in-process: the shared task runner on small modules, no sandbox.
import { describe, expect, it } from 'vitest';
import { runTask, type Module } from '../grader/sandbox/tasks.ts';
import { partKinds } from '../grader/parts/registry.ts';
import { fillReferenceRefs, resolveSteps } from '../grader/parts/chain.ts';
import type { GradcheckPart } from '../grader/parts/gradcheck.ts';
import type { FunctionPart } from '../grader/parts/function.ts';
import type { Fixtures } from '../grader/fixtures/resolve.ts';
import type { TaskOutcome } from '../grader/sandbox/sandbox.ts';
import type { AssignmentSpec } from '../grader/spec/types.ts';
import { UserError } from '../grader/util/errors.ts';
import type { Task } from '../grader/sandbox/protocol.ts';

type M = number[][];
const matmul = (a: M, b: M): M => a.map((r) => b[0].map((_, j) => r.reduce((s, v, k) => s + v * b[k][j], 0)));
const T = (a: M): M => a[0].map((_, j) => a.map((r) => r[j]));

/** An affine layer whose backward pass can be made wrong; the cache is a closure, passed on as it is. */
const affine = (bug?: 'db' | 'dw-half'): Module => ({
  affineForward: (x: M, w: M, b: number[]) => [matmul(x, w).map((r) => r.map((v, j) => v + b[j])), () => ({ x, w })],
  affineBackward: (dout: M, cache: () => { x: M; w: M }) => {
    const { x, w } = cache();
    const dw = matmul(T(x), dout).map((r) => r.map((v) => (bug === 'dw-half' ? v / 2 : v)));
    const db = bug === 'db' ? dout.map((r) => r.reduce((s, v) => s + v, 0)) : dout[0].map((_, j) => dout.reduce((s, r) => s + r[j], 0));
    return [matmul(dout, T(w)), dw, db];
  },
});

const fixtures: Fixtures = {
  a: {
    x: [[1, 2, -1], [0.5, -2, 3], [-1, 0.25, 2]],
    w: [[0.1, 0.2], [-0.3, 0.4], [0.5, -0.6]],
    b: [0.01, -0.02],
    dout: [[1, -1], [0.5, 2], [-0.5, 1.5]],
  },
};
const spec = { id: 't', parts: [] } as unknown as AssignmentSpec;

async function outcomes(mod: Module, tasks: Task[], values: Map<string, unknown>, record = false): Promise<Map<string, TaskOutcome>> {
  const out = new Map<string, TaskOutcome>();
  for (const t of tasks) {
    try {
      const value = await runTask(mod, fillReferenceRefs(structuredClone(t), values));
      out.set(t.id, { ok: true, value, ms: 0, output: '' });
      if (record) values.set(t.id, value);
    } catch (e) {
      out.set(t.id, { ok: false, kind: 'error', message: (e as Error).message, error: { name: (e as Error).name, message: (e as Error).message }, ms: 0, output: '' });
    }
  }
  return out;
}

/** Judge a part as the grader does: the reference's values from `ref`, the student's outcomes from `student`. */
async function judge<P extends { kind: string }>(part: P, student: Module, ref: Module = affine()) {
  const kind = partKinds[part.kind];
  const tasks = kind.tasks(part, { spec, fixtures, index: 0 });
  const reference = new Map<string, unknown>();
  for (const o of (await outcomes(ref, tasks.reference, reference, true)).values()) if (!o.ok) throw new Error(`reference failed: ${o.message}`);
  const studentOut = await outcomes(student, tasks.student, reference);
  return kind.judge(part, { student: studentOut, reference, fixtures, spec, submissionDir: '', callReference: () => undefined, locate: () => undefined });
}

const layerCheck: GradcheckPart = {
  id: 'affine', title: 'affine', kind: 'gradcheck', points: 3, visibility: 'visible',
  call: 'affineForward', args: ['$a.x', '$a.w', '$a.b'], returns: ['out', 'cache'], output: 'out', dout: '$a.dout',
  wrt: [{ arg: 0, name: 'x' }, { arg: 1, name: 'w' }, { arg: 2, name: 'b' }],
  gradCall: 'affineBackward', gradArgs: ['$a.dout', '$forward.cache'], gradReturns: ['dx', 'dw', 'db'],
} as GradcheckPart;

describe('gradient checks with an upstream gradient', () => {
  it('a correct layer passes every input, the backward pass given its own cache (a closure)', async () => {
    const j = await judge(layerCheck, affine());
    expect(j.checks.map((c) => [c.name, c.passed])).toEqual([['dx', true], ['dw', true], ['db', true], ['output', true]]);
    expect(j.checks[0].message).toMatch(/over 9 elements/);
    expect(j.artifacts?.[0]).toMatchObject({ rows: [{ param: 'dx', elements: 9 }, { param: 'dw', elements: 6 }, { param: 'db', elements: 2 }] });
  });

  it('a wrong gradient fails only its own input, with the worst element', async () => {
    const j = await judge(layerCheck, affine('dw-half'));
    expect(j.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(['dw']);
    expect(j.messages.join('\n')).toMatch(/dw: max relative error 0\.333.*worst at \[/);
  });

  it('a gradient of the wrong shape says so', async () => {
    const j = await judge(layerCheck, affine('db'));
    expect(j.messages.join('\n')).toContain('db: the gradient has shape [3] but b has shape [2]');
  });

  it('grads by path, and by position when gradCall returns an unnamed array', async () => {
    const byPath = await judge({ ...layerCheck, grads: { x: '0', w: '1', b: '2' }, gradReturns: undefined }, affine());
    const byPosition = await judge({ ...layerCheck, gradReturns: undefined }, affine());
    expect(byPath.checks.every((c) => c.passed)).toBe(true);
    expect(byPosition.checks.every((c) => c.passed)).toBe(true);
  });

  it('a forward pass that is right at the point but not where it is probed fails the output check', async () => {
    let calls = 0;
    const sly: Module = { ...affine(), affineForward: (x: M, w: M, b: number[]) => (calls++ === 0 ? affine().affineForward as (...a: unknown[]) => unknown : () => [x.map((r) => r.map(() => 0)), () => ({ x, w })])(x, w, b) };
    const j = await judge(layerCheck, sly);
    expect(j.checks.find((c) => c.name === 'output')?.passed).toBe(false);
  });

  it('lint: dout that is not an array, an unknown $forward name and a missing grads entry are spec problems', () => {
    const lint = (p: Partial<GradcheckPart>) => partKinds.gradcheck.lint!({ ...layerCheck, ...p }, { spec, fixtures, index: 3 }).map((x) => `${x.pointer}: ${x.message}`);
    expect(lint({ dout: 'text' })).toEqual([expect.stringMatching(/^\/parts\/3\/dout: dout is not a numeric array/)]);
    expect(lint({ gradArgs: ['$a.dout', '$fwd.cache'] })).toEqual([expect.stringMatching(/^\/parts\/3\/gradArgs\/1: .*"fwd"/)]);
    expect(lint({ grads: { x: 'dx' } })).toEqual([expect.stringContaining('/parts/3/grads: no path for the gradient of w'), expect.stringContaining('no path for the gradient of b')]);
    expect(lint({ wrt: [{ arg: 0, name: 'x' }, { arg: 7, name: 'y' }] })).toEqual([expect.stringMatching(/^\/parts\/3\/wrt\/1\/arg: argument 7 does not exist/)]);
  });
});

const chained: FunctionPart = {
  id: 'chain', title: 'chain', kind: 'function', points: 2, visibility: 'visible',
  call: 'affineBackward', returns: ['dx', 'dw', 'db'],
  cases: [{ steps: [{ as: 'fwd', call: 'affineForward', args: ['$a.x', '$a.w', '$a.b'], returns: ['out', 'cache'] }], args: ['$a.dout', '$fwd.cache'] }],
} as FunctionPart;

describe('chained calls', () => {
  it("each side's backward gets its own forward's cache, whatever it holds", async () => {
    const j = await judge(chained, affine());
    expect(j.checks.map((c) => [c.name, c.passed])).toEqual([['dx', true], ['dw', true], ['db', true]]);
    const wrong = await judge(chained, affine('dw-half'));
    expect(wrong.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(['dw']);
  });

  it('a step that throws names the call made first', async () => {
    const broken: Module = { ...affine(), affineForward: () => { throw new TypeError('x.map is not a function'); } };
    const j = await judge(chained, broken);
    expect(j.messages[0]).toMatch(/x\.map is not a function \(in the call affineForward\(…\) made first, whose output is passed on\)/);
  });

  it('a path the step output does not have is said plainly', async () => {
    const withPath: Module = { affineForward: () => [[[1]], { deep: { er: 2 } }], affineBackward: (_d: M, c: unknown) => [c] };
    const j = await judge({ ...chained, returns: undefined, cases: [{ ...chained.cases[0], args: ['$a.dout', '$fwd.cache.deep.er'] }] }, { ...withPath, affineForward: () => [[[1]], null] }, withPath);
    expect(j.messages[0]).toContain('the output of "fwd" has no "1.deep.er" to pass on');
  });

  it('from: "reference" gives both sides the reference\'s output as data (nested arrays)', async () => {
    const seen: unknown[] = [];
    const student: Module = { ...affine(), relu: (x: M) => [x.map((r) => r.map((v) => Math.max(v, 0))), x], reluBack: (d: M, x: unknown) => { seen.push(x); return d.map((r, i) => r.map((g, k) => ((x as M)[i][k] > 0 ? g : 0))); } };
    const part = { ...chained, call: 'reluBack', returns: undefined, cases: [{ steps: [{ as: 'fwd', call: 'relu', from: 'reference', args: ['$a.dout'], returns: ['out', 'cache'] }], args: ['$a.dout', '$fwd.cache'] }] } as FunctionPart;
    const j = await judge(part, student, student);
    expect(j.checks.every((c) => c.passed)).toBe(true);
    expect(seen[0]).toEqual(fixtures.a.dout);
  });

  it("a reference step whose output is not data cannot be passed on, and the spec error says why", () => {
    const chain = resolveSteps([{ as: 'fwd', call: 'f', from: 'reference', args: [] }], fixtures, '/parts/0/cases/0/steps', 'p#0', 1);
    const task = { op: 'call' as const, id: 'p#0', export: 'g', args: [chain.names.fwd.make(['1'])], seed: 1, fromReference: true as const };
    expect(() => fillReferenceRefs(task, new Map([['p#0>fwd', [1, { __unsupported: 'a function (cache)' }]]]))).toThrow(UserError);
    expect(() => fillReferenceRefs(task, new Map([['p#0>fwd', [1, { __unsupported: 'a function (cache)' }]]]))).toThrow(/at "1" is a function \(cache\), which cannot be passed on/);
  });

  it('lint: a step named like a fixture set is ambiguous', () => {
    const problems = partKinds.function.lint!({ ...chained, cases: [{ ...chained.cases[0], steps: [{ ...chained.cases[0].steps![0], as: 'a' }] }] }, { spec, fixtures, index: 1 });
    expect(problems.map((p) => p.pointer)).toContain('/parts/1/cases/0/steps/0/as');
  });
});
