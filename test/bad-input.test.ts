// Every bad input a student can hand in becomes that part's verdict with a
// clear message (and the student's file:line where there is one), never a
// grader crash or a stack trace.
import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { loadAssignment } from '../grader/spec/load.ts';
import { gradeSubmission, prepareAssignment, type PreparedAssignment } from '../grader/grade.ts';
import type { GradeResult, PartResult } from '../grader/judge/result.ts';
import { cli, exampleDir, ROOT, specVariant } from './helpers.ts';
import { materializeExample } from '../grader/submission/examples.ts';

const BAD = path.join(ROOT, 'test', 'fixtures', 'submissions', 'fashion-mnist-hw4');
/** A broken or hostile hand-in, self-contained (most are the correct example with one file laid over it). */
const bad = (name: string): string => materializeExample(path.join(BAD, name)).dir;
let prep: PreparedAssignment;
const grade = (name: string): Promise<GradeResult> => gradeSubmission(prep, bad(name), { only: ['scratch-forward', 'scratch-backprop'] });
const part = (r: GradeResult, id: string): PartResult => r.parts.find((p) => p.id === id)!;

beforeAll(async () => {
  const file = specVariant('fashion-mnist-hw4', (s) => { s.limits = { timeoutMs: 1500, memoryMb: 256 }; });
  prep = await prepareAssignment(loadAssignment(file));
});

describe('submission verdicts', () => {
  it('a syntax error: every part errors with file:line:column and the line', async () => {
    const r = await grade('syntax-error');
    for (const p of r.parts.filter((x) => x.status !== 'skipped')) {
      expect(p.status).toBe('error');
      expect(p.messages[0]).toContain('submission.ts:6:27: Expected ")" but found ";"');
      expect(p.location).toEqual({ file: 'submission.ts', line: 6, column: 27 });
    }
  });

  it('a missing export names what the submission does export', async () => {
    const r = await grade('missing-export');
    expect(part(r, 'scratch-forward').status).toBe('passed');
    const p = part(r, 'scratch-backprop');
    expect(p.status).toBe('error');
    expect(p.messages[0]).toContain('does not export "backPropagation" (it exports: forwardPropagation)');
  });

  it('an export of the wrong type', async () => {
    const p = part(await grade('wrong-export-type'), 'scratch-backprop');
    expect(p.status).toBe('error');
    expect(p.messages[0]).toContain('"backPropagation" should be a function, but the submission exports number');
  });

  it('an infinite loop is a timeout verdict, and the next part still runs', async () => {
    const r = await gradeSubmission(prep, bad('infinite-loop'), { only: ['scratch-backprop', 'scratch-backprop-hidden'], all: true });
    expect(part(r, 'scratch-backprop').status).toBe('timeout');
    expect(part(r, 'scratch-backprop').messages[0]).toContain('did not finish within 1.5 s');
    expect(part(r, 'scratch-backprop-hidden').status).toBe('timeout');
  });

  it("an exception gives its type, message and the student's file:line", async () => {
    const p = part(await grade('throws'), 'scratch-backprop');
    expect(p.status).toBe('error');
    expect(p.messages[0]).toMatch(/threw TypeError: Cannot read properties of undefined \(reading 'length'\) \(at submission\.ts:7:\d+\)/);
    expect(p.location).toMatchObject({ file: 'submission.ts', line: 7 });
  });

  it('NaN outputs fail with the index of the first NaN', async () => {
    const p = part(await grade('nan-output'), 'scratch-backprop');
    expect(p.status).toBe('failed');
    expect(p.messages.join('\n')).toContain('L: received 1 non-finite value (NaN at the scalar, where 0.1332476222 was expected)');
    expect(p.messages.join('\n')).toContain('gradients.W1: received 6 non-finite values (NaN at [0, 0]');
  });

  it('a process that exits is a crash verdict', async () => {
    const p = part(await grade('crash'), 'scratch-backprop');
    expect(p.status).toBe('error');
    expect(p.messages[0]).toContain("the submission's process exited with code 7");
  });

  it('reading files outside the sandbox is denied', async () => {
    const p = part(await grade('fs-access'), 'scratch-backprop');
    expect(p.status).toBe('error');
    expect(p.messages[0]).toMatch(/tried to read \S*reference\/fashion-mnist-hw4\/index\.ts \(not allowed in the sandbox\)/);
    expect(p.location).toMatchObject({ file: 'submission.ts', line: 6 });
  });

  it('exhausting memory is a memory verdict', async () => {
    const p = part(await grade('memory-hog'), 'scratch-backprop');
    expect(p.status).toBe('error');
    expect(p.messages[0]).toContain('used more than 256 MB of memory (the limit)');
  });

  it('a forbidden import fails the from-scratch parts and names the import and line', async () => {
    const r = await grade('forbidden-import');
    for (const id of ['scratch-forward', 'scratch-backprop']) {
      const p = part(r, id);
      expect(p.status).toBe('failed');
      expect(p.score).toBe(0);
      expect(p.messages[0]).toBe('submission.ts:1:21: imports "@tensorflow/tfjs", which this part forbids (@tensorflow/*): write it from scratch');
    }
  });

  it('a forbidden call (tf.grad) in an imported file is named with its file:line; other parts are unaffected', async () => {
    const r = await grade('forbidden-call');
    expect(part(r, 'scratch-forward').status).toBe('passed');
    const p = part(r, 'scratch-backprop');
    expect(p.status).toBe('failed');
    expect(p.messages).toContainEqual(expect.stringMatching(/^backward\.ts:7:1[3-6]: calls tf\.grad, which this part forbids: compute the gradient yourself$/));
  });
});

describe('the check command', () => {
  it('--json prints the documented result fields and exits 0 on full marks', () => {
    const r = cli(['check', 'assignments/fashion-mnist-hw4', 'submissions/fashion-mnist-hw4/correct', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ formatVersion: 1, score: 23, maxScore: 23, backend: 'wasm' });
    expect(typeof j.durationMs).toBe('number');
    for (const p of j.parts) {
      expect(Object.keys(p)).toEqual(expect.arrayContaining(['id', 'kind', 'score', 'maxScore', 'status', 'messages', 'checks']));
    }
    const hidden = j.parts.find((p: PartResult) => p.id === 'scratch-backprop-hidden');
    expect(hidden.status).toBe('skipped');
    const check = j.parts.find((p: PartResult) => p.id === 'scratch-backprop').checks[0];
    expect(check).toMatchObject({ name: 'L', passed: true });
    expect(check.expected).toBeCloseTo(0.1332476222330792, 12);
  });

  it('--all adds hidden parts; the exit code is 1 when points are lost', () => {
    const r = cli(['check', 'assignments/fashion-mnist-hw4', exampleDir('fashion-mnist-hw4', 'b1-row'), '--all']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('scratch-backprop-hidden');
    expect(r.stdout).toContain('score 23.6 / 25');
  });

  it('big arrays are summarised in checks, small ones given whole', () => {
    const j = JSON.parse(cli(['check', 'fashion-mnist-hw4', exampleDir('fashion-mnist-hw4', 'relu-hidden'), '--json']).stdout);
    const fwd = j.parts.find((p: PartResult) => p.id === 'scratch-forward');
    const y = fwd.checks.find((c: { name: string }) => c.name === 'Y');
    expect(y.expected).toMatchObject({ shape: [1000], size: 1000 });
    expect(typeof y.expected.mean).toBe('number');
    const grads = j.parts.find((p: PartResult) => p.id === 'scratch-backprop').checks.find((c: { name: string }) => c.name === 'gradients.b1');
    expect(grads.expected).toMatchObject({ shape: [3] });
    expect(grads.expected.values).toHaveLength(3);
  });

  it('user mistakes: a missing submission folder, an unknown part, an unknown flag; no stack traces', () => {
    const missing = cli(['check', 'assignments/fashion-mnist-hw4', 'no/such/dir']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('submission folder not found: no/such/dir');
    const entry = cli(['check', 'assignments/fashion-mnist-hw4', 'test/fixtures/submissions/fashion-mnist-hw4/no-entry']);
    expect(entry.code).toBe(2);
    expect(entry.stderr).toContain('the folder holds: main.ts');
    const part = cli(['check', 'assignments/fashion-mnist-hw4', 'submissions/fashion-mnist-hw4/correct', '--part', 'nope']);
    expect(part.code).toBe(2);
    expect(part.stderr).toContain('no part "nope" in fashion-mnist-hw4');
    const flag = cli(['check', 'assignments/fashion-mnist-hw4', '--jsn']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("unknown option '--jsn'");
    for (const r of [missing, entry, part, flag]) expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });
});

describe('raw values over IPC', () => {
  it('tf tensors (nested in objects and arrays) and typed arrays come back as arrays; the backend is recorded', async () => {
    const answers = ['conv-by-hand', 'output-size', 'receptive-field'];
    const prep5 = await prepareAssignment(loadAssignment(path.join(ROOT, 'assignments', 'mnist-cnn-hw5')), { parts: new Set(answers) });
    const r = await gradeSubmission(prep5, path.join(ROOT, 'test', 'fixtures', 'submissions', 'mnist-cnn-hw5', 'tfjs-tensors'), { all: true, only: answers });
    expect(r.score).toBe(r.maxScore);
    expect(r.maxScore).toBeGreaterThan(0);
    expect(r.backend).toBe('wasm');
    expect(r.tfjsVersion).toMatch(/^4\./);
  });
});

describe('tampering in the sandbox does not move the score', () => {
  it('patched tf.metrics, a fake history and accuracy, and rewritten training data: judged on the real test set', async () => {
    const prep4 = await prepareAssignment(loadAssignment(path.join(ROOT, 'assignments', 'fashion-mnist-hw4')), { parts: new Set(['ffn-training']) });
    const r = await gradeSubmission(prep4, bad('tamper'), { only: ['ffn-training'] });
    const p = part(r, 'ffn-training');
    expect(p.score).toBe(0);
    const acc = p.checks[0].received as number;
    // An untrained 10-class model: near chance, whatever the submission claimed.
    expect(acc).toBeLessThan(0.25);
    expect(p.messages[0]).toMatch(/accuracy 0\.\d+ on 10,000 test images/);
    expect(JSON.stringify(p)).not.toContain('testAccuracy');
  });
});

describe("a part's output", () => {
  it('is what the code printed during that part, never another part (hidden ones included)', async () => {
    const r = await gradeSubmission(prep, bad('prints'), { all: true, only: ['scratch-forward', 'scratch-backprop', 'scratch-backprop-hidden'] });
    expect(part(r, 'scratch-forward').output).toBe('forward: N = 1000\n');
    const visible = part(r, 'scratch-backprop').output!;
    expect(visible).toContain('backward: N = 1000');
    expect(visible).toContain('backward (stderr): N = 1000');
    expect(visible).not.toContain('64');
    expect(part(r, 'scratch-backprop-hidden').output).toContain('backward: N = 64');
  });
});
