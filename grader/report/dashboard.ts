/**
 * The class dashboard (instructor audience): one self-contained HTML page for
 * a batch of results of one assignment — score distributions overall and per
 * part, a table of students linking to their reports, and the most common
 * failure messages per part (numbers normalised so similar failures group).
 */
import type { GradeResult, PartResult } from '../judge/result.ts';
import { fmtDate, fmtNum, fmtPercent, fmtPoints, normaliseMessage, num } from './format.ts';
import { partDistributionSpec, renderSvg, scoreDistributionSpec } from './plots.ts';
import { loadTemplates } from './templates.ts';
import { STATUS_LABEL, submissionName } from './view.ts';
import { partColumns } from './csv.ts';

export interface DashboardOptions {
  templatesDir?: string;
  now?: Date;
  /** Relative link to each result's report (same order as the results); omitted: no link. */
  reportLinks?: (string | undefined)[];
  /** Names to show per result (default: the submission folder's name). */
  names?: string[];
  /** Relative link to the CSV gradebook written beside the dashboard. */
  gradebookHref?: string;
  /** How many failure groups to list per part. */
  topFailures?: number;
}

export interface FailureGroup {
  pattern: string;
  count: number;
  example: string;
  submissions: string[];
}

const median = (xs: number[]): number => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/** What a failing part says went wrong: its messages, else its failed checks. */
function failureTexts(p: PartResult): string[] {
  if (p.status === 'passed' || p.status === 'skipped' || p.status === 'pending') return [];
  if (p.messages?.length) return p.messages.map((m) => m.split('\n')[0]);
  const failed = (p.checks ?? []).filter((c) => !c.passed).map((c) => `${c.name}: ${c.message}`);
  return failed.length ? failed : [STATUS_LABEL[p.status] ?? p.status];
}

/** The most common failure messages of one part across submissions (each submission counted once per group). */
export function commonFailures(results: GradeResult[], partId: string, names: string[], top = 5): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  results.forEach((r, i) => {
    const p = r.parts.find((x) => x.id === partId);
    if (!p) return;
    const seen = new Set<string>();
    for (const text of failureTexts(p)) {
      const pattern = normaliseMessage(text);
      if (seen.has(pattern)) continue;
      seen.add(pattern);
      const g = groups.get(pattern) ?? { pattern, count: 0, example: text, submissions: [] };
      g.count++;
      g.submissions.push(names[i]);
      groups.set(pattern, g);
    }
  });
  return [...groups.values()].sort((a, b) => b.count - a.count || a.pattern.localeCompare(b.pattern)).slice(0, top);
}

export async function renderDashboardHtml(results: GradeResult[], opts: DashboardOptions = {}): Promise<string> {
  const now = opts.now ?? new Date();
  const templates = loadTemplates(opts.templatesDir);
  const names = opts.names ?? results.map((r) => submissionName(r.submission));
  const first = results[0];
  const ids = partColumns(results);
  const partInfo = ids.map((id) => {
    const ps = results.map((r) => r.parts.find((p) => p.id === id)).filter((p): p is PartResult => Boolean(p));
    return { id, title: ps[0]?.title ?? id, kind: ps[0]?.kind ?? '', visibility: ps[0]?.visibility ?? 'visible', maxScore: Math.max(0, ...ps.map((p) => num(p.maxScore))), parts: ps };
  });
  const maxScore = Math.max(0, ...results.map((r) => num(r.maxScore)));
  const totals = results.map((r) => num(r.score)).filter(Number.isFinite);

  const overallSvg = results.length ? await renderSvg(scoreDistributionSpec(totals, maxScore), 'dist-all-') : '';
  const partRows = partInfo.flatMap((pi) => pi.parts.filter((p) => p.status !== 'skipped' && p.status !== 'pending').map((p) => ({ part: pi.id, score: num(p.score), maxScore: num(p.maxScore) })));
  const partsSvg = partRows.length ? await renderSvg(partDistributionSpec(partRows, ids), 'dist-parts-') : '';

  const parts = partInfo.map((pi, k) => {
    const graded = pi.parts.filter((p) => p.status !== 'skipped' && p.status !== 'pending');
    const scores = graded.map((p) => num(p.score));
    const statusCounts = (Object.keys(STATUS_LABEL) as (keyof typeof STATUS_LABEL)[])
      .map((s) => ({ status: s, label: STATUS_LABEL[s], count: pi.parts.filter((p) => p.status === s).length }))
      .filter((s) => s.count > 0);
    const failures = commonFailures(results, pi.id, names, opts.topFailures ?? 5).map((g) => ({
      ...g,
      share: fmtPercent(g.count / Math.max(1, results.length), 0),
      who: g.submissions.slice(0, 6).join(', ') + (g.submissions.length > 6 ? `, … (${g.submissions.length - 6} more)` : ''),
    }));
    return {
      number: k + 1,
      id: pi.id,
      title: pi.title,
      kind: pi.kind,
      visibility: pi.visibility,
      maxScore: fmtPoints(pi.maxScore),
      mean: scores.length ? fmtPoints(mean(scores)) : '–',
      median: scores.length ? fmtPoints(median(scores)) : '–',
      fullShare: graded.length ? fmtPercent(graded.filter((p) => num(p.score) >= num(p.maxScore) - 1e-9).length / graded.length, 0) : '–',
      statusCounts,
      failures,
      hasFailures: failures.length > 0,
    };
  });

  const students = results
    .map((r, i) => {
      const byId = new Map(r.parts.map((p) => [p.id, p]));
      const frac = num(r.maxScore) > 0 ? num(r.score) / num(r.maxScore) : 0;
      return {
        name: names[i],
        href: opts.reportLinks?.[i],
        score: fmtPoints(r.score),
        maxScore: fmtPoints(r.maxScore),
        scoreValue: num(r.score),
        percent: fmtPercent(frac, 0),
        duration: fmtNum(num(r.durationMs) / 1000, 3),
        cells: ids.map((id) => {
          const p = byId.get(id);
          if (!p) return { text: '–', cls: 'cell-none', status: 'missing' };
          const f = num(p.maxScore) > 0 ? num(p.score) / num(p.maxScore) : 0;
          if (p.status === 'pending') return { text: '✍', cls: 'cell-none', status: STATUS_LABEL.pending };
          return { text: p.status === 'skipped' ? '–' : fmtPoints(p.score), cls: p.status === 'skipped' ? 'cell-none' : f >= 1 - 1e-9 ? 'cell-full' : f > 0 ? 'cell-some' : 'cell-zero', status: STATUS_LABEL[p.status] ?? p.status };
        }),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));

  const view = {
    css: templates.css,
    assignment: first?.assignment ?? { id: '', title: 'No results', version: '' },
    count: results.length,
    generatedAt: fmtDate(now),
    nngradeVersion: first?.nngradeVersion ?? '',
    stats: {
      maxScore: fmtPoints(maxScore),
      mean: totals.length ? fmtPoints(mean(totals)) : '–',
      median: totals.length ? fmtPoints(median(totals)) : '–',
      min: totals.length ? fmtPoints(Math.min(...totals)) : '–',
      max: totals.length ? fmtPoints(Math.max(...totals)) : '–',
      fullCount: results.filter((r) => num(r.score) >= num(r.maxScore) - 1e-9).length,
    },
    overallSvg,
    partsSvg,
    parts,
    partHeads: partInfo.map((pi, k) => ({ number: k + 1, id: pi.id, title: pi.title, maxScore: fmtPoints(pi.maxScore) })),
    students,
    gradebookHref: opts.gradebookHref,
  };
  return templates.dashboard(view);
}
