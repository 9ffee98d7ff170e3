/**
 * Reading saved results (`nngrade check --json`, `nngrade grade --out`) back
 * for `nngrade report`: a file holds one GradeResult or an array of them. A
 * file that is not JSON, or not a result, is a UserError naming the file and
 * the first thing wrong with it.
 */
import { readFileSync } from 'node:fs';
import { RESULT_FORMAT_VERSION, type GradeResult } from '../judge/result.ts';
import { UserError } from '../util/errors.ts';
import { displayPath } from '../util/paths.ts';

const STATUSES = new Set(['passed', 'partial', 'failed', 'error', 'timeout', 'skipped', 'pending']);

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
/** Numbers may have been saved as "NaN" / "Infinity" strings by the JSON reporter. */
const isNum = (x: unknown) => typeof x === 'number' || (typeof x === 'string' && /^-?(NaN|Infinity)$/.test(x));

/** The first problem that stops `x` being a GradeResult, or undefined when it is one. */
export function resultProblem(x: unknown): string | undefined {
  if (!isObj(x)) return 'it is not a JSON object';
  if (x.formatVersion === undefined) return 'it has no formatVersion (is it an nngrade result?)';
  if (x.formatVersion !== RESULT_FORMAT_VERSION) return `its formatVersion is ${JSON.stringify(x.formatVersion)}; this nngrade reads version ${RESULT_FORMAT_VERSION}`;
  if (!isObj(x.assignment) || typeof x.assignment.id !== 'string' || typeof x.assignment.title !== 'string') return 'assignment.id and assignment.title must be strings';
  if (!isObj(x.submission) || typeof x.submission.dir !== 'string') return 'submission.dir must be a string';
  if (!isNum(x.score) || !isNum(x.maxScore)) return 'score and maxScore must be numbers';
  if (typeof x.backend !== 'string') return 'backend must be a string';
  if (!Array.isArray(x.parts)) return 'parts must be an array';
  for (let i = 0; i < x.parts.length; i++) {
    const p: unknown = x.parts[i];
    const at = `parts[${i}]`;
    if (!isObj(p)) return `${at} is not an object`;
    for (const k of ['id', 'title', 'kind', 'visibility'] as const) if (typeof p[k] !== 'string') return `${at}.${k} must be a string`;
    if (!STATUSES.has(p.status as string)) return `${at}.status ${JSON.stringify(p.status)} is not one of ${[...STATUSES].join(', ')}`;
    if (!isNum(p.score) || !isNum(p.maxScore)) return `${at}.score and ${at}.maxScore must be numbers`;
    if (!Array.isArray(p.messages) || p.messages.some((m) => typeof m !== 'string')) return `${at}.messages must be a list of strings`;
    if (!Array.isArray(p.checks)) return `${at}.checks must be a list`;
    for (let j = 0; j < p.checks.length; j++) {
      const c: unknown = p.checks[j];
      if (!isObj(c) || typeof c.name !== 'string' || typeof c.passed !== 'boolean') return `${at}.checks[${j}] needs a name (string) and passed (boolean)`;
    }
    if (p.artifacts !== undefined) {
      if (!Array.isArray(p.artifacts)) return `${at}.artifacts must be a list`;
      for (let j = 0; j < p.artifacts.length; j++) {
        const a: unknown = p.artifacts[j];
        if (!isObj(a) || typeof a.type !== 'string') return `${at}.artifacts[${j}] needs a type`;
      }
    }
  }
  return undefined;
}

export function isGradeResult(x: unknown): x is GradeResult {
  return resultProblem(x) === undefined;
}

/** Parse the text of a saved result file (one result or an array of results). */
export function parseResults(text: string, file: string): GradeResult[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${displayPath(file)} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`, {
      hint: 'nngrade report reads the files written by `nngrade check --json` / `--out` and `nngrade grade --out`',
    });
  }
  const list = Array.isArray(data) ? data : [data];
  if (Array.isArray(data) && data.length === 0) throw new UserError(`${displayPath(file)} holds an empty list, not a grade result`);
  list.forEach((r, i) => {
    const problem = resultProblem(r);
    if (problem) {
      throw new UserError(`${displayPath(file)} is not an nngrade result${Array.isArray(data) ? ` (item ${i})` : ''}: ${problem}`, {
        hint: 'nngrade report reads the files written by `nngrade check --json` / `--out` and `nngrade grade --out`',
      });
    }
  });
  return list as GradeResult[];
}

export function readResultFile(file: string): GradeResult[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `no such file: ${displayPath(file)}` : code === 'EISDIR' ? `${displayPath(file)} is a folder; give the result .json files inside it` : `cannot read ${displayPath(file)}: ${(e as Error).message}`);
  }
  return parseResults(text, file);
}
