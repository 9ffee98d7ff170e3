/**
 * The HTML and PDF reports and the class dashboard: written by report/write.ts into a folder
 * (<folder>/<assignment-id>/…), one shared browser for the PDFs.
 */
import type { OutputFormat, Rendered, FormatContext } from './types.ts';
import type { GradeResult } from '../judge/result.ts';

async function write(results: GradeResult[], ctx: FormatContext, what: { html?: boolean; pdf?: boolean; dashboard?: boolean }): Promise<Rendered> {
  const { writeReports } = await import('../report/write.ts');
  const r = await writeReports(results, { ...what, audience: ctx.audience, outDir: ctx.file!, templatesDir: ctx.templatesDir, now: ctx.now, dueDate: ctx.dueDate, published: ctx.published });
  return { written: r.files, notes: r.pdfSkipped ? [`PDF skipped: ${r.pdfSkipped}`] : [] };
}

const folder = () => 'reports';

export const html: OutputFormat = { summary: 'an HTML report per result', scope: 'class', folder: true, defaultFile: folder, render: (rs, ctx) => write(rs, ctx, { html: true }) };
export const pdf: OutputFormat = { summary: 'a PDF report per result (Chromium)', scope: 'class', folder: true, defaultFile: folder, render: (rs, ctx) => write(rs, ctx, { pdf: true }) };
export const dashboard: OutputFormat = { summary: 'the class dashboard with HTML reports and gradebook.csv', scope: 'class', folder: true, defaultFile: folder, render: (rs, ctx) => write(rs, ctx, { html: true, dashboard: true }) };
