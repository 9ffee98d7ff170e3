/**
 * Writing report files for a batch of results: HTML and/or PDF per result, and
 * (for instructors) a class dashboard with a CSV gradebook beside it. Used by
 * `nngrade report` and by check/grade for their --html/--pdf flags.
 *
 * Layout of outDir, the same for one assignment or several:
 *   <assignment-id>/<submission>.html / .pdf, <assignment-id>/dashboard.html,
 *   <assignment-id>/gradebook.csv
 * Every file is written to a temporary name and renamed, so a reader never
 * sees half a report. When no Chromium is found, PDFs are skipped (the reason
 * is returned) and everything else is still written.
 */
import { writeFileAtomic } from '../util/atomic.ts';
import path from 'node:path';
import type { GradeResult } from '../judge/result.ts';
import { renderHtml } from './html.ts';
import { renderDashboardHtml } from './dashboard.ts';
import { gradebookCsv } from './csv.ts';
import { ChromiumNotFoundError, PdfRenderer } from './pdf.ts';
import type { Audience } from './redact.ts';
import { submissionName } from './view.ts';
import { fmtDate } from './format.ts';

export interface WriteReportsOptions {
  html?: boolean;
  pdf?: boolean;
  audience: Audience;
  outDir: string;
  templatesDir?: string;
  /** Also write dashboard.html and gradebook.csv (per assignment). */
  dashboard?: boolean;
  now?: Date;
  dueDate?: Date;
  published?: boolean;
  /** A browser already open (e.g. shared across calls); otherwise one is opened and closed here. */
  renderer?: PdfRenderer;
  /** Progress lines (one per file written). */
  onFile?: (file: string) => void;
}

export interface WriteReportsResult {
  /** Every file written, in order. */
  files: string[];
  /** Set when PDFs were asked for but could not be made (no Chromium): what to do about it. */
  pdfSkipped?: string;
}


/** A file-name-safe stem for a submission. */
export function safeStem(name: string): string {
  const s = name.normalize('NFKC').replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^[._]+/, '').slice(0, 100);
  return s || 'submission';
}

/** Report stems for a batch, unique within each assignment (name, name-2, name-3, ...). */
export function reportStems(results: GradeResult[]): string[] {
  const used = new Map<string, Set<string>>();
  return results.map((r) => {
    const set = used.get(r.assignment.id) ?? new Set<string>();
    used.set(r.assignment.id, set);
    const base = safeStem(submissionName(r.submission));
    let stem = base;
    for (let k = 2; set.has(stem.toLowerCase()) || ['dashboard', 'gradebook'].includes(stem.toLowerCase()); k++) stem = `${base}-${k}`;
    set.add(stem.toLowerCase());
    return stem;
  });
}

export async function writeReports(results: GradeResult[], opts: WriteReportsOptions): Promise<WriteReportsResult> {
  const now = opts.now ?? new Date();
  const files: string[] = [];
  const write = (file: string, data: string | Buffer) => {
    writeFileAtomic(file, data);
    files.push(file);
    opts.onFile?.(file);
  };
  const assignments = [...new Set(results.map((r) => r.assignment.id))];
  const dirFor = (r: GradeResult) => path.join(opts.outDir, safeStem(r.assignment.id));
  const stems = reportStems(results);

  let renderer = opts.renderer;
  let ownRenderer = false;
  let pdfSkipped: string | undefined;
  if (opts.pdf && !renderer) {
    try {
      renderer = await new PdfRenderer().open();
      ownRenderer = true;
    } catch (e) {
      if (!(e instanceof ChromiumNotFoundError)) throw e;
      pdfSkipped = `${e.message}. ${e.hint ?? ''}`.trim();
    }
  }

  try {
    for (let i = 0; i < results.length; i++) {
      const r = results[i];
      if (!opts.html && !renderer) continue;
      const html = await renderHtml(r, { audience: opts.audience, templatesDir: opts.templatesDir, now, dueDate: opts.dueDate, published: opts.published });
      const base = path.join(dirFor(r), stems[i]);
      if (opts.html) write(`${base}.html`, html);
      if (renderer) {
        const pdf = await renderer.render(html, {
          headerLeft: r.assignment.title,
          headerRight: submissionName(r.submission),
          footerLeft: `${r.assignment.id} · ${submissionName(r.submission)} · ${opts.audience === 'instructor' ? 'instructor view · ' : ''}made ${fmtDate(now)}`,
        });
        write(`${base}.pdf`, pdf);
      }
    }
    if (opts.dashboard) {
      for (const id of assignments) {
        const idx = results.map((r, i) => (r.assignment.id === id ? i : -1)).filter((i) => i >= 0);
        const group = idx.map((i) => results[i]);
        const dir = dirFor(group[0]);
        const ext = opts.html ? '.html' : renderer ? '.pdf' : undefined;
        const html = await renderDashboardHtml(group, {
          templatesDir: opts.templatesDir,
          now,
          names: idx.map((i) => stems[i]),
          reportLinks: idx.map((i) => (ext ? encodeURI(`${stems[i]}${ext}`) : undefined)),
          gradebookHref: 'gradebook.csv',
        });
        write(path.join(dir, 'dashboard.html'), html);
        write(path.join(dir, 'gradebook.csv'), gradebookCsv(group, { names: idx.map((i) => stems[i]) }));
      }
    }
  } finally {
    if (ownRenderer) await renderer!.close();
  }
  return { files, pdfSkipped };
}
