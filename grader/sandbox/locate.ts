import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceLocation } from '../judge/result.ts';

/** The first stack frame inside the submission folder, as file:line relative to it. */
export function locateInStack(stack: string | undefined, submissionDir: string): SourceLocation | undefined {
  if (!stack) return undefined;
  // Bounded: a submission controls its error's stack (a huge line must not make this slow).
  for (const line of stack.slice(0, 20_000).split('\n').slice(1, 60)) {
    if (line.length > 2000) continue;
    const m = /((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!m) continue;
    const file = m[1].startsWith('file://') ? fileURLToPath(m[1]) : m[1];
    const rel = path.relative(submissionDir, file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    return { file: rel, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

export const formatLocation = (l?: SourceLocation) => (l ? `${l.file}:${l.line}${l.column ? `:${l.column}` : ''}` : '');
