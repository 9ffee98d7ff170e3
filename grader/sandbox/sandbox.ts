/**
 * The parent side of the sandbox: one child process per submission, started
 * with Node's permission model, a heap limit, a scrubbed environment and its
 * own process group. Each task has a time limit; a timeout, a crash or memory
 * exhaustion kills the group and becomes that task's outcome, and the next
 * task gets a fresh child.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ChildMessage, Task, WireError } from './protocol.ts';
import { PROTOCOL_VERSION } from './protocol.ts';
import { OUTPUT_MARK } from './output-mark.ts';
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
}

export type TaskOutcome =
  | { ok: true; value: unknown; ms: number; output: string; backend?: string }
  | { ok: false; kind: 'error' | 'timeout' | 'crash' | 'memory' | 'load'; message: string; error?: WireError; ms: number; output: string; backend?: string };

const OUTPUT_CAP = 16 * 1024;

export function childScriptPath(): string {
  return path.join(packageRoot(), 'dist', 'sandbox-child.js');
}

export class Sandbox {
  private child?: ChildProcess;
  private ready?: Promise<{ ok: true } | { ok: false; outcome: TaskOutcome }>;
  private output = '';
  private exitInfo?: { code: number | null; signal: NodeJS.Signals | null };
  private rssTimer?: NodeJS.Timeout;
  private memoryExceeded = false;
  private pending?: (m: ChildMessage | { type: 'exit' }) => void;
  private marksSeen = 0;
  private onMark?: () => void;

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
    this.marksSeen = 0;
  }

  constructor(private readonly opts: SandboxOptions) {}

  /** Which bundle to load, and whether it needs tf: known once the submission is bundled (the child may already be warming up). */
  useBundle(bundle: string, tf: boolean): void {
    this.opts.bundle = bundle;
    this.opts.tf = tf;
  }

  private hello?: Promise<ChildMessage | { type: 'exit' } | { type: 'timeout' }>;

  /** Start the child process now (it needs ~50 ms), so it is ready when the bundle is. */
  warm(): void {
    if (!this.child && !this.hello) this.hello = this.spawn();
  }

  private start(): Promise<{ ok: true } | { ok: false; outcome: TaskOutcome }> {
    const hello = this.hello ?? this.spawn();
    this.hello = undefined;
    const child = this.child!;
    return (this.ready = (async () => {
      const h = await hello;
      if (h.type !== 'ready') return { ok: false as const, outcome: this.failure(h, 'load', 0) };
      if (h.protocol !== PROTOCOL_VERSION) throw new Error(`sandbox protocol ${h.protocol}, expected ${PROTOCOL_VERSION}`);
      child.send({ type: 'load', bundle: this.opts.bundle, tf: this.opts.tf });
      const loaded = await this.next(15000);
      if (loaded.type === 'loaded') return { ok: true as const };
      return { ok: false as const, outcome: this.failure(loaded, 'load', 0) };
    })());
  }

  private spawn(): Promise<ChildMessage | { type: 'exit' } | { type: 'timeout' }> {
    const { bundle, workDir, memoryMb } = this.opts;
    const script = childScriptPath();
    // Read access to the bundle's folder (the bundle may be chosen after the child starts).
    const reads = [script, path.dirname(bundle) + '/*', ...(this.opts.readDirs ?? []).map((d) => d + '/*')];
    const execArgv = [
      '--experimental-permission',
      ...reads.map((r) => `--allow-fs-read=${r}`),
      `--allow-fs-write=${workDir}/*`,
      `--max-old-space-size=${memoryMb}`,
      '--enable-source-maps',
      '--no-warnings',
      '--disable-proto=delete',
    ];
    this.output = '';
    this.exitInfo = undefined;
    this.memoryExceeded = false;
    const child = fork(script, [], {
      execArgv,
      cwd: workDir,
      env: { PATH: '/usr/bin:/bin', HOME: workDir, TMPDIR: workDir, NODE_ENV: 'production', LANG: 'C.UTF-8' },
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: true,
    });
    this.child = child;
    const collect = (b: Buffer) => {
      if (this.child !== child) return;
      let text = b.toString('utf8');
      // The child ends each task's output with a marker on stdout and stderr (see child.ts).
      const marks = text.split(OUTPUT_MARK).length - 1;
      if (marks) {
        text = text.replace(new RegExp(`${OUTPUT_MARK}[^\n]*\n`, 'g'), '');
        this.marksSeen += marks;
        this.onMark?.();
      }
      if (this.output.length < OUTPUT_CAP) this.output += text.slice(0, OUTPUT_CAP - this.output.length);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    // Events of a child that was already replaced (killed after a timeout) are ignored.
    child.on('message', (m: ChildMessage) => { if (this.child === child) this.pending?.(m); });
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      this.exitInfo = { code, signal };
      clearInterval(this.rssTimer);
      this.child = undefined;
      this.pending?.({ type: 'exit' });
    });
    child.on('error', () => {});
    this.rssTimer = setInterval(() => this.checkMemory(), 100);
    this.rssTimer.unref();
    return this.next(15000);
  }

  private checkMemory(): void {
    const pid = this.child?.pid;
    if (!pid) return;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const m = /VmRSS:\s+(\d+) kB/.exec(status);
      // The heap limit covers JS objects; this covers typed arrays and wasm memory too.
      if (m && Number(m[1]) / 1024 > this.opts.memoryMb * 1.5 + 200) {
        this.memoryExceeded = true;
        const waiting = this.pending;
        this.kill();
        waiting?.({ type: 'exit' });
      }
    } catch {
      /* process gone */
    }
  }

  private next(timeoutMs: number): Promise<ChildMessage | { type: 'exit' } | { type: 'timeout' }> {
    return new Promise((resolve) => {
      if (!this.child) return resolve({ type: 'exit' });
      const timer = setTimeout(() => {
        this.pending = undefined;
        resolve({ type: 'timeout' });
      }, timeoutMs);
      this.pending = (m) => {
        clearTimeout(timer);
        this.pending = undefined;
        resolve(m);
      };
    });
  }

  private failure(m: ChildMessage | { type: 'exit' } | { type: 'timeout' }, phase: 'load' | 'task', ms: number, timeoutMs = 0): TaskOutcome {
    const output = this.output;
    if (m.type === 'loadError') return { ok: false, kind: 'load', message: `the submission failed while loading: ${m.error.message}`, error: m.error, ms, output };
    if (m.type === 'timeout') {
      this.kill();
      return { ok: false, kind: 'timeout', message: `did not finish within ${(timeoutMs / 1000).toFixed(1)} s (time limit); look for an infinite loop or far too much work`, ms, output };
    }
    if (m.type === 'exit' || !this.child) {
      const heap = /heap out of memory|Allocation failed|invalid array length/i.test(output);
      if (this.memoryExceeded || heap) {
        return { ok: false, kind: 'memory', message: `ran out of memory (limit ${this.opts.memoryMb} MB)`, ms, output };
      }
      const how = this.exitInfo?.signal ? `was killed by ${this.exitInfo.signal}` : `exited with code ${this.exitInfo?.code}`;
      const access = /ERR_ACCESS_DENIED/.test(output) ? ' after being denied access (the sandbox allows no file access outside its temp dir, no child processes and no workers)' : '';
      return { ok: false, kind: 'crash', message: `the submission's process ${how}${access}${phase === 'load' ? ' while loading' : ''}`, ms, output };
    }
    return { ok: false, kind: 'crash', message: `unexpected message from the sandbox: ${m.type}`, ms, output };
  }

  async run(task: Task, timeoutMs: number): Promise<TaskOutcome> {
    if (!this.child || !this.ready) this.start();
    const ready = await this.ready!;
    if (!ready.ok) {
      this.kill();
      this.ready = undefined;
      return ready.outcome;
    }
    this.output = '';
    this.marksSeen = 0;
    const t0 = performance.now();
    this.child!.send({ type: 'task', task });
    const m = await this.next(timeoutMs);
    const ms = performance.now() - t0;
    if (m.type === 'result') {
      await this.drained();
      const output = this.output;
      this.output = '';
      if (m.ok) return { ok: true, value: m.value, ms: m.ms, output, backend: m.backend };
      return { ok: false, kind: 'error', message: m.error.message, error: m.error, ms: m.ms, output, backend: m.backend };
    }
    const out = this.failure(m, 'task', ms, timeoutMs);
    this.ready = undefined;
    return out;
  }

  kill(): void {
    const c = this.child;
    this.child = undefined;
    clearInterval(this.rssTimer);
    if (!c?.pid) return;
    try {
      process.kill(-c.pid, 'SIGKILL');
    } catch {
      try { c.kill('SIGKILL'); } catch { /* already gone */ }
    }
  }

  close(): void {
    clearInterval(this.rssTimer);
    this.kill();
    this.child = undefined;
    this.ready = undefined;
    this.hello = undefined;
  }
}
