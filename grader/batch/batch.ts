/**
 * Grading a class: the plan made once, submissions run by N workers (each in
 * fresh sandboxes of its own), and for each one its result and its run record
 * written atomically, then the batch manifest. `resume` skips submissions
 * whose content and plan are unchanged since they were graded.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, lstatSync, rmSync } from 'node:fs';
import path from 'node:path';
import { judgeRun } from '../judge/judge-run.ts';
import { JudgePool } from '../judge/judge-pool.ts';
import { usesTf } from '../parts/registry.ts';
import { NNGRADE_VERSION, planHash, prepareVariant, type PreparedAssignment } from '../plan/plan.ts';
import { RESULT_FORMAT_VERSION, type GradeResult } from '../judge/result.ts';
import { errorResult } from '../judge/error-result.ts';
import { encodeRunRecord, decodeRunRecord } from '../run/record.ts';
import type { Isolation } from '../sandbox/isolation.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { isUserError, UserError } from '../util/errors.ts';
import { displayPath } from '../util/paths.ts';
import { renderJson } from '../report/json.ts';
import type { ClassEntry } from './entries.ts';
import { ArchiveError, unpackArchive } from './archives.ts';
import { closeSlot, openSlot, runSubmission, type RunSlot } from '../run/run.ts';
import os from 'node:os';

export const MANIFEST = 'manifest.json';

export interface Shard { index: number; count: number }

/** The manifest's file name: one per shard, so shards can share an output folder and rerun idempotently. */
export const manifestName = (shard?: Shard) => (shard ? `manifest-${shard.index}-of-${shard.count}.json` : MANIFEST);

/** Which shard a student belongs to: by a hash of the id, so the split is stable as the class grows. */
export function shardOf(id: string, count: number): number {
  return parseInt(createHash('sha256').update(id).digest('hex').slice(0, 8), 16) % count;
}

/** "i/n" (0 ≤ i < n, as Kubernetes' JOB_COMPLETION_INDEX counts) → a Shard, or a UserError. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count) throw new UserError(`--shard expects i/n with 0 ≤ i < n (e.g. 0/4 … 3/4), got ${JSON.stringify(text)}`);
  return { index, count };
}

export interface ManifestEntry {
  status: 'graded' | 'error';
  contentHash: string;
  score: number;
  maxScore: number;
  durationMs: number;
  message?: string;
}

export interface Manifest {
  formatVersion: 1;
  nngradeVersion: string;
  assignment: { id: string; version: string; spec: string };
  plan: string;
  isolation: string[];
  shard?: Shard;
  /** Students on the roster with no hand-in in the class folder. */
  absent?: string[];
  updatedAt: string;
  submissions: Record<string, ManifestEntry>;
}

export const resultFile = (out: string, id: string) => path.join(out, 'results', `${id}.json`);
export const runFile = (out: string, id: string) => path.join(out, 'runs', `${id}.run.json`);

/** A hash of a folder's files (names and contents; symlinks by their target text). */
export function contentHash(dir: string): string {
  const h = createHash('sha256');
  const file = (p: string, size: number) => {
    // Large files (a data set someone included) by size and time, not read whole into memory.
    if (size > 64 * 1024 * 1024) h.update(`big:${size}:${lstatSync(p).mtimeMs}`);
    else h.update(readFileSync(p));
  };
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      const st = lstatSync(p);
      h.update(`${rel}${name}\0`);
      if (st.isSymbolicLink()) h.update('link\0');
      else if (st.isDirectory()) walk(p, `${rel}${name}/`);
      else if (st.isFile()) file(p, st.size);
    }
  };
  try {
    const st = lstatSync(dir);
    if (st.isDirectory()) walk(dir, '');
    else if (st.isFile()) file(dir, st.size);
    else h.update('not a folder');
  } catch {
    h.update('missing');
  }
  return h.digest('hex').slice(0, 16);
}

/** A hash of loose files (an LMS export's), by the names they are graded under. */
function contentHashOfFiles(files: { from: string; name: string }[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => a.name.localeCompare(b.name))) h.update(`${f.name}\0`).update(readFileSync(f.from));
  return h.digest('hex').slice(0, 16);
}

export function readManifest(out: string, name = MANIFEST): Manifest | undefined {
  const file = path.join(out, name);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch (e) {
    throw new UserError(`${displayPath(file)} is not a readable batch manifest: ${(e as Error).message}`, { hint: 'remove it (and the results beside it) to grade the batch again' });
  }
}

export interface BatchOptions {
  out: string;
  workers: number;
  resume?: boolean;
  isolation: Isolation;
  /** Grade only this shard of the class (by a hash of the student id). */
  shard?: Shard;
  /** Students on the roster who handed in nothing (recorded in the manifest). */
  absent?: string[];
  /** Type-check each hand-in against interface.d.ts (warnings in its result). */
  typecheck?: boolean;
  /** Judge in this thread instead of a worker thread (the results are the same). */
  judgeInThread?: boolean;
  /** Called as each submission starts (progress: the slowest one in flight). */
  onStart?(id: string): void;
  /** Called as each submission finishes (progress lines). */
  onDone?(e: { id: string; result?: GradeResult; skipped?: boolean; done: number; total: number; ms: number }): void;
}

export interface BatchSummary {
  graded: number;
  errors: number;
  skipped: number;
  results: GradeResult[];
}

export async function gradeBatch(prep: PreparedAssignment, entries: ClassEntry[], o: BatchOptions): Promise<BatchSummary> {
  const plan = planHash(prep);
  const name = manifestName(o.shard);
  const old = readManifest(o.out, name);
  if (o.shard) entries = entries.filter((e) => shardOf(e.id, o.shard!.count) === o.shard!.index);
  // Half-written files of a batch that was killed are never read; clear them away.
  for (const d of [path.join(o.out, 'results'), path.join(o.out, 'runs'), o.out]) {
    if (existsSync(d)) for (const f of readdirSync(d)) if (f.endsWith('.tmp')) rmSync(path.join(d, f), { force: true });
  }
  const manifest: Manifest = {
    formatVersion: 1, nngradeVersion: NNGRADE_VERSION,
    assignment: { id: prep.loaded.spec.id, version: prep.loaded.spec.version, spec: path.resolve(prep.loaded.file) },
    plan, isolation: [...o.isolation.layers], ...(o.shard ? { shard: o.shard } : {}), ...(o.absent?.length ? { absent: o.absent } : {}), updatedAt: new Date().toISOString(),
    submissions: old && o.resume ? { ...old.submissions } : {},
  };
  const summary: BatchSummary = { graded: 0, errors: 0, skipped: 0, results: [] };
  // One writer for the manifest: each update waits for the one before.
  let writing = Promise.resolve();
  const saveManifest = () => {
    writing = writing.then(() => writeFileAtomic(path.join(o.out, name), JSON.stringify({ ...manifest, updatedAt: new Date().toISOString() }, null, 2) + '\n'));
    return writing;
  };
  const queue = [...entries];
  let done = 0;
  // Parts that rebuild or evaluate models are judged in a worker thread, so this thread keeps serving
  // the sandboxes; from-scratch judging takes milliseconds and stays here (as it does when asked, or
  // when the worker cannot start).
  const heavy = prep.loaded.spec.parts.some((p) => prep.tasks.has(p.id) && usesTf(p));
  const judges = o.judgeInThread || !heavy ? { judge: judgeRun, close: async () => {} } : new JudgePool(prep);
  /** Why a hand-in could not be graded, for its error result (a bug in nngrade is also logged with its trace). */
  const failureOf = (e: ClassEntry, err: unknown, unpacked?: string): string => {
    const fsError = (err as NodeJS.ErrnoException)?.syscall ? (err as NodeJS.ErrnoException) : undefined;
    if (!isUserError(err) && !(err instanceof ArchiveError) && !fsError) {
      // A bug in nngrade, not in the hand-in: this student gets an error result saying so, and the batch goes on.
      console.error(`nngrade hit an internal error grading ${e.id} (a bug in nngrade; please report it with this trace):\n${(err as Error)?.stack ?? String(err)}`);
    }
    const message = err instanceof ArchiveError
      ? `${e.id}: ${path.basename(e.dir)} cannot be unpacked: ${err.message}`
      : isUserError(err) ? err.message
      : fsError ? `${e.id}: cannot ${fsError.syscall} ${path.basename(fsError.path ?? e.dir)} (${fsError.code})`
      : `nngrade could not grade this hand-in because of an internal error (${(err as Error)?.message ?? String(err)}); the instructor has the details`;
    return unpacked ? message.split(unpacked).join(path.basename(e.dir)) : message;
  };
  /** The result on disk, in the manifest and the summary. */
  const finish = async (e: ClassEntry, t0: number, hash: string, result: GradeResult, message?: string) => {
    const status: ManifestEntry['status'] = message === undefined ? 'graded' : 'error';
    result.submission.student = e.id;
    writeFileAtomic(resultFile(o.out, e.id), renderJson(result));
    manifest.submissions[e.id] = { status, contentHash: hash, score: result.score, maxScore: result.maxScore, durationMs: Math.round(performance.now() - t0), ...(message ? { message } : {}) };
    await saveManifest();
    if (status === 'error') summary.errors++;
    else summary.graded++;
    summary.results.push(result);
    o.onDone?.({ id: e.id, result, done: ++done, total: entries.length, ms: performance.now() - t0 });
  };
  /**
   * Run one hand-in (its sandbox part) and return its judging, already started: the worker's next
   * run overlaps it, so the sandbox computes while this parent judges.
   */
  const one = async (e: ClassEntry, pool: SlotPool): Promise<{ judged: Promise<void> }> => {
    const t0 = performance.now();
    o.onStart?.(e.id);
    const hash = e.files ? contentHashOfFiles(e.files) : contentHash(e.dir);
    const prev = old?.submissions[e.id];
    const recorded = prev && existsSync(resultFile(o.out, e.id)) && (prev.status === 'error' || existsSync(runFile(o.out, e.id)));
    if (o.resume && old?.plan === plan && prev && prev.contentHash === hash && recorded) {
      summary.skipped++;
      if (prev.status === 'error') summary.errors++;
      summary.results.push(JSON.parse(readFileSync(resultFile(o.out, e.id), 'utf8')) as GradeResult);
      o.onDone?.({ id: e.id, skipped: true, done: ++done, total: entries.length, ms: 0 });
      return { judged: Promise.resolve() };
    }
    const failed = (message: string) => finish(e, t0, hash, errorResult(prep, path.resolve(e.dir), message), message);
    if (e.problem) return { judged: failed(`${e.id} ${e.problem}`) };
    const unpacked = e.archive || e.files ? mkdtempSync(path.join(os.tmpdir(), 'nngrade-handin-')) : undefined;
    try {
      let dir = e.dir;
      if (e.archive) dir = await unpackArchive(e.dir, unpacked!, prep.loaded.spec.submission.entry);
      else if (e.files) {
        // Only regular files were grouped (entries.ts); copied under the names the student gave them.
        try {
          for (const f of e.files) copyFileSync(f.from, path.join(unpacked!, path.basename(f.name)));
        } catch (x) {
          throw new ArchiveError(`its files cannot be gathered (${(x as Error).message})`);
        }
        dir = unpacked!;
      }
      // The children were started (tf loaded) while the worker's previous hand-in ran; the next one's start now.
      const slot = pool.take();
      if (queue.length) pool.prefetch();
      // Fixtures seeded per student are drawn for this one (their own expected values too).
      const variant = await prepareVariant(prep, e.id);
      const record = await runSubmission(variant, dir, { all: true, isolation: o.isolation, slot, typecheck: o.typecheck });
      if (unpacked) record.submission.dir = path.resolve(e.dir);
      // Judging reads no files: the unpacked copy can go now, while this is judged.
      // (Wrapped: an async function returning a promise would wait for it.)
      return { judged: (async () => {
        try {
          const result = await judges.judge(variant, record, { all: true });
          writeFileAtomic(runFile(o.out, e.id), encodeRunRecord(record));
          await finish(e, t0, hash, result);
        } catch (err) {
          await failed(failureOf(e, err));
        }
      })() };
    } catch (err) {
      return { judged: failed(failureOf(e, err, unpacked)) };
    } finally {
      if (unpacked) rmSync(unpacked, { recursive: true, force: true });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.workers, entries.length)) }, async () => {
    const pool = new SlotPool(() => openSlot(prep, { all: true, isolation: o.isolation }, { tfAhead: true }));
    // At most one hand-in judged while the next one runs.
    let judging: Promise<void> = Promise.resolve();
    try {
      for (let e = queue.shift(); e; e = queue.shift()) {
        const { judged } = await one(e, pool);
        await judging;
        judging = judged;
      }
    } finally {
      await judging;
      pool.close();
    }
  }));
  await judges.close();
  await saveManifest();
  summary.results.sort((a, b) => (a.submission.student ?? a.submission.dir).localeCompare(b.submission.student ?? b.submission.dir));
  return summary;
}

export interface RegradeChange {
  id: string;
  before: number;
  after: number;
}

/**
 * Judge every recorded run of a batch again against the current plan, without a sandbox. Refuses
 * when a part asks the submissions something their runs did not answer (a new part, new fixtures
 * or calls): those need `grade` again.
 */
export async function regradeBatch(prep: PreparedAssignment, out: string): Promise<{ changes: RegradeChange[]; results: GradeResult[] }> {
  const manifest = readManifest(out);
  if (!manifest) throw new UserError(`no batch in ${displayPath(out)}: ${MANIFEST} is missing`, { hint: 'regrade works on the --out folder of `nngrade grade <assignment> <class-folder>`' });
  const ids = Object.keys(manifest.submissions).filter((id) => manifest.submissions[id].status === 'graded').sort();
  const records = ids.map((id) => {
    const f = runFile(out, id);
    if (!existsSync(f)) throw new UserError(`the run record of ${id} is missing (${displayPath(f)})`, { hint: `run \`nngrade grade … --out ${displayPath(out)} --resume\`: that grades again just the hand-ins whose record is missing` });
    try {
      return { id, record: decodeRunRecord(readFileSync(f, 'utf8')) };
    } catch (e) {
      throw new UserError(`the run record of ${id} cannot be read (${displayPath(f)}: ${(e as Error).message})`, { hint: `delete it and run \`nngrade grade … --out ${displayPath(out)} --resume\`: that grades again just the hand-ins whose record is missing` });
    }
  });
  const stale = new Set<string>();
  const plans = new Map<string, PreparedAssignment>();
  for (const { id, record } of records) {
    const p = await prepareVariant(prep, id);
    plans.set(id, p);
    for (const part of p.loaded.spec.parts) {
      const rec = record.parts[part.id];
      if (!p.tasks.has(part.id)) continue;
      if (!rec || rec.tasks !== p.taskHashes.get(part.id)) stale.add(part.id);
    }
  }
  if (stale.size) {
    throw new UserError(`cannot regrade without running the submissions again: part${stale.size > 1 ? 's' : ''} ${[...stale].join(', ')} ask${stale.size > 1 ? '' : 's'} them something their recorded runs did not answer (a new part, or changed calls or fixtures)`, { hint: 'run `nngrade grade` on the class folder again for those' });
  }
  const changes: RegradeChange[] = [];
  const results: GradeResult[] = [];
  for (const { id, record } of records) {
    const result = await judgeRun(plans.get(id)!, record, { all: true });
    result.submission.student = id;
    const before = manifest.submissions[id].score;
    if (Math.abs(before - result.score) > 1e-9) changes.push({ id, before, after: result.score });
    writeFileAtomic(resultFile(out, id), renderJson(result));
    manifest.submissions[id] = { ...manifest.submissions[id], score: result.score, maxScore: result.maxScore };
    results.push(result);
  }
  manifest.plan = planHash(prep);
  writeFileAtomic(path.join(out, MANIFEST), JSON.stringify({ ...manifest, updatedAt: new Date().toISOString() }, null, 2) + '\n');
  return { changes, results };
}

/**
 * One worker's pre-warmed slots: a fresh slot (folders, a child started, one loading tf) made while the
 * current hand-in runs, so start-up is off the critical path. Every hand-in gets a slot of its own:
 * no child ever serves two students.
 */
class SlotPool {
  private next?: RunSlot;
  constructor(private readonly make: () => RunSlot) {}
  take(): RunSlot {
    const s = this.next ?? this.make();
    this.next = undefined;
    return s;
  }
  prefetch(): void {
    this.next ??= this.make();
  }
  close(): void {
    if (this.next) closeSlot(this.next);
    this.next = undefined;
  }
}

export interface MergeReport {
  submissions: number;
  /** Student ids found in more than one input, with where. */
  duplicates: { id: string; in: string[] }[];
  /** Shard indices a sharded batch is missing. */
  missingShards: number[];
}

/**
 * One batch from several (the shards of a matrix or an indexed job, downloaded into folders): results
 * and run records copied, one manifest. Names duplicated students and missing shards; refuses inputs
 * graded with different assignments or plans.
 */
export function mergeBatches(dirs: string[], out: string): MergeReport {
  const inputs: { dir: string; file: string; m: Manifest }[] = [];
  for (const dir of dirs) {
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => /^manifest(-\d+-of-\d+)?\.json$/.test(f)) : [];
    if (!files.length) throw new UserError(`${displayPath(dir)} holds no batch manifest`, { hint: 'pass the --out folders of `nngrade grade <assignment> <class-folder> [--shard i/n]`' });
    for (const f of files) inputs.push({ dir, file: f, m: readManifest(dir, f)! });
  }
  const first = inputs[0].m;
  for (const x of inputs) {
    if (x.m.assignment.id !== first.assignment.id || x.m.plan !== first.plan) {
      throw new UserError(`${displayPath(path.join(x.dir, x.file))} was graded with ${x.m.assignment.id} (plan ${x.m.plan}), ${displayPath(path.join(inputs[0].dir, inputs[0].file))} with ${first.assignment.id} (plan ${first.plan}): only batches of the same assignment and spec merge`);
    }
  }
  const merged: Manifest = { ...first, shard: undefined, absent: undefined, updatedAt: new Date().toISOString(), submissions: {} };
  delete merged.shard;
  const absent = [...new Set(inputs.flatMap((x) => x.m.absent ?? []))].sort();
  if (absent.length) merged.absent = absent;
  else delete merged.absent;
  const where = new Map<string, string[]>();
  for (const x of inputs) {
    for (const [id, entry] of Object.entries(x.m.submissions)) {
      where.set(id, [...(where.get(id) ?? []), path.join(x.dir, x.file)]);
      if (merged.submissions[id]) continue;
      merged.submissions[id] = entry;
      for (const f of [resultFile(x.dir, id), runFile(x.dir, id)]) {
        const to = f === resultFile(x.dir, id) ? resultFile(out, id) : runFile(out, id);
        if (existsSync(f) && path.resolve(f) !== path.resolve(to)) writeFileAtomic(to, readFileSync(f));
      }
    }
  }
  const counts = new Set(inputs.map((x) => x.m.shard?.count).filter((c): c is number => c !== undefined));
  const seen = new Set(inputs.map((x) => x.m.shard?.index).filter((c): c is number => c !== undefined));
  const missingShards = counts.size ? Array.from({ length: Math.max(...counts) }, (_, i) => i).filter((i) => !seen.has(i)) : [];
  writeFileAtomic(path.join(out, MANIFEST), JSON.stringify(merged, null, 2) + '\n');
  return {
    submissions: Object.keys(merged.submissions).length,
    duplicates: [...where].filter(([, w]) => w.length > 1).map(([id, w]) => ({ id, in: w.map((p) => displayPath(p)) })),
    missingShards,
  };
}
