/**
 * The sandbox child: runs inside a Node process started with the permission
 * model (read only its bundle and the grader's dependencies, write only its
 * temp dir, no child processes or workers). It imports the student's bundle,
 * runs tasks, and returns raw values. It never sees the reference or the
 * expected outputs, and it judges nothing.
 */
import type { ChildMessage, ParentMessage } from './protocol.ts';
import { runTask, wireError, type Module } from './tasks.ts';
import { PROTOCOL_VERSION } from './protocol.ts';
import { OUTPUT_MARK } from './output-mark.ts';

const send = process.send!.bind(process) as (m: ChildMessage) => boolean;
let mod: Module = {};

/** The TensorFlow.js backend the submission's code used, if it loaded tf at all. */
const tfBackend = (): string | undefined => (globalThis as { _tfengine?: { backendName?: string } })._tfengine?.backendName ?? undefined;

process.on('message', async (m: ParentMessage) => {
  if (m.type === 'load') {
    try {
      // Before the student's code can create a tensor: the fastest backend that loads (tfjs-node, wasm, cpu).
      if (m.tf) await (await import('../tf/backend.ts')).initTf();
      mod = (await import(m.bundle)) as Record<string, unknown>;
      send({ type: 'loaded', exports: Object.fromEntries(Object.entries(mod).map(([k, v]) => [k, typeof v])) });
    } catch (e) {
      send({ type: 'loadError', error: wireError(e) });
    }
    return;
  }
  if (m.type === 'task') {
    const t0 = performance.now();
    const endOutput = () => {
      process.stdout.write(`${OUTPUT_MARK}\n`);
      process.stderr.write(`${OUTPUT_MARK}\n`);
    };
    try {
      const value = await runTask(mod, m.task);
      endOutput();
      send({ type: 'result', id: m.task.id, ok: true, value, ms: performance.now() - t0, backend: tfBackend() });
    } catch (e) {
      endOutput();
      send({ type: 'result', id: m.task.id, ok: false, error: wireError(e), ms: performance.now() - t0, backend: tfBackend() });
    }
  }
});

send({ type: 'ready', protocol: PROTOCOL_VERSION, node: process.version });
