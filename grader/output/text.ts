/** Plain text of a part for the platforms' result files: what went wrong, or why details are withheld. */
import type { GradeResult } from '../judge/result.ts';
import type { ShownPart } from '../report/redact.ts';

const pts = (x: number) => String(Math.round(x * 100) / 100);

export function partText(p: ShownPart): string {
  if (p.redacted) return p.redacted.reason;
  const head = p.status === 'skipped' ? 'not graded here' : p.status === 'pending' ? `graded by a person (${pts(p.maxScore)} points)` : `${p.status}: ${pts(p.score)} / ${pts(p.maxScore)} points`;
  const where = p.location ? `\nat ${p.location.file}:${p.location.line}` : '';
  return [head, ...p.messages].join('\n') + where;
}

/** "score 18.5 / 25", and the parts not graded here, for a platform's top-level message. */
export function scoreLine(r: GradeResult): string {
  const skipped = [...r.parts.filter((p) => p.status === 'skipped').map((p) => p.maxScore), ...(r.gradedLater ?? []).map((p) => p.points)];
  const later = skipped.length ? `; ${skipped.length} part${skipped.length > 1 ? 's' : ''} (${pts(skipped.reduce((s, x) => s + x, 0))} points) graded later` : '';
  const person = r.pending ? `; ${pts(r.pending.points)} points graded by a person` : '';
  return `${r.assignment.title}: score ${pts(r.score)} / ${pts(r.maxScore)}${later}${person}`;
}

/** The score line, then the notes about the hand-in as a whole. */
export function headline(r: GradeResult): string {
  return [scoreLine(r), ...(r.notes ?? []).map((n) => `note: ${n}`)].join('\n');
}

export { pts };
