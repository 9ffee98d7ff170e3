/** `--format name[=file] …`: which formats, where, and writing what they render. */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { GradeResult } from '../judge/result.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { UserError } from '../util/errors.ts';
import { outputFormats } from './registry.ts';
import type { FormatContext, OutputFormat } from './types.ts';

/** Formats a platform reads after nngrade exits: they are written even when grading fails. */
export const PLATFORM_FORMATS = new Set(['classroom', 'gradescope', 'prairielearn']);

export interface FormatRequest {
  name: string;
  format: OutputFormat;
  file?: string;
}

/** "gradescope", "gradescope=out/results.json", or several comma-separated. */
export function parseFormats(args: string[], scope?: OutputFormat['scope']): FormatRequest[] {
  const out: FormatRequest[] = [];
  for (const arg of args.flatMap((a) => a.split(',')).map((a) => a.trim()).filter(Boolean)) {
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const file = eq < 0 ? undefined : arg.slice(eq + 1);
    const format = outputFormats[name];
    if (!format) throw new UserError(`unknown output format "${name}"`, { hint: `the formats are: ${Object.keys(outputFormats).join(', ')}` });
    if (scope === 'submission' && format.scope === 'class') throw new UserError(`--format ${name} is a class gradebook: make it from the saved results with \`nngrade report <results…> --format ${name}\``);
    if (eq >= 0 && !file) throw new UserError(`--format ${name}= needs a file after the "="`);
    out.push({ name, format, file });
  }
  return out;
}

/** Render each requested format and write its files; returns the notes to show and the files written. */
export async function emitFormats(requests: FormatRequest[], results: GradeResult[], ctx: Omit<FormatContext, 'file'>): Promise<{ stdout: string; notes: string[]; files: string[] }> {
  let stdout = '';
  const notes: string[] = [];
  const files: string[] = [];
  for (const q of requests) {
    const r = await q.format.render(results, { ...ctx, file: q.file ?? q.format.defaultFile?.(ctx.env) });
    if (r.stdout) stdout += r.stdout;
    for (const f of r.files ?? []) {
      if (f.append) {
        mkdirSync(path.dirname(path.resolve(f.path)), { recursive: true });
        appendFileSync(f.path, f.data);
      } else writeFileAtomic(f.path, f.data);
      files.push(f.path);
    }
    files.push(...(r.written ?? []));
    notes.push(...(r.notes ?? []).map((n) => `${q.name}: ${n}`));
  }
  return { stdout, notes, files };
}
