/**
 * The sandbox child: runs inside a Node process started with the permission
 * model (read only its bundle and the grader's dependencies, write only its
 * temp dir, no child processes or workers), and inside bubblewrap where it is
 * available. It talks to the parent only through frames on fd 3 (channel.ts),
 * installs the in-process guards (guards.ts), imports the student's bundle,
 * runs tasks, and returns raw values. It never sees the reference or the
 * expected outputs, and it judges nothing.
 */
import net from 'node:net';
import type { ChildMessage, ParentMessage } from './protocol.ts';
import { runTask, wireError, type Module } from './tasks.ts';
import { PROTOCOL_VERSION } from './protocol.ts';
import { CHANNEL_FD, FrameReader, encodeFrame } from './channel.ts';
import { installGuards, intrinsicsSnapshot } from './guards.ts';

// Everything the child itself needs is taken before the guards and the submission can touch it.
const socket = new net.Socket({ fd: CHANNEL_FD, readable: true, writable: true });
const immediate = setImmediate;
const write = (s: string) => new Promise<void>((r) => { process.stdout.write(s, () => r()); });
const writeErr = (s: string) => new Promise<void>((r) => { process.stderr.write(s, () => r()); });
const send = (m: ChildMessage) => {
  socket.write(encodeFrame(m));
};
const baseline = new Set(process.getActiveResourcesInfo());
// At start-up, while the parent bundles the submission (only the containment suite turns them off).
const timers = process.argv.includes('--no-guards') ? { pending: () => 0 } : installGuards();
let changedIntrinsics = () => false;
let mod: Module = {};
let tfReady: Promise<unknown> | undefined;
let current: string | undefined;
let faults: string[] = [];

/** The TensorFlow.js backend the submission's code used, if it loaded tf at all. */
const tfBackend = (): string | undefined => (globalThis as { _tfengine?: { backendName?: string } })._tfengine?.backendName ?? undefined;

// An error the submission leaves behind: during a task it is that task's; outside any task, the
// parent is told, and this process is not used again.
const onFault = (e: unknown) => {
  const err = wireError(e);
  if (current) faults.push(`${err.name}: ${err.message}`);
  else send({ type: 'fault', error: err });
};
process.on('uncaughtException', onFault);
process.on('unhandledRejection', onFault);

/** Left-over work of the submission (timers, sockets, changed built-ins): the process is then not reused. */
function dirty(): boolean {
  if (timers.pending() > 0 || changedIntrinsics()) return true;
  const now = process.getActiveResourcesInfo().filter((r) => !baseline.has(r) && r !== 'TTYWrap' && r !== 'PipeWrap' && r !== 'CloseReq' && r !== 'WriteWrap' && r !== 'ShutdownWrap');
  return now.length > 0;
}

async function onMessage(m: ParentMessage): Promise<void> {
  if (m.type === 'prepare') {
    // A pre-warmed child loads tf while it waits for its submission (errors surface again at load).
    tfReady ??= import('../tf/backend.ts').then((b) => b.initTf());
    tfReady.catch(() => {});
    return;
  }
  if (m.type === 'load') {
    try {
      // Before the student's code can create a tensor: the fastest backend that loads (tfjs-node, wasm, cpu).
      if (m.tf) await (tfReady ??= import('../tf/backend.ts').then((b) => b.initTf()));
      mod = (await import(m.bundle)) as Record<string, unknown>;
      changedIntrinsics = intrinsicsSnapshot();
      send({ type: 'loaded', exports: Object.fromEntries(Object.entries(mod).map(([k, v]) => [k, typeof v])) });
    } catch (e) {
      send({ type: 'loadError', error: wireError(e) });
    }
    return;
  }
  if (m.type === 'task') {
    const t0 = performance.now();
    current = m.task.id;
    faults = [];
    let value: unknown;
    let error: unknown;
    let ok = true;
    try {
      value = await runTask(mod, m.task);
    } catch (e) {
      ok = false;
      error = e;
    }
    // Let the task's stray rejections surface before it is reported.
    await new Promise((r) => immediate(r));
    current = undefined;
    if (ok && faults.length) {
      ok = false;
      error = Object.assign(new Error(`an error escaped the call (${faults[0]})`), { name: 'UncaughtError' });
    }
    await Promise.all([write(`${m.mark}\n`), writeErr(`${m.mark}\n`)]);
    const common = { id: m.task.id, ms: performance.now() - t0, backend: tfBackend(), dirty: dirty() };
    try {
      send(ok ? { type: 'result', ok: true, value, ...common } : { type: 'result', ok: false, error: wireError(error), ...common });
    } catch (e) {
      send({ type: 'result', ok: false, error: wireError(e), ...common });
    }
  }
}

const reader = new FrameReader();
socket.on('data', (chunk: Buffer) => {
  for (const f of reader.push(chunk)) if (f.ok) void onMessage(f.value as ParentMessage);
});
socket.on('error', () => process.exit(70));
socket.on('close', () => process.exit(0));
send({ type: 'ready', protocol: PROTOCOL_VERSION, node: process.version });
