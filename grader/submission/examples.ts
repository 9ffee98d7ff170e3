/**
 * The shipped example submissions (submissions/<assignment>/<name>/). A buggy
 * example holds only the files with its mistake and an `example.json` naming
 * its base (`{"base": "../correct"}`); it is graded as a self-contained
 * folder made by copying the base and laying its files over it, so the
 * sandbox's rule (nothing outside the submission folder) holds for examples
 * too. Only this harness reads example.json: `check` and `grade` on a
 * student's folder never follow it.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../util/errors.ts';
import { displayPath } from '../util/paths.ts';

export const EXAMPLE_FILE = 'example.json';

/** The example folders of one assignment, by name, sorted. */
export function listExamples(dir: string): string[] {
  return readdirSync(dir)
    .filter((s) => statSync(path.join(dir, s)).isDirectory())
    .sort();
}

export interface MaterializedExample {
  /** The folder to grade. */
  dir: string;
  /** Removes the temporary copy, if one was made. */
  cleanup(): void;
}

/** A gradable folder for the example at `dir`: itself, or its base with its files laid over. */
export function materializeExample(dir: string): MaterializedExample {
  const file = path.join(dir, EXAMPLE_FILE);
  if (!existsSync(file)) return { dir, cleanup: () => {} };
  let base: string;
  try {
    base = path.resolve(dir, (JSON.parse(readFileSync(file, 'utf8')) as { base: string }).base);
  } catch (e) {
    throw new UserError(`${displayPath(file)}: expected {"base": "<folder>"}: ${(e as Error).message}`);
  }
  if (!existsSync(base)) throw new UserError(`${displayPath(file)} names the base ${displayPath(base)}, which does not exist`);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'nngrade-example-'));
  const out = path.join(tmp, path.basename(dir));
  if (existsSync(path.join(base, EXAMPLE_FILE))) throw new UserError(`${displayPath(file)}: the base ${displayPath(base)} is itself an overlay; name a complete folder`);
  cpSync(base, out, { recursive: true });
  cpSync(dir, out, { recursive: true, filter: (src) => path.basename(src) !== EXAMPLE_FILE });
  return { dir: out, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}
