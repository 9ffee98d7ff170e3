/** The JSON report: the GradeResult as it is (its format is versioned; see README). */
import type { GradeResult } from '../judge/result.ts';

export function renderJson(result: GradeResult | GradeResult[]): string {
  return JSON.stringify(result, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2) + '\n';
}
