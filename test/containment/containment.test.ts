// The containment suite (npm run test:containment): hostile hand-ins, each asserting its verdict
// and that nothing escaped, under every combination of layers this machine can run. Slow, so it is
// not part of `npm test`; .ci/run runs both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync as mkdir } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { loadAssignment } from '../../grader/spec/load.ts';
import { gradeSubmission, prepareAssignment, type PreparedAssignment } from '../../grader/grade.ts';
import type { GradeResult } from '../../grader/judge/result.ts';
import { detectIsolation, type Isolation } from '../../grader/sandbox/isolation.ts';
import { ROOT, specVariant } from '../helpers.ts';
import { CASES, type HostileCase } from './cases.ts';

const CORRECT = path.join(ROOT, 'submissions', 'fashion-mnist-hw4', 'correct');
const SECRET = `nngrade-secret-${randomBytes(8).toString('hex')}`;
const OTHER = `other-student-secret-${randomBytes(8).toString('hex')}`;
const PARTS = ['scratch-forward', 'scratch-backprop'];

let prep: PreparedAssignment;
let prepModel: PreparedAssignment;
let classRoot: string;
let outside: string;
let tcp: Server;
let udp: UdpSocket;
let bystander: ChildProcess;
const received = { tcp: 0, udp: 0 };
let targets: Record<string, unknown>;

const full = detectIsolation();
const modes: { name: string; isolation: Isolation }[] = [
  { name: 'all layers', isolation: full },
  { name: 'without bubblewrap', isolation: { ...full, bwrap: undefined, layers: full.layers.filter((l) => l !== 'bwrap') } },
  ...(full.bwrap ? [{ name: 'bubblewrap without the in-process guards', isolation: { ...full, layers: full.layers.filter((l) => l !== 'guards') } }] : []),
];
const table: string[] = [];

beforeAll(async () => {
  process.env.NNGRADE_CONTAINMENT_SECRET = SECRET;
  const file = specVariant('fashion-mnist-hw4', (s) => { s.limits = { timeoutMs: 2000, memoryMb: 256 }; });
  prep = await prepareAssignment(loadAssignment(file), { parts: new Set(PARTS) });
  prepModel = await prepareAssignment(loadAssignment(file), { parts: new Set(['ffn-accuracy']), skipMissingData: true });
  classRoot = mkdtempSync(path.join(os.tmpdir(), 'nngrade-class-'));
  outside = mkdtempSync(path.join(os.tmpdir(), 'nngrade-outside-'));
  mkdirSync(path.join(classRoot, 'other-student'));
  writeFileSync(path.join(classRoot, 'other-student', 'secret.ts'), `export default ${JSON.stringify(OTHER)};\n`);
  cpSync(path.join(CORRECT, 'ffn-model'), path.join(classRoot, 'other-student', 'ffn-model'), { recursive: true });
  tcp = createServer((s) => { received.tcp++; s.destroy(); });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', () => r()));
  udp = createSocket('udp4');
  udp.on('message', () => { received.udp++; });
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
  bystander = spawn('sleep', ['600'], { stdio: 'ignore' });
  targets = {
    canary: path.join(outside, 'canary'),
    tcpPort: (tcp.address() as { port: number }).port,
    udpPort: udp.address().port,
    bystander: bystander.pid,
    otherSecret: path.join(classRoot, 'other-student', 'secret.ts'),
    reference: path.join(ROOT, 'reference', 'fashion-mnist-hw4', 'index.ts'),
  };
}, 120_000);

afterAll(() => {
  bystander?.kill('SIGKILL');
  tcp?.close();
  udp?.close();
  console.log(`\nWhich layers stopped what (status of the attacked part, first words of its verdict):\n${table.join('\n')}\n`);
  rmSync(classRoot, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

/** The case's folder: the correct example, its submission.ts, targets.json and extra files. */
function handIn(c: HostileCase, tag: string): string {
  const dir = path.join(classRoot, `${tag}-${c.name}`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(CORRECT, dir, { recursive: true });
  writeFileSync(path.join(dir, 'submission.ts'), c.source);
  writeFileSync(path.join(dir, 'targets.json'), JSON.stringify(targets));
  for (const [name, content] of Object.entries(c.files ?? {})) {
    const p = path.join(dir, name);
    rmSync(p, { recursive: true, force: true });
    if (content.startsWith('->')) {
      const key = content.slice(2);
      symlinkSync(typeof targets[key] === 'string' ? (targets[key] as string) : key, p);
    } else if (content === 'fifo') execFileSync('mkfifo', [p]);
    else {
      mkdir(path.dirname(p), { recursive: true });
      writeFileSync(p, content);
    }
  }
  return dir;
}

const processState = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];

/** Nothing got out, whatever the verdict. */
function assertContained(r: GradeResult, t0: number): void {
  const json = JSON.stringify(r);
  expect(existsSync(targets.canary as string), 'a file was written outside the sandbox').toBe(false);
  expect(received, 'the loopback listeners received something').toEqual({ tcp: 0, udp: 0 });
  expect(json.includes(SECRET), "the grader's environment reached the result").toBe(false);
  expect(json.includes(OTHER), "another student's file reached the result").toBe(false);
  expect(json).not.toMatch(/root:x:0:0/);
  expect(() => process.kill(bystander.pid!, 0), 'the bystander process was killed').not.toThrow();
  expect(processState(bystander.pid!), 'the bystander process was stopped').not.toBe('T');
  expect(processState(process.pid)).not.toBe('T');
  expect(json).not.toMatch(/\\u001b|\\u0007|\\u009b/);
  const parts = JSON.stringify(r.parts);
  expect(parts.includes(ROOT), "the grader's install path is shown").toBe(false);
  expect(parts).not.toMatch(/\/tmp\/nngrade-[A-Za-z0-9]{6}\//);
  for (const p of r.parts) expect((p.output ?? '').length).toBeLessThanOrEqual(17 * 1024);
  expect(performance.now() - t0, 'grading took longer than its time limits allow').toBeLessThan(25_000);
}

describe.each(modes)('hostile submissions, $name', ({ name: mode, isolation }) => {
  it.each(CASES)('$name', async (c) => {
    const t0 = performance.now();
    const r = await gradeSubmission(prep, handIn(c, mode.split(' ')[0]), { all: true, isolation });
    assertContained(r, t0);
    expect(r.isolation).toEqual(isolation.layers);
    const attacked = r.parts.find((p) => p.id === (c.part ?? 'scratch-forward'))!;
    table.push(`${mode.padEnd(42)} ${c.name.padEnd(36)} ${attacked.status.padEnd(8)} ${(attacked.messages[0] ?? '').split('\n')[0].slice(0, 90)}`);
    if (mode !== 'all layers') return;
    if (c.status) expect(attacked.status).toBe(c.status);
    else expect(attacked.status).not.toBe('passed');
    if (attacked.status !== 'passed') expect(attacked.messages.join('\n')).toMatch(c.verdict);
    if (c.othersPass !== false) expect(r.parts.find((p) => p.id === 'scratch-backprop')!.status, 'the untouched part lost points').toBe('passed');
  }, 60_000);
});

describe('handed-in model files', () => {
  const MODEL_CASES: HostileCase[] = [
    { name: 'artifact-folder-symlink', source: `export * from './scratch.ts';`, files: { 'ffn-model': `->${'OTHER_MODEL'}` }, verdict: /outside your submission folder/, part: 'ffn-accuracy' },
    { name: 'weights-symlink-dev-zero', source: `export * from './scratch.ts';`, files: { 'ffn-model/weights.bin': '->/dev/zero' }, verdict: /outside your submission folder/, part: 'ffn-accuracy' },
    { name: 'model-json-fifo', source: `export * from './scratch.ts';`, files: { 'ffn-model/model.json': 'fifo' }, verdict: /is a fifo, not a regular file/, part: 'ffn-accuracy' },
    { name: 'weights-oversized-manifest', source: `export * from './scratch.ts';`, files: { 'ffn-model/model.json': JSON.stringify({ modelTopology: { class_name: 'Sequential', config: { layers: [] } }, weightsManifest: [{ paths: ['../../other-student/ffn-model/weights.bin'], weights: [] }] }) }, verdict: /plain relative paths beside model\.json/, part: 'ffn-accuracy' },
  ];
  it.each(MODEL_CASES)('$name', async (c) => {
    if (!prepModel.tasks.has('ffn-accuracy')) return;
    targets.OTHER_MODEL = path.join(classRoot, 'other-student', 'ffn-model');
    const t0 = performance.now();
    const r = await gradeSubmission(prepModel, handIn(c, 'model'), { all: true, only: ['ffn-accuracy'] });
    assertContained(r, t0);
    const p = r.parts.find((x) => x.id === 'ffn-accuracy')!;
    expect(p.score).toBe(0);
    expect(p.messages.join('\n')).toMatch(c.verdict);
  }, 60_000);
});

describe('a batch: the hostile suite mixed with 10 correct hand-ins', () => {
  it('finishes, and the correct ones score exactly as they do alone', async () => {
    const alone = await gradeSubmission(prep, CORRECT, { all: true });
    expect(alone.score).toBe(alone.maxScore);
    // Interleaved: a correct hand-in after every five hostile ones.
    const order: { c?: HostileCase; correct: boolean }[] = [];
    CASES.forEach((c, k) => {
      order.push({ c, correct: false });
      if (k % 5 === 4 && order.filter((o) => o.correct).length < 10) order.push({ correct: true });
    });
    while (order.filter((o) => o.correct).length < 10) order.push({ correct: true });
    let i = 0;
    for (const x of order) {
      const dir = x.correct ? CORRECT : handIn(x.c!, 'batch');
      const r = await gradeSubmission(prep, dir, { all: true });
      if (x.correct) {
        i++;
        expect(r.parts.map((p) => [p.id, p.score, p.status])).toEqual(alone.parts.map((p) => [p.id, p.score, p.status]));
      }
    }
    expect(i).toBe(10);
  }, 600_000);
});
