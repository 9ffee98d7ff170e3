/**
 * Comparing a student's model summary with the reference's, criterion by
 * criterion: the layer sequence, the settings that matter, per-layer output
 * shapes, per-layer parameter counts, and the totals. Pure functions on plain
 * summaries (no tf), so they are easy to test.
 */
import type { SummaryRow } from './result.ts';

export interface LayerRow {
  name: string;
  className: string;
  outputShape: (number | null)[];
  params: number;
  trainableParams: number;
  config: Record<string, unknown>;
}

export interface Summary {
  layers: LayerRow[];
  totalParams: number;
  trainableParams: number;
}

export const DEFAULT_CONFIG_KEYS = ['units', 'filters', 'kernelSize', 'strides', 'padding', 'activation', 'rate', 'poolSize'];

export interface NormalizeOptions {
  /** Output shapes: exact, or equal once size-1 axes are dropped ((1, 1, 84) ~ (84)). Default exact. */
  shapes?: 'exact' | 'squeeze';
  /** Layer classes left out of the comparison (default: InputLayer). */
  ignore?: string[];
  /** Fold a separate Activation layer into the layer before it when that one is linear (default true). */
  foldActivations?: boolean;
  /** A Reshape to one axis is a Flatten (default true). */
  reshapeIsFlatten?: boolean;
}

/**
 * The activation an activation layer applies, when it equals one of the activation settings:
 * Activation(a); ReLU (relu, or relu6 with maxValue 6); Softmax over the last axis; ELU with alpha 1.
 */
export function activationOf(l: LayerRow): string | undefined {
  const c = l.config;
  switch (l.className) {
    case 'Activation':
      return typeof c.activation === 'string' ? c.activation : undefined;
    case 'ReLU':
      return c.maxValue == null ? 'relu' : c.maxValue === 6 ? 'relu6' : undefined;
    case 'Softmax':
      return c.axis === undefined || c.axis === -1 || c.axis === l.outputShape.length ? 'softmax' : undefined;
    case 'ELU':
      return c.alpha === undefined || c.alpha === 1 ? 'elu' : undefined;
    default:
      return undefined;
  }
}

/** The rows compared: ignored classes dropped, Activation layers folded into their predecessor. */
export function normalize(s: Summary, opts: NormalizeOptions = {}): LayerRow[] {
  const ignore = new Set(opts.ignore ?? ['InputLayer']);
  const out: LayerRow[] = [];
  for (const layer of s.layers) {
    if (ignore.has(layer.className)) continue;
    let l = layer;
    // tf.layers.reLU() and the like are Activation layers by another name.
    const act = activationOf(l);
    if (act !== undefined && l.className !== 'Activation') l = { ...l, className: 'Activation', config: { activation: act } };
    if ((opts.reshapeIsFlatten ?? true) && l.className === 'Reshape' && l.outputShape.length === 1) l = { ...l, className: 'Flatten', config: {} };
    const prev = out[out.length - 1];
    if ((opts.foldActivations ?? true) && l.className === 'Activation' && prev && prev.className !== 'Activation' && (prev.config.activation === undefined || prev.config.activation === 'linear')) {
      out[out.length - 1] = { ...prev, config: { ...prev.config, activation: l.config.activation }, outputShape: l.outputShape, name: `${prev.name}+${l.name}` };
      continue;
    }
    out.push(l);
  }
  return out;
}

/**
 * Align two layer lists: the longest common subsequence of class names, and among equally long
 * ones the alignment whose paired layers agree on the most settings (so a missing middle Dense
 * layer is named as that layer, not as the output layer). Pairs of indices (student, reference).
 */
export function align(a: LayerRow[], b: LayerRow[]): [number, number][] {
  const n = a.length, m = b.length;
  const agree = (x: LayerRow, y: LayerRow) => Object.keys(y.config).filter((k) => JSON.stringify(x.config[k]) === JSON.stringify(y.config[k])).length;
  // Each match is worth 1 plus a fraction for agreeing settings (< 1 in total, so class matches count first).
  const w = (i: number, j: number) => 1 + agree(a[i], b[j]) / (Object.keys(b[j].config).length + 1) / (Math.max(n, m) + 1);
  const L = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      L[i][j] = Math.max(L[i + 1][j], L[i][j + 1], a[i].className === b[j].className ? L[i + 1][j + 1] + w(i, j) : -Infinity);
    }
  }
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[i].className === b[j].className && L[i][j] === L[i + 1][j + 1] + w(i, j)) { pairs.push([i, j]); i++; j++; }
    else if (L[i + 1][j] >= L[i][j + 1]) i++;
    else j++;
  }
  return pairs;
}

const same = (x: unknown, y: unknown) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);
const shapeStr = (s: (number | null)[]) => `(${['None', ...s.map((d) => (d === null ? 'None' : String(d)))].join(', ')})`;
const fmtVal = (v: unknown) => (Array.isArray(v) ? `(${v.join(', ')})` : typeof v === 'string' ? `'${v}'` : String(v));

export interface CriterionResult {
  criterion: 'layers' | 'config' | 'outputShapes' | 'params' | 'totals';
  passed: boolean;
  message: string;
  differingRows: number[];
}

export interface ArchitectureComparison {
  criteria: CriterionResult[];
  student: LayerRow[];
  reference: LayerRow[];
  /** The side-by-side rows: a missing or extra layer has no partner on the other side. */
  aligned: { student?: LayerRow; reference?: LayerRow }[];
  /** Rows (in the side-by-side table) where something differs. */
  differingRows: number[];
  table: string;
}

export function compareArchitectures(student: Summary, reference: Summary, opts: NormalizeOptions & { configKeys?: string[] } = {}): ArchitectureComparison {
  const s = normalize(student, opts), r = normalize(reference, opts);
  const keys = opts.configKeys ?? DEFAULT_CONFIG_KEYS;
  const pairs = align(s, r);
  const byStudent = new Map(pairs.map(([i, j]) => [i, j]));
  const byRef = new Map(pairs.map(([i, j]) => [j, i]));
  const criteria: CriterionResult[] = [];

  // Side-by-side rows: walk both sequences, inserting gaps where a layer has no partner.
  const rows: { s?: number; r?: number }[] = [];
  for (let i = 0, j = 0; i < s.length || j < r.length; ) {
    if (i < s.length && j < r.length && byStudent.get(i) === j) { rows.push({ s: i, r: j }); i++; j++; }
    else if (j < r.length && !byRef.has(j)) { rows.push({ r: j }); j++; }
    else if (i < s.length && !byStudent.has(i)) { rows.push({ s: i }); i++; }
    else { rows.push({ s: i, r: j }); i++; j++; }
  }
  const rowOfStudent = (i: number) => rows.findIndex((x) => x.s === i);

  const missing = r.map((l, j) => (byRef.has(j) ? null : `${l.className} (reference layer ${j + 1})`)).filter(Boolean);
  const extra = s.map((l, i) => (byStudent.has(i) ? null : `${l.className} (your layer ${i + 1})`)).filter(Boolean);
  const seqRows = rows.map((x, k) => (x.s === undefined || x.r === undefined ? k : -1)).filter((k) => k >= 0);
  criteria.push({
    criterion: 'layers',
    passed: missing.length === 0 && extra.length === 0,
    message: missing.length || extra.length
      ? [missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `extra ${extra.join(', ')}` : ''].filter(Boolean).join('; ')
      : `the same ${s.length} layers in the same order`,
    differingRows: seqRows,
  });

  const cfgDiffs: string[] = [], cfgRows: number[] = [];
  const shapeDiffs: string[] = [], shapeRows: number[] = [];
  const paramDiffs: string[] = [], paramRows: number[] = [];
  for (const [i, j] of pairs) {
    const a = s[i], b = r[j];
    const where = `layer ${i + 1} (${a.className})`;
    const d = keys.filter((k) => !same(a.config[k], b.config[k])).map((k) => `${k} ${fmtVal(a.config[k])}, expected ${fmtVal(b.config[k])}`);
    if (d.length) { cfgDiffs.push(`${where}: ${d.join('; ')}`); cfgRows.push(rowOfStudent(i)); }
    const shapeOf = (x: (number | null)[]) => (opts.shapes === 'squeeze' ? x.filter((d) => d !== 1) : x);
    if (!same(shapeOf(a.outputShape), shapeOf(b.outputShape))) { shapeDiffs.push(`${where}: output ${shapeStr(a.outputShape)}, expected ${shapeStr(b.outputShape)}`); shapeRows.push(rowOfStudent(i)); }
    if (a.params !== b.params) { paramDiffs.push(`${where}: ${a.params.toLocaleString('en-US')} parameters, expected ${b.params.toLocaleString('en-US')}`); paramRows.push(rowOfStudent(i)); }
  }
  criteria.push({ criterion: 'config', passed: cfgDiffs.length === 0, message: cfgDiffs.length ? cfgDiffs.join('\n') : `settings match (${keys.join(', ')})`, differingRows: cfgRows });
  criteria.push({ criterion: 'outputShapes', passed: shapeDiffs.length === 0 && !missing.length && !extra.length, message: shapeDiffs.length ? shapeDiffs.join('\n') : missing.length || extra.length ? 'the layers differ (see the layer sequence)' : 'every output shape matches', differingRows: shapeRows });
  criteria.push({ criterion: 'params', passed: paramDiffs.length === 0 && !missing.length && !extra.length, message: paramDiffs.length ? paramDiffs.join('\n') : missing.length || extra.length ? 'the layers differ (see the layer sequence)' : 'every layer has the expected number of parameters', differingRows: paramRows });
  const totalsOk = student.totalParams === reference.totalParams && student.trainableParams === reference.trainableParams;
  criteria.push({
    criterion: 'totals',
    passed: totalsOk,
    message: `total ${student.totalParams.toLocaleString('en-US')} parameters (trainable ${student.trainableParams.toLocaleString('en-US')})${totalsOk ? '' : `, expected ${reference.totalParams.toLocaleString('en-US')} (trainable ${reference.trainableParams.toLocaleString('en-US')})`}`,
    differingRows: [],
  });

  const differingRows = [...new Set(criteria.flatMap((c) => c.differingRows))].sort((x, y) => x - y);
  const cell = (l?: LayerRow) => (l ? [`${l.className}${l.config.activation && l.config.activation !== 'linear' ? `(${l.config.activation})` : ''}`, shapeStr(l.outputShape), l.params.toLocaleString('en-US')] : ['—', '', '']);
  const body = rows.map((x, k) => [differingRows.includes(k) ? '✗' : ' ', ...cell(x.s === undefined ? undefined : s[x.s]), ...cell(x.r === undefined ? undefined : r[x.r])]);
  const head = [' ', 'your layer', 'output shape', 'params', 'reference layer', 'output shape', 'params'];
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((b) => b[c].length)));
  const line = (cols: string[]) => cols.map((x, c) => (c === 3 || c === 6 ? x.padStart(widths[c]) : x.padEnd(widths[c]))).join('  ').trimEnd();
  const table = [line(head), ...body.map(line), line([' ', 'total', '', student.totalParams.toLocaleString('en-US'), 'total', '', reference.totalParams.toLocaleString('en-US')])].join('\n');
  const aligned = rows.map((x) => ({ student: x.s === undefined ? undefined : s[x.s], reference: x.r === undefined ? undefined : r[x.r] }));
  return { criteria, student: s, reference: r, aligned, differingRows, table };
}

const GAP: SummaryRow = { name: '', className: '—', outputShape: [], params: 0 };

/** Rows for a report's side-by-side table (a gap where one side has no layer). */
export function toSummaryRows(rows: (LayerRow | undefined)[]): SummaryRow[] {
  return rows.map((l) => (l ? { name: l.name, className: l.className, outputShape: l.outputShape, params: l.params, config: l.config } : GAP));
}
