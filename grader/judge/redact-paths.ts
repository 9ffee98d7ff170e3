/**
 * The grader's own absolute paths (its install folder, the sandbox's temp
 * folder, where the submission sits on the grading machine) are not shown to
 * students: every text of a part result has them replaced by short names,
 * and the submission's own files become paths relative to it.
 */
import type { PartResult } from './result.ts';

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
  const r = (t: string) => redactText(t, names);
  return {
    ...p,
    messages: p.messages.map(r),
    checks: p.checks.map((c) => ({ ...c, message: r(c.message), ...(typeof c.received === 'string' ? { received: r(c.received) } : {}) })),
    ...(p.output !== undefined ? { output: r(p.output) } : {}),
  };
}
