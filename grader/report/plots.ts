/**
 * Plots for the reports, as Vega-Lite specs rendered to static SVG on the
 * server (vega-lite compile → vega View with renderer 'none' → toSVG()). No
 * script and no network in the page: the SVG is inlined.
 *
 * vega and vega-lite are loaded on first use, so commands that never draw a
 * plot do not pay for them.
 */
import type { Artifact } from '../judge/result.ts';
import { fmtNum, num } from './format.ts';

type VegaLiteSpec = Record<string, unknown>;
type ArtifactOf<T extends Artifact['type']> = Extract<Artifact, { type: T }>;

const FONT = 'DejaVu Sans, Liberation Sans, Helvetica, Arial, sans-serif';

const baseConfig = {
  font: FONT,
  background: 'white',
  padding: 4,
  view: { stroke: null },
  axis: { labelFontSize: 10, titleFontSize: 11, titleFontWeight: 'normal', gridColor: '#e6e6e6', domainColor: '#888', tickColor: '#888' },
  legend: { labelFontSize: 10, titleFontSize: 10, titleFontWeight: 'normal', orient: 'top' },
  header: { labelFontSize: 11, titleFontSize: 11 },
  title: { fontSize: 12, fontWeight: 'bold', anchor: 'start' },
};

const PASS = '#2e7d32';
const FAIL = '#c62828';
const TRAIN = '#1f77b4';
const VALIDATION = '#ff7f0e';

let libs: Promise<{ vl: typeof import('vega-lite'); vega: typeof import('vega') }> | undefined;
function loadLibs() {
  return (libs ??= Promise.all([import('vega-lite'), import('vega')]).then(([vl, vega]) => ({ vl, vega })));
}

/**
 * Render a Vega-Lite spec to an SVG string. Element ids (clip paths,
 * gradients) are prefixed with `idPrefix` so several charts can live in one
 * HTML document without their definitions colliding.
 */
export async function renderSvg(spec: VegaLiteSpec, idPrefix: string): Promise<string> {
  const { vl, vega } = await loadLibs();
  const full = { ...spec, config: { ...baseConfig, ...((spec.config as object) ?? {}) } };
  const compiled = vl.compile(full as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    const svg = await view.toSVG();
    return prefixIds(svg, idPrefix).replace('<svg ', '<svg class="chart" role="img" ');
  } finally {
    view.finalize();
  }
}

export function prefixIds(svg: string, prefix: string): string {
  const safe = prefix.replace(/[^A-Za-z0-9_-]/g, '_');
  return svg
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${safe}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${safe}${id})`)
    .replace(/href="#([^"]+)"/g, (_m, id: string) => `href="#${safe}${id}"`);
}

/** Training and validation curves: one panel per metric, train and validation in two colours. */
export function historySpec(a: ArtifactOf<'history'>): VegaLiteSpec {
  const values: { epoch: number; value: number | null; metric: string; split: string; series: string }[] = [];
  for (const s of a.series) {
    s.values.forEach((v, i) => {
      const n = num(v);
      values.push({ epoch: num(a.epochs[i] ?? i + 1), value: Number.isFinite(n) ? n : null, metric: s.metric, split: s.split, series: s.name });
    });
  }
  const metrics = [...new Set(a.series.map((s) => s.metric))];
  const width = metrics.length <= 1 ? 420 : metrics.length === 2 ? 250 : 170;
  return {
    data: { values },
    facet: { column: { field: 'metric', type: 'nominal', sort: metrics, title: null } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width,
      height: 150,
      layer: [
        { mark: { type: 'line', strokeWidth: 2 } },
        { mark: { type: 'point', filled: true, size: 18 } },
      ],
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } },
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
        color: { field: 'split', type: 'nominal', title: null, scale: { domain: ['train', 'validation'], range: [TRAIN, VALIDATION] } },
        detail: { field: 'series', type: 'nominal' },
        tooltip: [{ field: 'series' }, { field: 'epoch' }, { field: 'value', format: '.4g' }],
      },
    },
  };
}

/** Confusion matrix as a heatmap, counts written in the cells; rows are true classes. */
export function confusionSpec(a: ArtifactOf<'confusion'>): VegaLiteSpec {
  const values: { actual: string; predicted: string; count: number; rate: number; diagonal: boolean }[] = [];
  a.matrix.forEach((row, i) => {
    const total = row.reduce((s, x) => s + num(x), 0);
    row.forEach((x, j) => values.push({ actual: a.labels[i] ?? String(i), predicted: a.labels[j] ?? String(j), count: num(x), rate: total ? num(x) / total : 0, diagonal: i === j }));
  });
  const n = a.labels.length;
  const cell = n <= 10 ? 30 : n <= 20 ? 18 : 10;
  const showText = n <= 20;
  return {
    data: { values },
    width: cell * n,
    height: cell * n,
    encoding: {
      x: { field: 'predicted', type: 'ordinal', sort: a.labels, title: 'predicted', axis: { labelAngle: -45, labelLimit: 90 } },
      y: { field: 'actual', type: 'ordinal', sort: a.labels, title: 'true class', axis: { labelLimit: 90 } },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 0.5 },
        encoding: {
          color: { field: 'rate', type: 'quantitative', title: 'share of row', scale: { type: 'sqrt', domain: [0, 1], range: ['#ffffff', '#08519c'] }, legend: { orient: 'right', format: '.0%', gradientLength: Math.max(80, cell * n - 20) } },
          tooltip: [{ field: 'actual' }, { field: 'predicted' }, { field: 'count' }],
        },
      },
      ...(showText
        ? [{
            mark: { type: 'text', fontSize: n <= 10 ? 9 : 7 },
            encoding: {
              text: { field: 'count', type: 'quantitative' },
              color: { condition: { test: 'datum.rate > 0.5', value: 'white' }, value: '#222' },
              opacity: { condition: { test: 'datum.count == 0', value: 0.35 }, value: 1 },
            },
          }]
        : []),
    ],
    config: { axis: { grid: false } },
  };
}

/** Per-class precision and recall as grouped horizontal bars. */
export function perClassSpec(a: ArtifactOf<'perClass'>): VegaLiteSpec {
  const values: { label: string; metric: string; value: number }[] = [];
  a.labels.forEach((label, i) => {
    values.push({ label, metric: 'precision', value: num(a.precision[i]) });
    values.push({ label, metric: 'recall', value: num(a.recall[i]) });
  });
  return {
    data: { values },
    width: 260,
    height: { step: 8 },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: a.labels, title: null, axis: { labelLimit: 110 } },
      yOffset: { field: 'metric', type: 'nominal', sort: ['precision', 'recall'] },
      x: { field: 'value', type: 'quantitative', title: null, scale: { domain: [0, 1] }, axis: { format: '.0%', tickCount: 5 } },
      color: { field: 'metric', type: 'nominal', title: null, scale: { domain: ['precision', 'recall'], range: ['#4c78a8', '#f58518'] } },
    },
    layer: [
      { mark: { type: 'bar' } },
      { mark: { type: 'text', align: 'left', dx: 2, fontSize: 7, color: '#333' }, encoding: { text: { field: 'value', type: 'quantitative', format: '.2f' }, color: { value: '#333' } } },
    ],
  };
}

/** Relative error per parameter on a log scale, with the threshold as a dashed rule. */
export function gradcheckSpec(a: ArtifactOf<'gradcheck'>): VegaLiteSpec {
  const threshold = num(a.threshold);
  const FLOOR = 1e-16;
  const rows = a.rows.map((r) => {
    const e = num(r.relError);
    const shown = Number.isNaN(e) ? 1e3 : !Number.isFinite(e) ? 1e3 : Math.max(e, FLOOR);
    return { param: r.param, value: shown, label: fmtNum(e, 3), passed: Number.isFinite(e) && e <= threshold, elements: r.elements };
  });
  const all = [...rows.map((r) => r.value), Number.isFinite(threshold) && threshold > 0 ? threshold : 1e-6];
  const lo = 10 ** Math.floor(Math.log10(Math.min(...all)) - 1);
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...all)) + 0.5);
  return {
    width: 420,
    height: { step: 22 },
    layer: [
      {
        data: { values: rows },
        mark: { type: 'bar', height: 14 },
        encoding: {
          y: { field: 'param', type: 'nominal', sort: null, title: 'parameter' },
          x: { field: 'value', type: 'quantitative', scale: { type: 'log', domain: [lo, hi] }, title: 'max relative error (log scale)', axis: { format: '.0e', grid: true } },
          x2: { datum: lo },
          color: { field: 'passed', type: 'nominal', scale: { domain: [true, false], range: [PASS, FAIL] }, legend: null },
        },
      },
      {
        data: { values: rows },
        mark: { type: 'text', align: 'left', dx: 3, fontSize: 9 },
        encoding: {
          y: { field: 'param', type: 'nominal', sort: null },
          x: { field: 'value', type: 'quantitative' },
          text: { field: 'label' },
        },
      },
      {
        data: { values: [{ threshold }] },
        mark: { type: 'rule', color: '#555', strokeDash: [4, 3], strokeWidth: 1.5 },
        encoding: { x: { field: 'threshold', type: 'quantitative' } },
      },
    ],
  };
}

/** A metric against its grading bands: no points below `floor`, full points from `full`. */
export function bandsSpec(a: ArtifactOf<'bands'>): VegaLiteSpec {
  const value = num(a.value), floor = num(a.floor), full = num(a.full);
  const unit = [value, floor, full].every((x) => !Number.isFinite(x) || (x >= 0 && x <= 1));
  const finite = [value, floor, full].filter(Number.isFinite);
  // Zoom on the graded range: two band-widths below the floor (a share never below 0) up to the top.
  const span = Math.abs(full - floor) || Math.abs(Math.max(...finite) - Math.min(...finite)) || 1;
  const lo = unit ? Math.max(0, Math.floor((Math.min(floor, full) - 2 * span) * 10) / 10) : Math.min(...finite) - 0.5 * span;
  const hi = unit ? 1 : Math.max(...finite) + 0.5 * span;
  const fmt = unit ? '.0%' : '.3g';
  const zones = [
    { from: lo, to: floor, zone: 'no points' },
    { from: floor, to: full, zone: 'partial points' },
    { from: full, to: hi, zone: 'full points' },
  ].filter((z) => Number.isFinite(z.from) && Number.isFinite(z.to) && z.to > z.from);
  const shown = Number.isFinite(value) ? Math.min(hi, Math.max(lo, value)) : lo;
  const x = { type: 'quantitative', scale: { domain: [lo, hi], nice: false }, axis: { format: fmt, title: a.metric, tickCount: 10 } };
  return {
    width: 460,
    height: 34,
    layer: [
      {
        data: { values: zones },
        mark: { type: 'rect', opacity: 0.55 },
        encoding: {
          x: { ...x, field: 'from' },
          x2: { field: 'to' },
          color: { field: 'zone', type: 'nominal', title: null, scale: { domain: ['no points', 'partial points', 'full points'], range: ['#f4c7c3', '#fce8b2', '#b7e1cd'] } },
        },
      },
      {
        data: { values: [{ value: shown }] },
        mark: { type: 'bar', height: 12, color: '#333' },
        encoding: { x: { field: 'value', type: 'quantitative' }, x2: { datum: lo } },
      },
      {
        data: { values: [{ value: shown, text: Number.isFinite(value) ? (unit ? `${(value * 100).toFixed(2)}%` : fmtNum(value, 4)) : fmtNum(value) }] },
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 10, fontWeight: 'bold' },
        encoding: { x: { field: 'value', type: 'quantitative' }, text: { field: 'text' } },
      },
    ],
  };
}

/** Score histograms: overall, and one small panel per part. */
export function scoreDistributionSpec(scores: number[], maxScore: number, title?: string): VegaLiteSpec {
  const step = binStep(maxScore);
  return {
    ...(title ? { title } : {}),
    data: { values: scores.map((s) => ({ score: s })) },
    width: 460,
    height: 140,
    mark: { type: 'bar', color: '#4c78a8' },
    encoding: {
      x: { field: 'score', type: 'quantitative', bin: { extent: [0, Math.max(maxScore, step)], step }, title: `score (of ${fmtNum(maxScore)})` },
      y: { aggregate: 'count', type: 'quantitative', title: 'submissions', axis: { tickMinStep: 1, format: 'd' } },
    },
  };
}

export function partDistributionSpec(rows: { part: string; score: number; maxScore: number }[], partOrder: string[]): VegaLiteSpec {
  const values = rows.map((r) => ({ part: r.part, fraction: r.maxScore > 0 ? r.score / r.maxScore : 0 }));
  return {
    data: { values },
    facet: { field: 'part', type: 'nominal', sort: partOrder, title: null, header: { labelLimit: 160 } },
    columns: 3,
    spec: {
      width: 150,
      height: 80,
      mark: { type: 'bar', color: '#72b7b2' },
      encoding: {
        x: { field: 'fraction', type: 'quantitative', bin: { extent: [0, 1], step: 0.1 }, title: 'share of points', axis: { format: '.0%', labelAngle: 0, values: [0, 0.5, 1] } },
        y: { aggregate: 'count', type: 'quantitative', title: null, axis: { tickMinStep: 1, format: 'd' } },
      },
    },
  };
}

function binStep(max: number): number {
  if (!(max > 0)) return 1;
  if (max <= 10) return 0.5;
  if (max <= 20) return 1;
  const raw = max / 20;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? raw;
}
