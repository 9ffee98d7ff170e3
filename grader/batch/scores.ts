/**
 * Manual grading round trip: `nngrade scores export` writes one CSV row per student and manual part
 * (the answer's first lines, one column per rubric item, a comment column); graders mark the items
 * that apply (x, 1 or yes) and write comments; `nngrade scores import` checks every row (a student or
 * part that does not exist, an item the part's rubric does not have, a mark that is not one, the same
 * row twice: each an error with its CSV line) and only then merges the grading into the results,
 * each file written atomically. A graded part's score is its applied items' points, kept within
 * 0 … its points; the result's score then counts it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { renderJson } from '../report/json.ts';
import { MANIFEST, readManifest } from './batch.ts';
import { parse } from 'csv-parse/sync';
import type { GradeResult, PartResult } from '../judge/result.ts';
import { countedParts, pendingOf, statusFor, totalScore } from '../judge/score.ts';
import { csvField } from '../report/csv.ts';
import { submissionName } from '../report/view.ts';
import { readResultFile } from '../report/validate.ts';
import { resultFiles } from '../commands/report.ts';
import { rubricScore } from '../parts/manual.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { UserError } from '../util/errors.ts';
import { displayPath } from '../util/paths.ts';

const FIXED = ['student', 'part', 'max_points', 'answer', 'comment'];
const YES = new Set(['x', '1', 'yes', 'y', 'true', '✓', '✔']);
const NO = new Set(['', '0', 'no', 'n', 'false', '-']);

interface Loaded {
  file: string;
  result: GradeResult;
}

/** Every result under `dir` (one file per student, as `grade` writes them), by student. */
function loadResults(dir: string): Map<string, Loaded> {
  const out = new Map<string, Loaded>();
  // A batch's --out folder keeps its results in results/ (beside run records and the manifest).
  const root = existsSync(path.join(dir, 'results')) ? path.join(dir, 'results') : dir;
  if (!existsSync(root)) throw new UserError(`${displayPath(dir)} does not exist`, { hint: 'give the --out folder of `nngrade grade <assignment> <class-folder>`' });
  for (const file of resultFiles([root])) {
    for (const result of readResultFile(file)) {
      const who = submissionName(result.submission);
      if (out.has(who)) throw new UserError(`two results are of ${JSON.stringify(who)}: ${displayPath(out.get(who)!.file)} and ${displayPath(file)}`, { hint: 'give the --out folder of one batch' });
      out.set(who, { file, result });
    }
  }
  return out;
}

/** The first lines of an answer, for a CSV cell a grader reads (the report has it whole). */
function preview(p: PartResult): string {
  const m = p.manual!;
  if (m.answer === undefined) return `(no answer: ${m.missing ?? 'missing'})`;
  const lines = m.answer.trim().split('\n').slice(0, 4).join('\n');
  return lines.length > 400 ? `${lines.slice(0, 400)}…` : lines;
}

export function exportScores(dir: string): { csv: string; rows: number; pending: number } {
  const results = [...loadResults(dir).entries()].sort(([a], [b]) => a.localeCompare(b));
  const items: string[] = [];
  for (const [, { result }] of results) for (const p of result.parts) for (const r of p.manual?.rubric ?? []) if (!items.includes(r.id)) items.push(r.id);
  const lines = [[...FIXED.slice(0, 4), ...items, 'comment'].map(csvField).join(',')];
  let rows = 0, pending = 0;
  for (const [who, { result }] of results) {
    for (const p of result.parts) {
      if (!p.manual) continue;
      rows++;
      if (p.status === 'pending') pending++;
      const applied = new Set(p.manual.applied ?? []);
      const own = new Set(p.manual.rubric.map((r) => r.id));
      const marks = items.map((i) => (own.has(i) ? (applied.has(i) ? 'x' : '') : ''));
      lines.push([who, p.id, String(p.maxScore), preview(p), ...marks, p.manual.comment ?? ''].map((c) => csvField(c)).join(','));
    }
  }
  return { csv: lines.join('\r\n') + '\r\n', rows, pending };
}

export interface ImportReport {
  graded: number;
  students: number;
  stillPending: number;
  files: string[];
}

export function importScores(csvFile: string, dir: string, now = new Date()): ImportReport {
  const where = displayPath(csvFile);
  let text: string;
  try {
    text = readFileSync(csvFile, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read ${where}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as typeof records;
  } catch (e) {
    throw new UserError(`${where} is not a readable CSV: ${(e as Error).message}`);
  }
  if (!records.length) throw new UserError(`${where} is empty: expected the header \`nngrade scores export\` writes (student, part, …, comment)`);
  const header = records[0].record.map((h) => h.trim());
  const col = (name: string) => header.findIndex((h) => h.toLowerCase() === name);
  const iStudent = col('student'), iPart = col('part'), iComment = col('comment');
  if (iStudent < 0 || iPart < 0) throw new UserError(`${where}:1: the header needs "student" and "part" columns (it has: ${header.join(', ')})`, { hint: 'start from the file `nngrade scores export` writes' });
  const itemCols = header.map((h, i) => ({ h, i })).filter(({ h }) => !FIXED.includes(h.toLowerCase()) && h !== '');
  const results = loadResults(dir);
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const updates: { line: number; who: string; part: PartResult; applied: string[]; comment?: string }[] = [];
  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    const cell = (i: number) => (i >= 0 ? (record[i] ?? '').trim() : '');
    const who = cell(iStudent), partId = cell(iPart);
    const at = `${where}:${line}`;
    if (!who || !partId) {
      problems.push(`${at}: the student and part columns must not be blank`);
      continue;
    }
    const r = results.get(who);
    if (!r) {
      problems.push(`${at}: no result for student ${JSON.stringify(who)} in ${displayPath(dir)}`);
      continue;
    }
    const part = r.result.parts.find((p) => p.id === partId);
    if (!part) {
      problems.push(`${at}: ${who}'s result has no part ${JSON.stringify(partId)} (manual parts: ${r.result.parts.filter((p) => p.manual).map((p) => p.id).join(', ') || 'none'})`);
      continue;
    }
    if (!part.manual) {
      problems.push(`${at}: part ${partId} is graded automatically (${part.kind}), not by a person`);
      continue;
    }
    const key = `${who}\0${partId}`;
    if (seen.has(key)) {
      problems.push(`${at}: ${who} / ${partId} is already graded on line ${seen.get(key)}`);
      continue;
    }
    seen.set(key, line);
    const own = new Set(part.manual.rubric.map((x) => x.id));
    const applied: string[] = [];
    for (const { h, i } of itemCols) {
      const v = cell(i).toLowerCase();
      if (NO.has(v)) continue;
      if (!YES.has(v)) {
        problems.push(`${at}: column ${JSON.stringify(h)}: ${JSON.stringify(cell(i))} is not a mark (x, 1 or yes to apply the item; blank if it does not apply)`);
        continue;
      }
      if (!own.has(h)) {
        problems.push(`${at}: part ${partId} has no rubric item ${JSON.stringify(h)} (its items: ${[...own].join(', ')})`);
        continue;
      }
      applied.push(h);
    }
    updates.push({ line, who, part, applied, comment: cell(iComment) || undefined });
  }
  if (problems.length) {
    throw new UserError(`${where}: ${problems.length} row${problems.length > 1 ? 's' : ''} cannot be imported; nothing was changed`, { details: problems });
  }
  // Every row is sound: apply, then write each changed result once.
  const changed = new Set<Loaded>();
  for (const u of updates) {
    const m = u.part.manual!;
    const score = rubricScore({ points: u.part.maxScore, rubric: m.rubric }, u.applied);
    m.applied = u.applied;
    if (u.comment !== undefined) m.comment = u.comment;
    else delete m.comment;
    m.gradedAt = now.toISOString();
    u.part.score = score;
    u.part.status = statusFor(score, u.part.maxScore);
    const items = m.rubric.filter((x) => u.applied.includes(x.id));
    u.part.messages = [`graded by a person: ${items.length ? items.map((x) => `${x.text} (${x.points > 0 ? '+' : ''}${x.points})`).join('; ') : 'no rubric item applies'}${u.comment ? `. ${u.comment}` : ''}`];
    changed.add(results.get(u.who)!);
  }
  let stillPending = 0;
  for (const r of changed) {
    Object.assign(r.result, totalScore(countedParts(r.result.parts)));
    const pending = pendingOf(r.result.parts);
    if (pending) r.result.pending = pending;
    else delete r.result.pending;
  }
  for (const { result } of results.values()) stillPending += result.parts.filter((p) => p.status === 'pending').length;
  for (const r of changed) writeFileAtomic(r.file, renderJson(r.result));
  // A batch's manifest keeps each student's score: the same as their result now.
  const manifest = readManifest(dir);
  if (manifest) {
    for (const r of changed) {
      const e = manifest.submissions[submissionName(r.result.submission)];
      if (e) Object.assign(e, { score: r.result.score, maxScore: r.result.maxScore });
    }
    writeFileAtomic(path.join(dir, MANIFEST), JSON.stringify({ ...manifest, updatedAt: now.toISOString() }, null, 2) + '\n');
  }
  return { graded: updates.length, students: changed.size, stillPending, files: [...changed].map((r) => r.file) };
}
