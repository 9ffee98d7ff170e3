// The accuracy parts of the CIFAR-10 and MNIST assignments. The real data sets are not on the test
// machines, so test/fixtures/datasets/make-datasets.mjs writes synthetic but learnable stand-ins in
// the real file formats (MNIST IDX .gz, committed; CIFAR-10 binary batches, written here). With
// NNGRADE_DATA pointing at them the parts are graded like real data: the correct example trains to
// full points, the under-trained one to none. Without any data they are not graded, and say which
// files they looked for. (check.test.ts sees them as this machine's CI does: without the data.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAssignment } from '../../grader/spec/load.ts';
import { gradeSubmission, prepareAssignment } from '../../grader/grade.ts';
import { loadDataset } from '../../grader/datasets/resolve.ts';
import { CLI, ROOT, execFileSync, exampleDir } from '../helpers.ts';

const DATA = path.join(ROOT, 'test', 'fixtures', 'datasets');

interface Case {
  id: string;
  /** The accuracy part. */
  part: string;
  dataset: 'cifar10' | 'mnist';
  /** What the spec's `limit`s read: the train set's files, then the test set's. */
  trainFiles: string[];
}

const CASES: Case[] = [
  { id: 'two-layer-net-cifar10', part: 'cnn-a-training', dataset: 'cifar10', trainFiles: ['data_batch_1.bin', 'data_batch_5.bin'] },
  { id: 'cifar10-mlp-hw4', part: 'ffn-training', dataset: 'cifar10', trainFiles: ['data_batch_1.bin', 'data_batch_5.bin'] },
  { id: 'mnist-cnn-hw5', part: 'cnn-training', dataset: 'mnist', trainFiles: ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'] },
  { id: 'logistic-regression-quiz2', part: 'conv-accuracy', dataset: 'mnist', trainFiles: ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'] },
];

const saved = { data: process.env.NNGRADE_DATA, cache: process.env.NNGRADE_CACHE };
const restore = () => {
  for (const [k, v] of [['NNGRADE_DATA', saved.data], ['NNGRADE_CACHE', saved.cache]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
};

beforeAll(() => {
  // The CIFAR-10 batches are not committed (10,000 records a file, mostly a sparse zero tail): write them.
  const cifar = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin', 'batches.meta.txt'];
  if (!cifar.every((f) => existsSync(path.join(DATA, 'cifar10', f)))) {
    execFileSync(process.execPath, [path.join(DATA, 'make-datasets.mjs'), 'cifar10'], { cwd: ROOT });
  }
});
afterAll(restore);

describe('the synthetic data sets', () => {
  it('are what the generator writes (the committed MNIST files are up to date)', () => {
    execFileSync(process.execPath, [path.join(DATA, 'make-datasets.mjs'), '--check'], { cwd: ROOT });
  });

  it('load through the engine as MNIST and CIFAR-10, every class present', async () => {
    const mnist = await loadDataset('mnist', 'train', { path: path.join(DATA, 'mnist') });
    expect(mnist.shape).toEqual([1000, 28, 28]);
    const cifar = await loadDataset('cifar10', 'test', { path: path.join(DATA, 'cifar10') });
    expect(cifar.shape).toEqual([500, 32, 32, 3]);
    expect(cifar.classNames?.[0]).toBe('airplane');
    for (const labels of [mnist.y, cifar.y]) {
      const counts = new Array(10).fill(0);
      for (const c of labels) counts[c]++;
      expect(Math.min(...counts)).toBeGreaterThan(labels.length / 20);
    }
  });
});

describe.each(CASES)('$id with the data ($dataset, synthetic)', ({ id, part }) => {
  beforeAll(() => {
    process.env.NNGRADE_DATA = DATA;
  });
  afterAll(restore);

  it('the correct example gets every point, the accuracy part included', async () => {
    const loaded = loadAssignment(path.join(ROOT, 'assignments', id));
    const prep = await prepareAssignment(loaded, { skipMissingData: true });
    expect(prep.skipped).toEqual([]);
    const r = await gradeSubmission(prep, path.join(ROOT, 'submissions', id, 'correct'), { all: true });
    const p = r.parts.find((x) => x.id === part)!;
    expect(p.status, p.messages.join('\n')).toBe('passed');
    expect(Math.abs(p.score - p.maxScore)).toBeLessThanOrEqual(0.05);
    expect(p.checks.find((c) => c.name === 'test accuracy')!.message).toMatch(/^accuracy 0\.\d+ on 500 test images .*the reference trained the same way reaches/);
    expect(p.artifacts?.map((a) => a.type)).toEqual(expect.arrayContaining(['bands', 'history', 'confusion']));
    // Written answers wait for a person: not in the score, counted apart.
    const byPerson = loaded.spec.parts.filter((x) => x.kind === 'manual').reduce((s, x) => s + x.points, 0);
    expect(Math.abs(r.score - (loaded.spec.points - byPerson))).toBeLessThanOrEqual(0.05);
    expect(r.parts.every((x) => x.status === 'passed' || (x.kind === 'manual' && x.status === 'pending'))).toBe(true);
  });

  it('the under-trained example gets none of its points', async () => {
    const loaded = loadAssignment(path.join(ROOT, 'assignments', id));
    const prep = await prepareAssignment(loaded, { skipMissingData: true, parts: new Set([part]) });
    const r = await gradeSubmission(prep, exampleDir(id, 'under-trained'), { all: true, only: [part] });
    const p = r.parts.find((x) => x.id === part)!;
    expect(p.status).toBe('failed');
    expect(p.score).toBeLessThanOrEqual(0.05);
    expect(p.messages.join('\n')).toContain('below the target');
  });
});

describe.each(CASES)('$id without the data', ({ id, part, dataset, trainFiles }) => {
  let empty: string;
  beforeAll(() => {
    empty = mkdtempSync(path.join(os.tmpdir(), 'nngrade-no-data-'));
    process.env.NNGRADE_DATA = empty;
    process.env.NNGRADE_CACHE = mkdtempSync(path.join(os.tmpdir(), 'nngrade-no-cache-'));
  });
  afterAll(restore);

  // A machine with the real data set installed system-wide finds it there: nothing to skip.
  it.skipIf(existsSync(path.join('/usr/share/datasets', dataset)))('the accuracy part is not graded, and says which files it looked for', async () => {
    const loaded = loadAssignment(path.join(ROOT, 'assignments', id));
    const prep = await prepareAssignment(loaded, { skipMissingData: true });
    // Every part that reads the data set is left out (two-layer-net-cifar10 has two: its CNN and its TwoLayerNet).
    const needData = loaded.spec.parts.filter((x) => x.kind === 'accuracy').map((x) => x.id);
    expect(prep.skipped.map((s) => s.part).sort()).toEqual(needData.sort());
    expect(needData).toContain(part);
    const r = await gradeSubmission(prep, path.join(ROOT, 'submissions', id, 'correct'), { all: true });
    const p = r.parts.find((x) => x.id === part)!;
    expect(p.status).toBe('skipped');
    expect(p.score).toBe(0);
    const why = p.messages.join('\n');
    expect(why).toContain(`not graded: the ${dataset} train set was not found`);
    expect(why).toContain(path.join(empty, dataset));
    for (const f of trainFiles) expect(why).toContain(f);
    // Everything else is graded, and the total counts only what was graded.
    expect(r.parts.filter((x) => !needData.includes(x.id)).every((x) => x.status === 'passed' || (x.kind === 'manual' && x.status === 'pending'))).toBe(true);
    const apart = loaded.spec.parts.filter((x) => x.kind === 'manual' || needData.includes(x.id)).reduce((s, x) => s + x.points, 0);
    expect(r.maxScore).toBe(loaded.spec.points - apart);
    expect(r.score).toBe(r.maxScore);
  });
});

describe('nngrade check without the data', () => {
  afterAll(restore);
  it.skipIf(existsSync('/usr/share/datasets/cifar10'))('reports the CIFAR-10 part as not graded in its JSON', () => {
    const env = { ...process.env, NNGRADE_DATA: mkdtempSync(path.join(os.tmpdir(), 'nngrade-no-data-')), NNGRADE_CACHE: mkdtempSync(path.join(os.tmpdir(), 'nngrade-no-cache-')) };
    let out: string;
    try {
      out = execFileSync(process.execPath, [CLI, 'check', 'cifar10-mlp-hw4', path.join(ROOT, 'submissions', 'cifar10-mlp-hw4', 'correct'), '--all', '--json'], { cwd: ROOT, env, encoding: 'utf8' });
    } catch (e) {
      out = (e as { stdout: string }).stdout; // exit code 1: not every point was earned
    }
    const r = JSON.parse(out) as { parts: { id: string; status: string; messages: string[] }[] };
    const p = r.parts.find((x) => x.id === 'ffn-training')!;
    expect(p.status).toBe('skipped');
    expect(p.messages[0]).toMatch(/^not graded: the cifar10 train set was not found; looked in: /);
    expect(p.messages[0]).toContain('expected files: data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin');
  });
});

describe('under-trained and broken hand-ins of the from-scratch TwoLayerNet and the quiz models (synthetic data)', () => {
  beforeAll(() => {
    process.env.NNGRADE_DATA = DATA;
  });
  afterAll(restore);
  const gradePart = async (id: string, example: string, part: string) => {
    const prep = await prepareAssignment(loadAssignment(path.join(ROOT, 'assignments', id)), { skipMissingData: true, parts: new Set([part]) });
    return (await gradeSubmission(prep, exampleDir(id, example), { all: true, only: [part] })).parts.find((x) => x.id === part)!;
  };
  it('TwoLayerNet: the correct train() reaches the reference; SGD whose updates are lost gets none; a predict() of one label gets none, saying why', async () => {
    const ok = await gradePart('two-layer-net-cifar10', 'correct', 'twolayer-accuracy');
    expect([ok.status, ok.score]).toEqual(['passed', ok.maxScore]);
    const under = await gradePart('two-layer-net-cifar10', 'sgd-update-lost', 'twolayer-accuracy');
    expect(under.score).toBe(0);
    expect(under.messages.join('\n')).toContain('below the target');
    const broken = await gradePart('two-layer-net-cifar10', 'predict-one-label', 'twolayer-accuracy');
    expect(broken.score).toBe(0);
    expect(broken.messages[0]).toBe('predict() should return one class per test example (an array of 500), got number');
  });
  it('quiz: each of the three models under-trained gets none of its points', async () => {
    for (const part of ['logistic-accuracy', 'dense-accuracy', 'conv-accuracy']) {
      const p = await gradePart('logistic-regression-quiz2', 'under-trained', part);
      expect([part, p.score]).toEqual([part, 0]);
    }
  });
  it('quiz: a train function that returns nothing gets no points and is told what to return', async () => {
    const broken = await gradePart('logistic-regression-quiz2', 'train-returns-nothing', 'conv-accuracy');
    expect(broken.score).toBe(0);
    expect(broken.messages[0]).toMatch(/^trainConvModel\(\) should return the trained tf\.LayersModel/);
  });
});
