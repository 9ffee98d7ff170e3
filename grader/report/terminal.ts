/** The terminal report: a coloured table of parts, then what went wrong and where. */
import pc from 'picocolors';
import Table from 'cli-table3';
import type { GradeResult, PartStatus } from '../judge/result.ts';
import { displayPath } from '../util/paths.ts';

const statusColour: Record<PartStatus, (s: string) => string> = {
  passed: pc.green,
  partial: pc.yellow,
  failed: pc.red,
  error: pc.red,
  timeout: pc.magenta,
  skipped: pc.dim,
  pending: pc.cyan,
};

const pts = (x: number) => String(Math.round(x * 100) / 100);

/** cli-table3 colours its borders and header itself: only when picocolors would colour (a terminal, no NO_COLOR). */
export const tableStyle = () => (pc.isColorSupported ? { head: ['cyan'] } : { head: [], border: [] });

export function renderTerminal(r: GradeResult, opts: { verbose?: boolean } = {}): string {
  const lines: string[] = [];
  lines.push(pc.bold(`${r.assignment.title} (${r.assignment.id} v${r.assignment.version})`));
  lines.push(pc.dim(`submission ${displayPath(r.submission.dir)} · ${r.durationMs} ms · backend ${r.backend}${r.isolation ? ` · sandbox ${r.isolation.join(' + ')}` : ''}${r.variant ? ` · variant of ${r.variant.student}` : ''}`));
  const table = new Table({ head: ['part', 'kind', 'status', 'points'], style: tableStyle() });
  for (const p of r.parts) {
    table.push([`${p.id}${p.visibility === 'visible' ? '' : pc.dim(` (${p.visibility})`)}`, p.kind, statusColour[p.status](p.status), p.status === 'skipped' || p.status === 'pending' ? pc.dim(`– / ${pts(p.maxScore)}`) : `${pts(p.score)} / ${pts(p.maxScore)}`]);
  }
  lines.push(table.toString());
  for (const p of r.parts) {
    // A part left out because its data set is missing says why; other skipped parts are expected.
    if (p.status === 'skipped' && p.messages[0]?.startsWith('not graded:')) {
      lines.push('', pc.yellow(`${p.id}: ${p.messages[0]}`));
      continue;
    }
    if (p.status === 'passed' || p.status === 'skipped') continue;
    if (p.status === 'pending') {
      lines.push('', pc.cyan(`${p.id}: ${p.messages[0] ?? 'graded by a person'}`));
      continue;
    }
    lines.push('');
    lines.push(statusColour[p.status](pc.bold(`${p.id}: ${p.title}`)));
    for (const m of p.messages) lines.push(`  ${m.split('\n').join('\n    ')}`);
    if (opts.verbose && p.output) lines.push(pc.dim(`  output:\n    ${p.output.trimEnd().split('\n').join('\n    ')}`));
  }
  for (const n of r.notes ?? []) lines.push('', pc.yellow(`note: ${n}`));
  if (r.typecheck && !r.typecheck.scored && r.typecheck.problems.length) {
    const ps = r.typecheck.problems;
    lines.push('', pc.yellow(`type check against interface.d.ts: ${ps.length} problem${ps.length === 1 ? '' : 's'} (warnings; they cost no points)`));
    for (const p of ps.slice(0, 8)) lines.push(pc.yellow(`  ${p.file}:${p.line}:${p.column} ${p.message}`));
    if (ps.length > 8) lines.push(pc.yellow(`  … and ${ps.length - 8} more (--json has them all)`));
  }
  if (r.gradedLater?.length) {
    lines.push('', pc.dim(`graded after you hand in: ${r.gradedLater.map((p) => `${p.title} (${pts(p.points)})`).join(', ')}; ${pts(r.gradedLater.reduce((s, p) => s + p.points, 0))} points on tests not in this release`));
  }
  const all = r.score >= r.maxScore - 1e-9;
  lines.push('');
  const pendingNote = r.pending ? pc.cyan(` + ${pts(r.pending.points)} points graded by a person (${r.pending.parts} part${r.pending.parts > 1 ? 's' : ''} pending)`) : '';
  lines.push((all ? pc.green : pc.yellow)(pc.bold(`score ${pts(r.score)} / ${pts(r.maxScore)}`)) + pendingNote + (r.parts.some((p) => p.status === 'skipped') ? pc.dim(' (parts not checked here are not counted)') : ''));
  return lines.join('\n') + '\n';
}
