/**
 * Every text of a part result made safe to show, as the last step before it
 * leaves the grader: escape sequences and control characters removed (a
 * compile error quotes the student's source line, a check quotes their
 * strings), and the grader's own absolute paths (its install folder, the
 * sandbox's temp folder, where the submission sits on the grading machine)
 * replaced by short names, the submission's own files relative to it.
 */
import type { PartResult } from './result.ts';
import { cleanText } from '../sandbox/sanitize.ts';

/** `names` maps an absolute folder to what to show instead ('' for "relative to it"). */
export function redactText(text: string, names: Record<string, string>): string {
  let out = text;
  for (const [dir, name] of Object.entries(names).sort((a, b) => b[0].length - a[0].length)) {
    if (!dir || dir === '/') continue;
    out = out.split(`file://${dir}/`).join(name ? `${name}/` : '').split(`${dir}/`).join(name ? `${name}/` : '').split(dir).join(name || '.');
  }
  return out;
}

export function redactPaths(p: PartResult, names: Record<string, string>): PartResult {
  const r = (t: string) => redactText(cleanText(t), names);
  return {
    ...p,
    messages: p.messages.map(r),
    checks: p.checks.map((c) => ({
      ...c, name: r(c.name), message: r(c.message),
      ...(typeof c.received === 'string' ? { received: r(c.received) } : {}),
      ...(typeof c.expected === 'string' ? { expected: r(c.expected) } : {}),
    })),
    ...(p.location ? { location: { ...p.location, file: r(p.location.file) } } : {}),
    ...(p.output !== undefined ? { output: r(p.output) } : {}),
  };
}
