/**
 * Small formatting helpers for the HTML/PDF reports: numbers, array
 * summaries, durations and dates. Pure; saved results may hold non-finite
 * numbers as strings ("NaN", "Infinity"), so every number goes through num().
 */
import type { Summary } from '../judge/values.ts';

/** A number from a result field that may have been saved as "NaN" / "Infinity" / "-Infinity". */
export function num(x: unknown): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'string') {
    if (x === 'NaN') return NaN;
    if (x === 'Infinity') return Infinity;
    if (x === '-Infinity') return -Infinity;
    const n = Number(x);
    return Number.isNaN(n) ? NaN : n;
  }
  return NaN;
}

/** A number with `digits` significant digits, exponent notation when very large or small. */
export function fmtNum(x: unknown, digits = 6): string {
  const n = num(x);
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '∞';
  if (n === -Infinity) return '−∞';
  if (n === 0) return '0';
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  const a = Math.abs(n);
  if (a >= 1e6 || a < 1e-4) {
    const [m, e] = n.toExponential(Math.max(0, digits - 1)).split('e');
    return `${trimZeros(m)}e${e}`;
  }
  return trimZeros(n.toPrecision(digits));
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** Points: at most two decimals. */
export function fmtPoints(x: unknown): string {
  const n = num(x);
  if (!Number.isFinite(n)) return fmtNum(n);
  return String(Math.round(n * 100) / 100);
}

export function fmtPercent(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return fmtNum(x);
  return `${(x * 100).toFixed(digits)}%`;
}

export function fmtDuration(ms: unknown): string {
  const n = num(ms);
  if (!Number.isFinite(n)) return '–';
  if (n < 1000) return `${Math.round(n)} ms`;
  if (n < 60_000) return `${(n / 1000).toFixed(n < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(n / 60_000);
  const s = Math.round((n % 60_000) / 1000);
  return `${m} min ${s} s`;
}

/** "2026-11-21 19:31 UTC" (reports are read in many time zones; UTC keeps them reproducible). */
export function fmtDate(d: Date | string | undefined): string {
  if (d === undefined) return '';
  const date = typeof d === 'string' ? new Date(d) : d;
  if (Number.isNaN(date.getTime())) return String(d);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function isStats(s: object): s is { shape: number[]; size: number; min: number; max: number; mean: number; first: number[]; nonFinite?: number } {
  return 'size' in s && 'min' in s;
}

/** Compact nested-array text for small values, cut at `limit` characters. */
export function fmtValues(v: unknown, limit = 160): string {
  const walk = (x: unknown): string => {
    if (Array.isArray(x)) return `[${x.map(walk).join(', ')}]`;
    if (typeof x === 'number' || (typeof x === 'string' && /^-?(NaN|Infinity)$/.test(x))) return fmtNum(x);
    if (typeof x === 'string') return JSON.stringify(x);
    if (x && typeof x === 'object') return `{${Object.entries(x).map(([k, y]) => `${k}: ${walk(y)}`).join(', ')}}`;
    return String(x);
  };
  const s = walk(v);
  return s.length > limit ? `${s.slice(0, limit - 1)}…` : s;
}

/** One summarised value as lines of text, for the check tables. */
export interface SummaryView {
  /** The first line: the scalar or string, or "shape [1000]". */
  head: string;
  /** Further lines: values, or min/max/mean and the first elements. */
  lines: string[];
}

export function summaryView(s: Summary | string | undefined): SummaryView | undefined {
  if (s === undefined || s === null) return undefined;
  if (typeof s === 'string') {
    if (/^-?(NaN|Infinity)$/.test(s)) return { head: fmtNum(s), lines: [] };
    return { head: s.length > 200 ? `${s.slice(0, 199)}…` : s, lines: [] };
  }
  if (typeof s === 'number') return { head: fmtNum(s, 10), lines: [] };
  if (typeof s !== 'object') return { head: String(s), lines: [] };
  const shape = `shape [${(s.shape ?? []).join(', ')}]`;
  if (isStats(s)) {
    const first = (s.first ?? []).slice(0, 3);
    const lines = [`min ${fmtNum(s.min, 5)}`, `max ${fmtNum(s.max, 5)}`, `mean ${fmtNum(s.mean, 5)}`, `first ${first.map((x) => fmtNum(x, 4)).join(', ')}${s.size > first.length ? ', …' : ''}`];
    if (s.nonFinite) lines.push(`${s.nonFinite} not finite`);
    return { head: shape, lines };
  }
  if ('values' in s) return { head: shape, lines: [fmtValues(s.values)] };
  return { head: fmtValues(s), lines: [] };
}

/** Replace the numbers in a message by "#" so failures that differ only in values group together. */
export function normaliseMessage(m: string): string {
  return m
    .replace(/(?<![A-Za-z_\d.])-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi, '#')
    .replace(/\b(NaN|-?Infinity)\b/g, '#')
    .replace(/#(\s*[×x,]\s*#)+/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
}
