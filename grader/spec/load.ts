/**
 * Loading an assignment: parse the JSON (keeping line numbers), validate it
 * against the schema with ajv, then check that it is consistent with itself
 * (points add up, ids unique, fixtures load, references resolve, the exports
 * the parts call are declared). Every problem names file:line and the JSON
 * pointer, in plain words.
 */
import type { ErrorObject, Ajv as AjvClass } from 'ajv';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import jsonSourceMap from 'json-source-map';
import { UserError } from '../util/errors.ts';
import { displayPath, packageRoot } from '../util/paths.ts';
import type { AssignmentSpec } from './types.ts';
import { assignmentSchema, schemaHash } from './schema.ts';
import { createRequire } from 'node:module';
import { partKinds } from '../parts/registry.ts';
import { loadFixtures, type Fixtures } from '../fixtures/resolve.ts';
import type { SpecProblem } from '../parts/types.ts';

export interface LoadedAssignment {
  spec: AssignmentSpec;
  file: string;
  dir: string;
  fixtures: Fixtures;
  /** The reference's code; absent when the spec carries precomputed values instead (a release). */
  referenceEntry?: string;
  /** The reference's precomputed expected values (`reference.values`). */
  referenceValues?: string;
  /** JSON pointer → 1-based line:column in the spec file. */
  where(pointer: string): string;
}

export class SpecError extends UserError {
  constructor(readonly file: string, readonly problems: { where: string; pointer: string; message: string }[]) {
    super(`${displayPath(file)}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the assignment spec`, {
      details: problems.map((p) => `${p.where} ${p.pointer || '/'}: ${p.message}`),
    });
  }
}

type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
let validator: Validator | undefined;
/** The build's precompiled validator (dist/spec-validator.cjs) when it matches this schema; else ajv compiles one. */
function validate(): Validator {
  if (validator) return validator;
  const require = createRequire(import.meta.url);
  try {
    const pre = require(path.join(packageRoot(), 'dist', 'spec-validator.cjs'));
    if (pre.schemaHash === schemaHash()) return (validator = pre.default ?? pre);
  } catch {
    /* not built: compile below */
  }
  // Loaded only here, so the CLI does not pay for ajv's compiler when the build's validator fits.
  const Ajv = require('ajv').Ajv as typeof AjvClass;
  return (validator = new Ajv({ allErrors: true, strict: false, verbose: true }).compile(assignmentSchema()) as Validator);
}

export function resolveSpecPath(arg: string): string {
  const abs = path.resolve(arg);
  if (!existsSync(abs)) {
    const byId = path.resolve('assignments', arg, 'assignment.json');
    if (existsSync(byId)) return byId;
    throw new UserError(`assignment not found: ${arg}`, { hint: 'pass an assignment folder (assignments/<id>), its assignment.json, or an id under ./assignments' });
  }
  if (statSync(abs).isDirectory()) {
    const f = path.join(abs, 'assignment.json');
    if (!existsSync(f)) throw new UserError(`no assignment.json in ${displayPath(abs)}`, { hint: 'an assignment folder holds assignment.json beside its fixtures' });
    return f;
  }
  return abs;
}

const describeJson = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : JSON.stringify(v));
const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

function closest(word: string, options: string[]): string | undefined {
  const dist = (a: string, b: string) => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    return d[a.length][b.length];
  };
  const best = options.map((o) => [o, dist(word.toLowerCase(), o.toLowerCase())] as const).sort((a, b) => a[1] - b[1])[0];
  return best && best[1] <= Math.max(2, word.length / 3) ? best[0] : undefined;
}

/** One ajv error in plain words, with the pointer it is about. */
export function explainAjvError(e: ErrorObject): SpecProblem | undefined {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'if':
      return undefined;
    case 'required':
      return { pointer: e.instancePath, message: `missing required field "${p.missingProperty}"` };
    case 'additionalProperties': {
      const extra = String(p.additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
      const guess = closest(extra, allowed);
      return { pointer: `${e.instancePath}/${extra}`, message: `unknown field "${extra}"${guess ? ` (did you mean "${guess}"?)` : allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}` };
    }
    case 'enum':
      return { pointer: e.instancePath, message: `must be one of ${(p.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')} (got ${describeJson(e.data)})` };
    case 'const':
      return { pointer: e.instancePath, message: `must be ${JSON.stringify(p.allowedValue)} (got ${describeJson(e.data)})` };
    case 'type':
      return { pointer: e.instancePath, message: `must be ${article(String(p.type))} (got ${describeJson(e.data)})` };
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return { pointer: e.instancePath, message: `must be ${p.comparison} ${p.limit} (got ${describeJson(e.data)})` };
    case 'minItems':
      return { pointer: e.instancePath, message: `must have at least ${p.limit} item${p.limit === 1 ? '' : 's'}` };
    case 'minProperties':
      return { pointer: e.instancePath, message: `must have at least ${p.limit} entr${p.limit === 1 ? 'y' : 'ies'}` };
    case 'minLength':
      return { pointer: e.instancePath, message: 'must not be empty' };
    case 'pattern':
      return { pointer: e.instancePath, message: `${describeJson(e.data)} is not allowed: use ${(e.parentSchema as { description?: string })?.description ?? `the pattern ${p.pattern}`}` };
    case 'propertyName':
      return { pointer: `${e.instancePath}/${p.propertyName}`, message: `the name "${p.propertyName}" is not allowed: use lower-case letters, digits, ".", "_" and "-"` };
    case 'oneOf': {
      const branches = (e.schema as { required?: string[] }[]).map((b) => (b.required ? b.required.join(' + ') : null)).filter(Boolean);
      return { pointer: e.instancePath, message: branches.length ? `must have exactly one of: ${branches.join(', or ')}` : 'matches none (or more than one) of the allowed forms' };
    }
    default:
      return { pointer: e.instancePath, message: e.message ?? e.keyword };
  }
}

export function loadAssignment(arg: string): LoadedAssignment {
  const file = resolveSpecPath(arg);
  const dir = path.dirname(file);
  const text = readFileSync(file, 'utf8');
  let parsed: { data: unknown; pointers: Record<string, { value: { line: number; column: number }; key?: { line: number; column: number } }> };
  try {
    parsed = jsonSourceMap.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    let where = displayPath(file);
    if (pos) {
      const before = text.slice(0, Number(pos[1]));
      const line = before.split('\n').length;
      where += `:${line}:${Number(pos[1]) - before.lastIndexOf('\n')}`;
    }
    throw new UserError(`${where}: the assignment spec is not valid JSON: ${msg.replace(/ in JSON at position \d+/, '')}`, { hint: 'check for a missing comma or quote, or a trailing comma, near that position' });
  }
  const where = (pointer: string) => {
    let ptr = pointer;
    while (ptr && !parsed.pointers[ptr]) ptr = ptr.slice(0, ptr.lastIndexOf('/'));
    const loc = parsed.pointers[ptr] ?? parsed.pointers[''];
    const at = loc.key ?? loc.value;
    return `${displayPath(file)}:${at.line + 1}:${at.column + 1}`;
  };
  const fail = (problems: SpecProblem[]): never => {
    const seen = new Set<string>();
    const unique = problems.filter((p) => (seen.has(p.pointer + p.message) ? false : (seen.add(p.pointer + p.message), true)));
    throw new SpecError(file, unique.map((p) => ({ ...p, where: where(p.pointer) })));
  };
  const data = parsed.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) fail([{ pointer: '', message: `the spec must be a JSON object (got ${describeJson(data)})` }]);

  // An unknown part kind would otherwise surface as a pile of schema errors.
  const problems: SpecProblem[] = [];
  const rawParts = (data as { parts?: unknown }).parts;
  if (Array.isArray(rawParts)) {
    rawParts.forEach((p, i) => {
      const kind = (p as { kind?: unknown })?.kind;
      if (typeof kind === 'string' && !(kind in partKinds)) {
        const guess = closest(kind, Object.keys(partKinds));
        problems.push({ pointer: `/parts/${i}/kind`, message: `unknown part kind "${kind}"${guess ? ` (did you mean "${guess}"?)` : ''}; known kinds: ${Object.keys(partKinds).join(', ')}` });
      }
    });
  }
  const v = validate();
  if (!v(data)) {
    for (const e of v.errors ?? []) {
      if (problems.some((p) => e.instancePath.startsWith(p.pointer.replace(/\/kind$/, '')))) continue;
      const x = explainAjvError(e);
      if (x) problems.push(x);
    }
  }
  if (problems.length) fail(problems);
  const spec = data as AssignmentSpec;

  // Consistency beyond the schema.
  const total = spec.parts.reduce((s, p) => s + p.points, 0);
  if (Math.abs(total - spec.points) > 1e-9) {
    problems.push({ pointer: '/points', message: `the parts' points add up to ${total} (${spec.parts.map((p) => `${p.id}: ${p.points}`).join(', ')}), but the spec says ${spec.points}` });
  }
  const ids = new Map<string, number>();
  spec.parts.forEach((p, i) => {
    if (ids.has(p.id)) problems.push({ pointer: `/parts/${i}/id`, message: `part id "${p.id}" is already used by /parts/${ids.get(p.id)}` });
    else ids.set(p.id, i);
  });
  const { fixtures, problems: fixtureProblems } = loadFixtures(spec, dir);
  problems.push(...fixtureProblems.map((f) => ({ pointer: f.pointer, message: f.message })));
  const declared = new Set(spec.submission.exports);
  spec.parts.forEach((p, i) => {
    const kind = partKinds[p.kind];
    for (const name of kind.exportsUsed(p)) {
      if (!declared.has(name)) problems.push({ pointer: `/parts/${i}`, message: `part "${p.id}" calls the export "${name}", which /submission/exports does not list (${[...declared].join(', ')})` });
    }
    if (kind.lint && fixtureProblems.length === 0) problems.push(...kind.lint(p, { spec, fixtures, index: i }));
  });
  const referenceValues = spec.reference?.values !== undefined ? path.resolve(dir, spec.reference.values) : undefined;
  const referenceEntry = spec.reference?.entry !== undefined || !referenceValues ? path.resolve(dir, spec.reference?.entry ?? path.join('..', '..', 'reference', spec.id, 'index.ts')) : undefined;
  if (referenceEntry && !existsSync(referenceEntry)) {
    problems.push({ pointer: spec.reference?.entry !== undefined ? '/reference/entry' : '', message: `the reference implementation was not found at ${displayPath(referenceEntry)}${spec.reference?.entry !== undefined ? '' : ' (the default place; set /reference/entry to use another)'}` });
  }
  if (referenceValues && !existsSync(referenceValues)) {
    problems.push({ pointer: '/reference/values', message: `the reference's expected values were not found at ${displayPath(referenceValues)} (a release writes them beside its assignment.json)` });
  }
  if (problems.length) fail(problems);
  return { spec, file, dir, fixtures, referenceEntry, referenceValues, where };
}
