/** Reports people read: HTML and PDF per result, a class dashboard, a CSV gradebook. */
export { renderHtml, type HtmlOptions } from './html.ts';
export { renderDashboardHtml, commonFailures, type DashboardOptions, type FailureGroup } from './dashboard.ts';
export { gradebookCsv, csvField } from './csv.ts';
export { redactResult, redactPart, withheldReason, type Audience, type RedactOptions, type ShownPart, type ShownResult } from './redact.ts';
export { PdfRenderer, findChromium, countPdfPages, ChromiumNotFoundError, HOW_TO_GET_CHROMIUM, type PdfPageOptions } from './pdf.ts';
export { writeReports, type WriteReportsOptions, type WriteReportsResult } from './write.ts';
export { writeFileAtomic } from '../util/atomic.ts';
export { readResultFile, parseResults, isGradeResult, resultProblem } from './validate.ts';
export { loadTemplates, defaultTemplatesDir } from './templates.ts';
