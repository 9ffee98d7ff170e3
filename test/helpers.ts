import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { materializeExample } from '../grader/submission/examples.ts';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const CLI = path.join(ROOT, 'bin', 'nngrade.js');

export function readSpec(id: string): Record<string, any> {
  return JSON.parse(readFileSync(path.join(ROOT, 'assignments', id, 'assignment.json'), 'utf8'));
}

/**
 * Write a variant of a shipped spec into a temp folder (keeping its reference
 * and fixture files reachable) and return the spec path.
 */
export function specVariant(id: string, edit: (s: Record<string, any>) => void, raw?: (text: string) => string): string {
  const spec = readSpec(id);
  spec.reference = { entry: path.join(ROOT, 'reference', id, 'index.ts') };
  edit(spec);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nngrade-spec-'));
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'assignment.json');
  const text = JSON.stringify(spec, null, 2);
  writeFileSync(file, raw ? raw(text) : text);
  return file;
}

export interface CliRun { code: number | null; stdout: string; stderr: string }

export function cli(args: string[], opts: { cwd?: string } = {}): CliRun {
  // The type check has its own tests (typecheck*.test.ts); other checks skip the compiler's ~2 s start.
  if (args[0] === 'check' && !args.includes('--typecheck')) args = [...args, '--no-typecheck'];
  else if (args[0] === 'check') args = args.filter((a) => a !== '--typecheck');
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function lineOf(file: string, needle: string): number {
  return readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;
}

/** A shipped example as a self-contained folder (buggy ones are their base with their files laid over). */
export function exampleDir(id: string, name: string): string {
  return materializeExample(path.join(ROOT, 'submissions', id, name)).dir;
}

export { execFileSync };
