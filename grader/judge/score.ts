/** Scoring: pure functions from checks to points and a part status. */
import type { Check, PartResult, PartStatus } from './result.ts';

/** Round to 1e-6 points so sums of weights print cleanly. */
export const roundPoints = (x: number) => Math.round(x * 1e6) / 1e6;

/** Give each check its share of `points` by weight; returns the part's score (all checks passed = all points, exactly). */
export function allocatePoints(checks: Check[], points: number): number {
  const total = checks.reduce((s, c) => s + c.weight, 0);
  if (total <= 0) {
    for (const c of checks) c.points = 0;
    return 0;
  }
  let earned = 0;
  for (const c of checks) {
    const credit = c.credit ?? (c.passed ? 1 : 0);
    c.points = roundPoints((points * c.weight * credit) / total);
    earned += c.weight * credit;
  }
  // The score is computed once from the weights, not summed from rounded shares.
  return roundPoints(Math.min(points, (points * earned) / total));
}

export function statusFor(score: number, maxScore: number): PartStatus {
  if (score >= maxScore - 1e-9) return 'passed';
  return score > 0 ? 'partial' : 'failed';
}

/** The parts a total counts: not those left out here (skipped) or waiting for a person (pending). */
export const countedParts = (parts: PartResult[]) => parts.filter((p) => p.status !== 'skipped' && p.status !== 'pending');

/** Manual parts not graded yet, counted apart: undefined when there are none. */
export function pendingOf(parts: PartResult[]): { parts: number; points: number } | undefined {
  const pending = parts.filter((p) => p.status === 'pending');
  return pending.length ? { parts: pending.length, points: roundPoints(pending.reduce((s, p) => s + p.maxScore, 0)) } : undefined;
}

export function totalScore(parts: PartResult[]): { score: number; maxScore: number } {
  return {
    score: roundPoints(parts.reduce((s, p) => s + p.score, 0)),
    maxScore: roundPoints(parts.reduce((s, p) => s + p.maxScore, 0)),
  };
}

/** Credit of a metric on bands: 1 at or above `full`, linear down to 0 at `floor`, 0 below. */
export function bandCredit(value: number, full: number, floor: number): number {
  if (!(value >= floor)) return 0;
  if (value >= full || full <= floor) return 1;
  return (value - floor) / (full - floor);
}
