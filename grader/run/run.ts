/**
 * run: one submission's tasks, producing a RunRecord and judging nothing.
 * The submission is bundled (confined to its folder) and scanned, each
 * selected part's tasks run in the sandbox (a tf-free child for parts that
 * need no tf when the submission allows), and the files parts take from the
 * submission are read as data.
 */
import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PartBase } from '../spec/types.ts';
import { partKinds, usesTf } from '../parts/registry.ts';
import { bundleExports, bundleSubmission } from '../submission/bundle.ts';
import { findViolations } from '../submission/scan.ts';
import { Sandbox, type TaskOutcome } from '../sandbox/sandbox.ts';
import { detectIsolation, prepareDirsForChild, type Isolation } from '../sandbox/isolation.ts';
import { moduleDirs, packageRoot } from '../util/paths.ts';
import { checkProvided } from '../release/provided.ts';
import { NNGRADE_VERSION, selectParts, type GradeOptions, type PreparedAssignment } from '../plan/plan.ts';
import { fillReferenceRefs } from '../parts/chain.ts';
import { typecheckIsolated } from '../submission/typecheck-run.ts';
import { RUN_RECORD_VERSION, type PartRun, type RunRecord } from './record.ts';

export interface RunOptions extends GradeOptions {
  /** The sandbox's OS layers (default: what this machine offers; see requireIsolation). */
  isolation?: Isolation;
  /** Sandboxes started (and warmed) before the submission was known, by a batch's pool (openSlot). */
  slot?: RunSlot;
  /** Type-check the exports against interface.d.ts and report the problems as warnings (typecheck parts do it anyway). */
  typecheck?: boolean;
}

/** A submission's temp folders and its sandboxes, made before its run so they can warm up ahead of it. */
export interface RunSlot {
  tmp: string;
  bundleDir: string;
  /** The first child: tf-free unless only a tf child is needed. */
  main: Sandbox;
  /** A child with TensorFlow.js loaded ahead (pools only, when the plan has parts that need tf). */
  tf?: Sandbox;
  options: { workDir: string; memoryMb: number; readDirs: string[]; isolation: Isolation; cpuSeconds: number };
}

const timeoutOf = (prep: PreparedAssignment, p: PartBase) => p.timeoutMs ?? prep.loaded.spec.limits?.timeoutMs ?? 10_000;

/**
 * Folders and (unstarted) sandboxes for one submission. With `warm`, the children start now: the first
 * tf-free one always, and with `tfAhead` one that loads tf while it waits (a batch's next submission).
 */
export function openSlot(prep: PreparedAssignment, opts: RunOptions, warm: { tfAhead?: boolean } = {}): RunSlot {
  const { spec } = prep.loaded;
  const selected = selectParts(spec.parts, opts);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'nngrade-'));
  const workDir = path.join(tmp, 'work');
  mkdirSync(workDir);
  const bundleDir = path.join(tmp, 'bundle');
  mkdirSync(bundleDir);
  prepareDirsForChild(tmp, bundleDir, workDir);
  const isolation = opts.isolation ?? detectIsolation();
  // A backstop behind the per-task time limits: twice their sum in CPU seconds, plus start-up.
  const limitMs = spec.parts.filter((p) => selected.has(p.id)).reduce((n, p) => n + (prep.tasks.get(p.id)?.student.length ?? 0) * timeoutOf(prep, p), 0);
  const options = { workDir, memoryMb: spec.limits?.memoryMb ?? 1024, readDirs: moduleDirs(), isolation, cpuSeconds: (2 * limitMs) / 1000 + 60 };
  const main = new Sandbox({ ...options, bundle: path.join(bundleDir, 'submission.mjs') });
  const slot: RunSlot = { tmp, bundleDir, main, options };
  const hasTasks = (p: PartBase) => selected.has(p.id) && (prep.tasks.get(p.id)?.student.length ?? 0) > 0;
  if (spec.parts.some(hasTasks)) main.warm();
  if (warm.tfAhead && spec.parts.some((p) => hasTasks(p) && usesTf(p))) {
    slot.tf = new Sandbox({ ...options, bundle: path.join(bundleDir, 'submission.mjs'), tf: true });
    slot.tf.warm(true);
  }
  return slot;
}

/** Stop a slot's children and remove its folders (a slot a batch made but did not use). */
export function closeSlot(slot: RunSlot): void {
  slot.main.close();
  slot.tf?.close();
  rmSync(slot.tmp, { recursive: true, force: true });
}

export async function runSubmission(prep: PreparedAssignment, submissionDir: string, opts: RunOptions = {}): Promise<RunRecord> {
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const { spec } = prep.loaded;
  const selected = selectParts(spec.parts, opts);
  // The child process starts while the submission is bundled (or earlier, in a batch's pool).
  const slot = opts.slot ?? openSlot(prep, opts);
  const { tmp, bundleDir, main, options } = slot;
  const isolation = options.isolation;
  let plain: Sandbox | undefined;
  let full: Sandbox | undefined;
  const hasTasks = (p: PartBase) => selected.has(p.id) && (prep.tasks.get(p.id)?.student.length ?? 0) > 0;
  const parts: Record<string, PartRun> = {};
  const outcomes: Record<string, TaskOutcome> = {};
  try {
    const provided = checkProvided(prep.loaded, submissionDir);
    const sub = await bundleSubmission(submissionDir, spec.submission.entry, bundleDir, provided.overrides);
    const whole = path.join(bundleDir, 'submission.mjs');
    // The type check runs in a worker thread while the sandbox runs the tasks.
    const iface = path.resolve(prep.loaded.dir, spec.submission.interface ?? 'interface.d.ts');
    const wantTypes = opts.typecheck || spec.parts.some((p) => selected.has(p.id) && partKinds[p.kind].needsTypecheck?.(p));
    const typecheck = wantTypes && !sub.compileErrors.length
      ? existsSync(iface)
        ? typecheckIsolated({ submissionDir: sub.dir, entry: spec.submission.entry, interfaceFile: iface, exports: spec.submission.exports })
        : Promise.resolve({ problems: [], ms: 0, skipped: `the assignment has no ${path.relative(prep.loaded.dir, iface)} to check against` })
      : undefined;
    // Loading tf costs ~0.5 s: when the submission imports it but some parts need no tf, those run
    // from a tree-shaken bundle of their exports in a tf-free process (the one already warming up).
    const plainParts = spec.parts.filter((p) => hasTasks(p) && !usesTf(p));
    const plainBundle = sub.usesTf && plainParts.length && !sub.compileErrors.length ? await bundleExports(sub, plainParts.flatMap((p) => partKinds[p.kind].exportsUsed(p)), path.join(bundleDir, 'plain.mjs')) : undefined;
    if (plainBundle) {
      plain = main;
      plain.useBundle(plainBundle, false);
      full = slot.tf;
    } else if (sub.usesTf && slot.tf) {
      // Every part runs with tf: the child that loaded it ahead takes them all.
      full = slot.tf;
      main.close();
    } else full = main;
    if (full === slot.tf) slot.tf?.useBundle(whole, true);
    else if (full) full.useBundle(whole, sub.usesTf);
    if (!sub.usesTf) slot.tf?.close();
    const sandboxFor = (p: PartBase): Sandbox => {
      if (plain && !usesTf(p)) return plain;
      return (full ??= new Sandbox({ ...options, bundle: whole, tf: sub.usesTf }));
    };
    // Every part's forbid scan starts now: esbuild works in its own process while the sandbox runs tasks.
    const scans = new Map(sub.compileErrors.length ? [] : spec.parts.filter((p) => selected.has(p.id) && p.forbid).map((p) => {
      const scan = Promise.all(partKinds[p.kind].exportsUsed(p).map((e) => findViolations(sub, e, p.forbid!))).then((v) => v.flat());
      scan.catch(() => {});
      return [p.id, scan] as const;
    }));
    for (const part of spec.parts) {
      const pt = prep.tasks.get(part.id);
      if (!selected.has(part.id) || !pt) continue;
      const kind = partKinds[part.kind];
      const p0 = performance.now();
      const record: PartRun = { ran: false, tasks: prep.taskHashes.get(part.id)!, ms: 0 };
      parts[part.id] = record;
      if (sub.compileErrors.length && pt.student.length) continue;
      if (part.forbid) {
        const violations = await scans.get(part.id)!;
        if (violations.length) {
          record.violations = violations;
          continue;
        }
      }
      for (const t of pt.student) outcomes[t.id] = await sandboxFor(part).run(fillReferenceRefs(t, prep.expected), timeoutOf(prep, part));
      for (const [id, o] of (await kind.collect?.(part, sub.dir)) ?? []) outcomes[id] = o;
      record.ran = true;
      record.ms = performance.now() - p0;
    }
    return {
      formatVersion: RUN_RECORD_VERSION,
      assignment: { id: spec.id, version: spec.version },
      submission: { dir: path.resolve(submissionDir), realDir: sub.dir, entry: spec.submission.entry },
      sandboxDir: tmp,
      startedAt,
      durationMs: Math.round(performance.now() - t0),
      nngradeVersion: NNGRADE_VERSION,
      ...(provided.notes.length ? { notes: provided.notes } : {}),
      ...(typecheck ? { typecheck: await typecheck } : {}),
      isolation: [...isolation.layers],
      bundle: { exports: sub.exports, usesTf: sub.usesTf, compileErrors: sub.compileErrors },
      selected: [...selected],
      parts,
      outcomes,
    };
  } finally {
    full?.close();
    closeSlot(slot);
  }
}
