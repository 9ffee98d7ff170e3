/**
 * The view model the report templates render: a redacted result turned into
 * display-ready strings, SVG plots and PNG data URIs. Templates only lay
 * things out; every number is formatted here.
 */
import path from 'node:path';
import type { Artifact, Check, PartStatus, SummaryRow } from '../judge/result.ts';
import type { ShownPart, ShownResult } from './redact.ts';
import { fmtDate, fmtDuration, fmtNum, fmtPercent, fmtPoints, num, summaryView, type SummaryView } from './format.ts';
import { bandsSpec, confusionSpec, gradcheckSpec, historySpec, perClassSpec, renderSvg } from './plots.ts';
import { sampleToDataUri } from './images.ts';

export const STATUS_LABEL: Record<PartStatus, string> = {
  passed: 'passed',
  partial: 'partly passed',
  failed: 'failed',
  error: 'error',
  timeout: 'timed out',
  skipped: 'not checked',
  pending: 'to be graded by a person',
};

export const VISIBILITY_LABEL: Record<string, string> = {
  visible: 'visible',
  hidden: 'hidden from students',
  after_due_date: 'shown after the due date',
  after_published: 'shown once published',
};

export interface CheckView {
  name: string;
  passed: boolean;
  points: string;
  weight: string;
  message: string;
  /** False when the part's messages already say it (failed checks are listed above the table). */
  showMessage: boolean;
  /** The received value reads exactly like the expected one. */
  sameAsExpected: boolean;
  expected?: SummaryView;
  received?: SummaryView;
  maxAbs?: string;
  maxRel?: string;
  worst?: { index: string; expected: string; received: string };
}

export interface ModelRowView {
  name: string;
  className: string;
  shape: string;
  params: string;
  config: string;
}

export interface ArtifactView {
  type: string;
  title: string;
  partial: string;
  svg?: string;
  error?: string;
  /** Artifact-specific fields (see the artifact-*.hbs partials). */
  [key: string]: unknown;
}

export interface PartView {
  manual?: ManualView;
  index: number;
  anchor: string;
  id: string;
  title: string;
  kind: string;
  visibility: string;
  visibilityLabel: string;
  status: PartStatus;
  statusLabel: string;
  score: string;
  maxScore: string;
  fraction: number;
  duration: string;
  redacted: boolean;
  redactedReason?: string;
  messages: string[];
  location?: string;
  output?: string;
  checks: CheckView[];
  checksPassed: number;
  checksFailed: number;
  /** Some check carries values or errors (else the table has only name, message and points). */
  detailedChecks: boolean;
  /** Few enough checks that the table should not be split across pages. */
  shortChecks: boolean;
  artifacts: ArtifactView[];
  partial: string;
}

export interface ReportView {
  audience: 'student' | 'instructor';
  isInstructor: boolean;
  assignment: { id: string; title: string; version: string };
  submission: { name: string; dir: string; entry: string };
  score: string;
  maxScore: string;
  percent: string;
  scoreClass: string;
  backend: string;
  /** The sandbox layers that were active, as one line (empty for old results). */
  isolation: string;
  tfjsVersion?: string;
  startedAt: string;
  duration: string;
  nngradeVersion: string;
  generatedAt: string;
  withheldCount: number;
  skippedCount: number;
  statusCounts: { status: string; label: string; count: number }[];
  parts: PartView[];
  css: string;
}

/** Who a result is of: the student id of a class batch, else the submission folder's name. */
export function submissionName(sub: { dir: string; student?: string }): string {
  if (sub.student) return sub.student;
  const base = path.basename(path.resolve(sub.dir || '.'));
  return base || sub.dir || 'submission';
}

function checkView(c: Check, partMessages: string[]): CheckView {
  const message = c.message ?? '';
  const expected = summaryView(c.expected);
  const received = summaryView(c.received);
  return {
    name: c.name,
    passed: Boolean(c.passed),
    points: fmtPoints(c.points),
    weight: fmtNum(c.weight, 3),
    message,
    showMessage: message !== '' && !partMessages.some((m) => m.includes(message)),
    sameAsExpected: expected !== undefined && received !== undefined && JSON.stringify(expected) === JSON.stringify(received),
    expected,
    received,
    maxAbs: c.maxAbsError === undefined ? undefined : fmtNum(c.maxAbsError, 4),
    maxRel: c.maxRelError === undefined ? undefined : fmtNum(c.maxRelError, 4),
    worst: c.worst ? { index: c.worst.index || '(scalar)', expected: fmtNum(c.worst.expected, 10), received: fmtNum(c.worst.received, 10) } : undefined,
  };
}

/** Runs of one repeated line (a print inside a loop) become the line and a count. */
export function collapseRepeats(text: string): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    let j = i + 1;
    while (j < lines.length && lines[j] === lines[i]) j++;
    out.push(lines[i]);
    if (j - i > 2) out.push(`… the line above repeated ${j - i - 1} more times`);
    else if (j - i === 2) out.push(lines[i]);
    i = j;
  }
  return out.join('\n');
}

/** Settings left at their usual defaults say nothing; leave them out of the model tables. */
function isDefaultSetting(k: string, v: unknown): boolean {
  if (k === 'useBias') return v === true;
  if (k === 'dilationRate') return Array.isArray(v) ? v.every((x) => x === 1) : v === 1;
  return false;
}

function configText(cfg: Record<string, unknown> | undefined): string {
  if (!cfg) return '';
  return Object.entries(cfg)
    .filter(([k, v]) => v !== undefined && v !== null && !isDefaultSetting(k, v))
    .map(([k, v]) => `${k}=${Array.isArray(v) ? `(${v.join(', ')})` : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}

function modelRow(r: SummaryRow | undefined): ModelRowView | undefined {
  // No row, or the placeholder an alignment puts where one model has no layer.
  if (!r || (!r.name && (!r.className || r.className === '—' || r.className === '-'))) return undefined;
  return {
    name: r.name,
    className: r.className,
    shape: `(${(r.outputShape ?? []).map((d) => (d === null ? 'None' : String(d))).join(', ')})`,
    params: Number(r.params ?? 0).toLocaleString('en-US'),
    config: configText(r.config),
  };
}

function gridColumns(n: number): number {
  if (n <= 6) return Math.max(1, n);
  return Math.min(7, Math.ceil(Math.sqrt(n)));
}

async function artifactView(a: Artifact, idPrefix: string): Promise<ArtifactView> {
  const base = { type: a.type, title: a.title ?? '', partial: `artifact-${a.type}` };
  try {
    switch (a.type) {
      case 'history': {
        const final = a.series.map((s) => ({ name: s.name, split: s.split, metric: s.metric, value: fmtNum(s.values[s.values.length - 1], 4) }));
        return { ...base, svg: await renderSvg(historySpec(a), idPrefix), final, epochs: a.epochs.length };
      }
      case 'confusion': {
        let diag = 0, total = 0;
        a.matrix.forEach((row, i) => row.forEach((x, j) => { total += num(x); if (i === j) diag += num(x); }));
        return { ...base, svg: await renderSvg(confusionSpec(a), idPrefix), accuracy: total ? fmtPercent(diag / total, 2) : '–', total };
      }
      case 'perClass': {
        const rows = a.labels.map((label, i) => ({ label, precision: fmtNum(a.precision[i], 3), recall: fmtNum(a.recall[i], 3) }));
        return { ...base, svg: await renderSvg(perClassSpec(a), idPrefix), rows };
      }
      case 'gradcheck': {
        const threshold = num(a.threshold);
        const rows = a.rows.map((r) => ({ param: r.param, relError: fmtNum(r.relError, 4), elements: r.elements, passed: num(r.relError) <= threshold }));
        return { ...base, svg: await renderSvg(gradcheckSpec(a), idPrefix), rows, threshold: fmtNum(threshold, 3) };
      }
      case 'bands': {
        const unit = [a.value, a.floor, a.full].every((x) => num(x) >= 0 && num(x) <= 1);
        const show = (x: number) => (unit ? fmtPercent(num(x), 2) : fmtNum(x, 4));
        return { ...base, svg: await renderSvg(bandsSpec(a), idPrefix), metric: a.metric, value: show(a.value), floor: show(a.floor), full: show(a.full) };
      }
      case 'samples': {
        const scale = a.width <= 32 ? 2 : 1;
        const images = a.images.map((im) => {
          const png = sampleToDataUri(im.pixels, a.width, a.height, a.channels, scale);
          const wrong = im.predicted !== undefined && im.predicted !== im.label;
          return { src: png.src, width: png.width, height: png.height, label: im.label, predicted: im.predicted, wrong, hasPrediction: im.predicted !== undefined };
        });
        const wrongCount = images.filter((i) => i.wrong).length;
        const cellWidth = Math.max(96, Math.max(...images.map((i) => i.width), 0) + 16);
        return { ...base, images, columns: gridColumns(images.length), cellWidth, wrongCount, count: images.length, hasPredictions: images.some((i) => i.hasPrediction) };
      }
      case 'modelSummary': {
        const differing = new Set(a.differingRows ?? []);
        const n = Math.max(a.student.length, a.reference?.length ?? 0);
        const rows = Array.from({ length: n }, (_, i) => ({ index: i + 1, diff: differing.has(i), student: modelRow(a.student[i]), reference: modelRow(a.reference?.[i]) }));
        return {
          ...base,
          rows,
          hasReference: Boolean(a.reference),
          differingCount: differing.size,
          totals: { student: Number(num(a.totals?.student)).toLocaleString('en-US'), reference: a.totals?.reference === undefined ? undefined : Number(num(a.totals.reference)).toLocaleString('en-US') },
          totalsDiffer: a.totals?.reference !== undefined && num(a.totals.reference) !== num(a.totals.student),
        };
      }
      default:
        return { ...base, partial: 'artifact-generic', json: JSON.stringify(a, null, 2).slice(0, 4000) };
    }
  } catch (e) {
    return { ...base, error: `could not draw this ${a.type} artifact: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export async function partView(p: ShownPart, index: number, hasPartial: (name: string) => boolean): Promise<PartView> {
  const redacted = Boolean(p.redacted);
  const artifacts = redacted ? [] : await Promise.all((p.artifacts ?? []).map((a, j) => artifactView(a, `p${index}a${j}-`)));
  for (const a of artifacts) if (!hasPartial(a.partial)) a.partial = 'artifact-generic';
  const messages = redacted ? [] : p.messages ?? [];
  const checks = redacted ? [] : (p.checks ?? []).map((c) => checkView(c, messages));
  const kindPartial = `part-${p.kind}`;
  const max = num(p.maxScore);
  return {
    index,
    anchor: `part-${index + 1}`,
    id: p.id,
    title: p.title,
    kind: p.kind,
    visibility: p.visibility,
    visibilityLabel: VISIBILITY_LABEL[p.visibility] ?? p.visibility,
    status: p.status,
    statusLabel: STATUS_LABEL[p.status] ?? p.status,
    score: fmtPoints(p.score),
    maxScore: fmtPoints(p.maxScore),
    fraction: max > 0 ? num(p.score) / max : 0,
    duration: fmtDuration(p.durationMs),
    redacted,
    redactedReason: p.redacted?.reason,
    messages,
    location: !redacted && p.location ? `${p.location.file}:${p.location.line}${p.location.column ? `:${p.location.column}` : ''}` : undefined,
    output: !redacted && p.output ? collapseRepeats(p.output) : undefined,
    checks,
    checksPassed: checks.filter((c) => c.passed).length,
    checksFailed: checks.filter((c) => !c.passed).length,
    shortChecks: checks.length <= 8,
    detailedChecks: checks.some((c) => c.expected || c.received || c.maxAbs || c.maxRel || c.worst),
    artifacts,
    ...(!redacted && p.manual ? { manual: manualView(p.manual) } : {}),
    partial: redacted ? 'part-redacted' : hasPartial(kindPartial) ? kindPartial : 'part-generic',
  };
}

export interface ManualView {
  question: string;
  answer?: string;
  missing?: string;
  source: string;
  graded: boolean;
  comment?: string;
  rubric: { id: string; points: string; text: string; applied: boolean }[];
}

/** A manual part's question, answer and rubric (✓ on the items a grader applied). */
function manualView(m: NonNullable<ShownPart['manual']>): ManualView {
  const applied = new Set(m.applied ?? []);
  return {
    question: m.question, answer: m.answer, missing: m.missing, source: m.source, graded: m.applied !== undefined, comment: m.comment,
    rubric: m.rubric.map((r) => ({ id: r.id, points: `${r.points > 0 ? '+' : ''}${fmtPoints(r.points)}`, text: r.text, applied: applied.has(r.id) })),
  };
}

export async function reportView(r: ShownResult, opts: { css: string; now: Date; hasPartial: (name: string) => boolean }): Promise<ReportView> {
  const parts = await Promise.all(r.parts.map((p, i) => partView(p, i, opts.hasPartial)));
  const max = num(r.maxScore);
  const frac = max > 0 ? num(r.score) / max : 0;
  const order: PartStatus[] = ['passed', 'partial', 'failed', 'error', 'timeout', 'skipped', 'pending'];
  return {
    audience: r.audience,
    isInstructor: r.audience === 'instructor',
    assignment: r.assignment,
    submission: { name: submissionName(r.submission), dir: r.submission.dir, entry: r.submission.entry },
    score: fmtPoints(r.score),
    maxScore: fmtPoints(r.maxScore),
    percent: fmtPercent(frac, 0),
    scoreClass: frac >= 1 - 1e-9 ? 'passed' : frac > 0 ? 'partial' : 'failed',
    backend: r.backend,
    isolation: (r.isolation ?? []).join(' + '),
    tfjsVersion: r.tfjsVersion,
    startedAt: fmtDate(r.startedAt),
    duration: fmtDuration(r.durationMs),
    nngradeVersion: r.nngradeVersion,
    generatedAt: fmtDate(opts.now),
    withheldCount: parts.filter((p) => p.redacted).length,
    skippedCount: parts.filter((p) => p.status === 'skipped').length,
    statusCounts: order.map((s) => ({ status: s, label: STATUS_LABEL[s], count: parts.filter((p) => p.status === s).length })).filter((s) => s.count > 0),
    parts,
    css: opts.css,
  };
}
