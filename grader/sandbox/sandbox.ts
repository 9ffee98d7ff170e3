/**
 * The parent side of the sandbox: one child process at a time per Sandbox,
 * started inside the OS layers this machine offers (isolation.ts) with Node's
 * permission model, a heap limit, a scrubbed environment and its own process
 * group. Messages come only as frames on the channel (channel.ts) and are
 * checked before use (validate.ts); what the child prints is captured, capped
 * and cleaned, and never parsed for results.
 *
 * Each task has a time limit; a timeout, a crash, memory exhaustion or a
 * malformed message kills the child and becomes that task's outcome. A child
 * that leaves work behind after a task (timers, sockets, a stray error) is not
 * reused: the next part gets a fresh one, so one part cannot reach another.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Socket } from 'node:net';
import type { ChildMessage, Task, WireError } from './protocol.ts';
import { PROTOCOL_VERSION } from './protocol.ts';
import { FrameReader, encodeFrame } from './channel.ts';
import { checkChildMessage, MalformedMessage } from './validate.ts';
import { cleanText } from './sanitize.ts';
import { childCommand, detectIsolation, type Isolation } from './isolation.ts';
import { packageRoot } from '../util/paths.ts';

export interface SandboxOptions {
  /** The bundled submission (an .mjs file in `workDir`). */
  bundle: string;
  /** The child's private temp dir: its cwd, HOME and the only place it may write. */
  workDir: string;
  memoryMb: number;
  /** Extra directories the child may read (e.g. node_modules for @tensorflow/*). */
  readDirs?: string[];
  /** The submission uses TensorFlow.js: set the backend up before loading it. */
  tf?: boolean;
  /** The OS layers to use (default: what this machine offers). */
  isolation?: Isolation;
  /** CPU seconds the child may use over its life (a backstop behind the time limits). */
  cpuSeconds?: number;
}

export type FailureKind = 'error' | 'timeout' | 'crash' | 'memory' | 'load' | 'malformed';

export type TaskOutcome =
  | { ok: true; value: unknown; ms: number; output: string; backend?: string }
  | { ok: false; kind: FailureKind; message: string; error?: WireError; ms: number; output: string; backend?: string };

const OUTPUT_CAP = 16 * 1024;
/** Bytes of output kept while a task runs, before the cap is applied (marks must still be seen). */
const RAW_OUTPUT_CAP = 64 * 1024;
const FILE_BYTES = 256 * 1024 * 1024;

type Event = ChildMessage | { type: 'exit' } | { type: 'timeout' } | { type: 'malformed'; reason: string };

export function childScriptPath(): string {
  return path.join(packageRoot(), 'dist', 'sandbox-child.js');
}

/** A process and all its descendants (bubblewrap's child included), from each thread's children list. */
function processTree(root: number): number[] {
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    let threads: string[];
    try {
      threads = readdirSync(`/proc/${tree[i]}/task`);
    } catch {
      continue; // gone
    }
    for (const t of threads) {
      try {
        for (const c of readFileSync(`/proc/${tree[i]}/task/${t}/children`, 'utf8').split(' ')) if (c.trim()) tree.push(Number(c));
      } catch { /* gone */ }
    }
  }
  return tree;
}

/** Resident memory of a process and all its descendants, in MB. */
function treeRssMb(root: number): number {
  let kb = 0;
  for (const pid of processTree(root)) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch { /* gone */ }
  }
  return kb / 1024;
}

export class Sandbox {
  /** Children started by this process so far (tests check that regrading starts none). */
  static spawned = 0;
  private child?: ChildProcess;
  private channel?: Socket;
  private ready?: Promise<{ ok: true } | { ok: false; outcome: TaskOutcome }>;
  private hello?: Promise<Event>;
  private output = '';
  private mark = '';
  private marksSeen = 0;
  private onMark?: () => void;
  private exitInfo?: { code: number | null; signal: NodeJS.Signals | null };
  private rssTimer?: NodeJS.Timeout;
  private memoryExceeded = false;
  private pending?: (m: Event) => void;
  /** Set when the child must not be used for another task. */
  private spent = false;
  private readonly isolation: Isolation;

  constructor(private readonly opts: SandboxOptions) {
    this.isolation = opts.isolation ?? detectIsolation();
  }

  /** The OS and process layers around this sandbox's children. */
  get layers(): string[] {
    return this.isolation.layers;
  }

  /** Which bundle to load, and whether it needs tf: known once the submission is bundled (the child may already be warming up). */
  useBundle(bundle: string, tf: boolean): void {
    this.opts.bundle = bundle;
    this.opts.tf = tf;
  }

  /** Start the child process now (it needs ~50 ms), so it is ready when the bundle is; with `tf`, it loads TensorFlow.js meanwhile. */
  warm(tf = false): void {
    if (this.child || this.hello) return;
    const hello = this.spawn();
    this.hello = tf ? hello.then((h) => { if (h.type === 'ready') this.post({ type: 'prepare', tf: true }); return h; }) : hello;
  }

  private start(loadTimeoutMs: number): Promise<{ ok: true } | { ok: false; outcome: TaskOutcome }> {
    const hello = this.hello ?? this.spawn();
    this.hello = undefined;
    return (this.ready = (async () => {
      const h = await hello;
      if (h.type !== 'ready') return { ok: false as const, outcome: this.failure(h, 'load', 0, 15_000) };
      if (h.protocol !== PROTOCOL_VERSION) return { ok: false as const, outcome: this.failure({ type: 'malformed', reason: `protocol ${h.protocol}, expected ${PROTOCOL_VERSION}` }, 'load', 0) };
      const t0 = performance.now();
      this.post({ type: 'load', bundle: this.opts.bundle, tf: this.opts.tf });
      const loaded = await this.next(loadTimeoutMs, (m) => m.type === 'loaded' || m.type === 'loadError');
      if (loaded.type === 'loaded') return { ok: true as const };
      return { ok: false as const, outcome: this.failure(loaded, 'load', performance.now() - t0, loadTimeoutMs) };
    })());
  }

  private post(m: unknown): void {
    try {
      this.channel?.write(encodeFrame(m));
    } catch { /* the child is gone: its exit is reported */ }
  }

  private spawn(): Promise<Event> {
    const { bundle, workDir, memoryMb } = this.opts;
    const script = childScriptPath();
    const dist = path.dirname(script);
    const readDirs = this.opts.readDirs ?? [];
    // Read access to the bundle's folder (the bundle may be chosen after the child starts).
    const reads = [dist + '/*', path.dirname(bundle) + '/*', ...readDirs.map((d) => d + '/*')];
    const node = [
      process.execPath,
      '--experimental-permission',
      ...reads.map((r) => `--allow-fs-read=${r}`),
      `--allow-fs-write=${workDir}/*`,
      `--max-old-space-size=${memoryMb}`,
      '--enable-source-maps',
      '--no-warnings',
      '--disable-proto=delete',
      '--disallow-code-generation-from-strings',
      script,
      ...(this.isolation.layers.includes('guards') ? [] : ['--no-guards']),
    ];
    const mounts = { read: [dist, path.join(packageRoot(), 'package.json'), path.dirname(bundle), ...readDirs], write: workDir };
    const cmd = childCommand(this.isolation, node, mounts, { cpuSeconds: this.opts.cpuSeconds ?? 600, fileBytes: FILE_BYTES });
    this.output = '';
    this.exitInfo = undefined;
    this.memoryExceeded = false;
    this.spent = false;
    Sandbox.spawned++;
    const child = spawn(cmd.file, cmd.args, {
      cwd: workDir,
      env: { PATH: '/usr/bin:/bin', HOME: workDir, TMPDIR: workDir, NODE_ENV: 'production', LANG: 'C.UTF-8' },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      detached: true,
      ...(cmd.uid !== undefined ? { uid: cmd.uid, gid: cmd.gid } : {}),
    });
    this.child = child;
    const channel = child.stdio[3] as Socket;
    this.channel = channel;
    const reader = new FrameReader();
    channel.on('data', (chunk: Buffer) => {
      if (this.child !== child) return;
      for (const f of reader.push(chunk)) {
        if (!f.ok) {
          this.pending?.({ type: 'malformed', reason: f.error });
          this.kill();
          return;
        }
        let m: ChildMessage;
        try {
          m = checkChildMessage(f.value);
        } catch (e) {
          if (!(e instanceof MalformedMessage)) throw e;
          this.pending?.({ type: 'malformed', reason: e.message });
          this.kill();
          return;
        }
        // An error the submission left behind between tasks: this child is not used again.
        if (m.type === 'fault') this.spent = true;
        this.pending?.(m);
      }
    });
    channel.on('error', () => {});
    const collect = (b: Buffer) => {
      if (this.child !== child) return;
      let text = b.toString('utf8');
      if (this.mark && text.includes(this.mark)) {
        const marks = text.split(this.mark).length - 1;
        text = text.split(`${this.mark}\n`).join('').split(this.mark).join('');
        this.marksSeen += marks;
        this.onMark?.();
      }
      if (this.output.length < RAW_OUTPUT_CAP) this.output += text.slice(0, RAW_OUTPUT_CAP - this.output.length);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      this.exitInfo = { code, signal };
      clearInterval(this.rssTimer);
      this.child = undefined;
      this.pending?.({ type: 'exit' });
    });
    child.on('error', () => {});
    this.rssTimer = setInterval(() => this.checkMemory(), 200);
    this.rssTimer.unref();
    return this.next(15_000, (m) => m.type === 'ready');
  }

  private checkMemory(): void {
    const pid = this.child?.pid;
    if (!pid) return;
    // The heap limit covers JS objects; this covers typed arrays and wasm memory too.
    if (treeRssMb(pid) > this.opts.memoryMb * 1.5 + 200) {
      this.memoryExceeded = true;
      const waiting = this.pending;
      this.kill();
      waiting?.({ type: 'exit' });
    }
  }

  /** The next event that `accept`s; exits, timeouts and malformed messages always end the wait. */
  private next(timeoutMs: number, accept: (m: ChildMessage) => boolean): Promise<Event> {
    return new Promise((resolve) => {
      if (!this.child) return resolve({ type: 'exit' });
      const timer = setTimeout(() => {
        this.pending = undefined;
        resolve({ type: 'timeout' });
      }, timeoutMs);
      this.pending = (m) => {
        // Messages that answer nothing asked (a late result, a forged one for another task) are dropped.
        if (m.type !== 'exit' && m.type !== 'timeout' && m.type !== 'malformed' && !accept(m)) return;
        clearTimeout(timer);
        this.pending = undefined;
        resolve(m);
      };
    });
  }

  /** Wait (briefly) until both streams carried the end-of-task marker: all of the task's output is in. */
  private async drained(): Promise<void> {
    const deadline = Date.now() + 500;
    while (this.marksSeen < 2 && Date.now() < deadline && this.child) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 20);
        this.onMark = () => { clearTimeout(t); resolve(); };
      });
    }
    this.onMark = undefined;
  }

  private takeOutput(): string {
    const text = cleanText(this.output);
    this.output = '';
    return text.length > OUTPUT_CAP ? `${text.slice(0, OUTPUT_CAP)}\n… (output cut at ${OUTPUT_CAP / 1024} KiB)` : text;
  }

  private failure(m: Event, phase: 'load' | 'task', ms: number, timeoutMs = 0): TaskOutcome {
    const output = this.takeOutput();
    const denied = /ERR_ACCESS_DENIED|SandboxDenied/.test(output);
    if (m.type === 'loadError') return { ok: false, kind: 'load', message: `the submission failed while loading: ${m.error.message}`, error: m.error, ms, output };
    if (m.type === 'malformed') {
      this.kill();
      return { ok: false, kind: 'malformed', message: `the submission sent a malformed result (${m.reason}); results come only from returning values`, ms, output };
    }
    if (m.type === 'timeout') {
      this.kill();
      const s = (timeoutMs / 1000).toFixed(1);
      const message = phase === 'load'
        ? `did not finish loading within ${s} s (time limit): code at the top level of a file runs when it is loaded; look for an infinite loop or far too much work there`
        : `did not finish within ${s} s (time limit); look for an infinite loop or far too much work`;
      return { ok: false, kind: 'timeout', message, ms, output };
    }
    if (m.type === 'exit' || !this.child) {
      const heap = /heap out of memory|Allocation failed|invalid array length|WebAssembly\.Memory|Out of memory/i.test(output);
      if (this.memoryExceeded || heap) {
        return { ok: false, kind: 'memory', message: `used more than ${this.opts.memoryMb} MB of memory (the limit)`, ms, output };
      }
      const sig = this.exitInfo?.signal;
      if (sig === 'SIGXCPU') return { ok: false, kind: 'timeout', message: `used more than its CPU time (${this.opts.cpuSeconds ?? 600} s)`, ms, output };
      const how = sig ? `was killed by ${sig}` : `exited with code ${this.exitInfo?.code}`;
      const why = denied ? ' after being denied access (the sandbox allows no file access outside its temp dir, no network, no signals, no child processes and no workers)' : '';
      return { ok: false, kind: 'crash', message: `the submission's process ${how}${why}${phase === 'load' ? ' while loading' : ' during this part'}`, ms, output };
    }
    return { ok: false, kind: 'crash', message: `unexpected message from the sandbox: ${m.type}`, ms, output };
  }

  async run(task: Task, timeoutMs: number): Promise<TaskOutcome> {
    if (this.spent) this.kill();
    if (!this.child || !this.ready) this.start(timeoutMs);
    const ready = await this.ready!;
    if (!ready.ok) {
      this.kill();
      this.ready = undefined;
      return ready.outcome;
    }
    this.output = '';
    this.marksSeen = 0;
    this.mark = `\u0000nngrade-end-${randomBytes(12).toString('hex')}`;
    const t0 = performance.now();
    this.post({ type: 'task', task, mark: this.mark });
    const m = await this.next(timeoutMs, (x) => x.type === 'result' && x.id === task.id);
    const ms = performance.now() - t0;
    if (m.type === 'result') {
      await this.drained();
      if (m.dirty) this.spent = true;
      const output = this.takeOutput();
      if (m.ok) return { ok: true, value: m.value, ms, output, backend: m.backend };
      return { ok: false, kind: 'error', message: m.error.message, error: m.error, ms, output, backend: m.backend };
    }
    const out = this.failure(m, 'task', ms, timeoutMs);
    this.kill();
    return out;
  }

  kill(): void {
    const c = this.child;
    this.child = undefined;
    this.ready = undefined;
    this.channel = undefined;
    clearInterval(this.rssTimer);
    // Whoever waits on this child (a warm-up that was never used) is told now, so no timer keeps the grader alive.
    const waiting = this.pending;
    this.pending = undefined;
    waiting?.({ type: 'exit' });
    if (!c?.pid) return;
    try {
      process.kill(-c.pid, 'SIGKILL');
    } catch {
      try { c.kill('SIGKILL'); } catch { /* already gone */ }
    }
  }

  close(): void {
    this.kill();
    this.hello = undefined;
  }
}
