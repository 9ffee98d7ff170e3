/**
 * The CSV gradebook: one row per submission; columns submission, score,
 * maxScore, then one column per part id (the part's points; blank when the
 * part is missing or was not checked). RFC 4180:
 * CRLF line ends, fields with a comma, quote or line break are quoted, quotes
 * doubled. Text cells that a spreadsheet would run as a formula (starting
 * with = + - @ or a tab) get a leading apostrophe.
 */
import type { GradeResult } from '../judge/result.ts';
import { num } from './format.ts';
import { submissionName } from './view.ts';

export function csvField(v: string | number | undefined | null): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(roundScore(v)) : '';
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function roundScore(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Part ids across the results, in the order they first appear. */
export function partColumns(results: GradeResult[]): string[] {
  const ids: string[] = [];
  for (const r of results) for (const p of r.parts) if (!ids.includes(p.id)) ids.push(p.id);
  return ids;
}

export function gradebookCsv(results: GradeResult[], opts: { names?: string[] } = {}): string {
  const parts = partColumns(results);
  const lines = [['submission', 'score', 'maxScore', ...parts].map(csvField).join(',')];
  results.forEach((r, i) => {
    const byId = new Map(r.parts.map((p) => [p.id, p]));
    const cells: (string | number | undefined)[] = [opts.names?.[i] ?? submissionName(r.submission), num(r.score), num(r.maxScore)];
    for (const id of parts) {
      const p = byId.get(id);
      // A part not checked (skipped) or not graded yet by a person (pending) is blank, not 0.
      cells.push(p && p.status !== 'skipped' && p.status !== 'pending' ? num(p.score) : undefined);
    }
    lines.push(cells.map(csvField).join(','));
  });
  return lines.join('\r\n') + '\r\n';
}
