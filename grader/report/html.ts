/**
 * The HTML report of one result: one self-contained file (CSS inlined, plots
 * as inline SVG, images as data URIs, no script, nothing fetched). The same
 * HTML is printed to PDF.
 */
import type { GradeResult } from '../judge/result.ts';
import { redactResult, type Audience } from './redact.ts';
import { loadTemplates } from './templates.ts';
import { reportView } from './view.ts';

export interface HtmlOptions {
  audience: Audience;
  /** An instructor's templates folder; files it lacks fall back to ours. */
  templatesDir?: string;
  /** When the report is made (for the footer and the due-date rule). Default: now. */
  now?: Date;
  dueDate?: Date;
  published?: boolean;
}

export async function renderHtml(result: GradeResult, opts: HtmlOptions): Promise<string> {
  const now = opts.now ?? new Date();
  const templates = loadTemplates(opts.templatesDir);
  const shown = redactResult(result, { audience: opts.audience, now, dueDate: opts.dueDate, published: opts.published });
  const view = await reportView(shown, { css: templates.css, now, hasPartial: templates.hasPartial });
  return templates.report(view);
}
