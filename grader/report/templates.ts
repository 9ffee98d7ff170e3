/**
 * The report templates: Handlebars files and CSS in templates/. An instructor
 * may point at their own folder holding any of the same file names; files it
 * lacks fall back to ours. Every `*.hbs` file is registered as a partial by
 * its base name; `report.hbs` and `dashboard.hbs` are the page layouts and
 * `report.css` is inlined into both.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { packageRoot } from '../util/paths.ts';
import { UserError } from '../util/errors.ts';
import { fmtNum, fmtPercent, fmtPoints } from './format.ts';

export interface TemplateSet {
  report: Handlebars.TemplateDelegate;
  dashboard: Handlebars.TemplateDelegate;
  css: string;
  hasPartial(name: string): boolean;
  /** Where each file came from (for --verbose and tests). */
  sources: Record<string, string>;
}

export function defaultTemplatesDir(): string {
  return path.join(packageRoot(), 'templates');
}

function listFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir)) {
    if (f.endsWith('.hbs') || f.endsWith('.css')) out.set(f, path.join(dir, f));
  }
  return out;
}

const cache = new Map<string, TemplateSet>();

/** Load (and cache) the template set; `templatesDir` overrides ours file by file. */
export function loadTemplates(templatesDir?: string): TemplateSet {
  const ours = defaultTemplatesDir();
  const theirs = templatesDir ? path.resolve(templatesDir) : undefined;
  if (theirs && (!existsSync(theirs) || !statSync(theirs).isDirectory())) {
    throw new UserError(`templates folder ${templatesDir} does not exist`, { hint: `copy ${ours} and edit the files you want to change; missing files fall back to nngrade's` });
  }
  const files = listFiles(ours);
  if (theirs) for (const [name, file] of listFiles(theirs)) files.set(name, file);
  const key = [...files.entries()].map(([n, f]) => `${n}=${f}@${statSync(f).mtimeMs}`).join('|');
  const hit = cache.get(key);
  if (hit) return hit;

  const hb = Handlebars.create();
  registerHelpers(hb);
  const sources: Record<string, string> = {};
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  for (const [name, file] of files) {
    sources[name] = file;
    if (!name.endsWith('.hbs')) continue;
    const text = readFileSync(file, 'utf8');
    try {
      const t = hb.compile(text, { strict: false, preventIndent: true });
      compiled.set(name.slice(0, -4), t);
      hb.registerPartial(name.slice(0, -4), t);
    } catch (e) {
      throw new UserError(`template ${file} does not compile: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  for (const need of ['report', 'dashboard']) {
    if (!compiled.has(need)) throw new UserError(`no ${need}.hbs in ${theirs ?? ours}`);
  }
  const cssFile = files.get('report.css');
  const set: TemplateSet = {
    report: compiled.get('report')!,
    dashboard: compiled.get('dashboard')!,
    css: cssFile ? readFileSync(cssFile, 'utf8') : '',
    hasPartial: (n) => compiled.has(n),
    sources,
  };
  cache.set(key, set);
  return set;
}

function registerHelpers(hb: typeof Handlebars): void {
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
  hb.registerHelper('gt', (a: number, b: number) => a > b);
  hb.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hb.registerHelper('not', (a: unknown) => !a);
  // Formatting helpers are named fmt-* so they never shadow a field of the view (a helper wins over a field in Handlebars).
  hb.registerHelper('fmt-num', (x: unknown, digits: unknown) => fmtNum(x, typeof digits === 'number' ? digits : 6));
  hb.registerHelper('fmt-points', (x: unknown) => fmtPoints(x));
  hb.registerHelper('fmt-percent', (x: number) => fmtPercent(x, 0));
  hb.registerHelper('plural', (n: number, one: string, many: unknown) => (n === 1 ? one : typeof many === 'string' ? many : `${one}s`));
  /** Artifacts of the given types, in the order given: {{#each (artifactsOf this "confusion" "perClass")}}. */
  hb.registerHelper('artifactsOf', (part: { artifacts?: { type: string }[] }, ...rest: unknown[]) => {
    const types = rest.slice(0, -1) as string[];
    return types.flatMap((t) => (part.artifacts ?? []).filter((a) => a.type === t));
  });
  /** Artifacts not of the given types (so a kind's layout never drops an unexpected artifact). */
  hb.registerHelper('artifactsExcept', (part: { artifacts?: { type: string }[] }, ...rest: unknown[]) => {
    const types = new Set(rest.slice(0, -1) as string[]);
    return (part.artifacts ?? []).filter((a) => !types.has(a.type));
  });
  hb.registerHelper('add', (a: number, b: number) => a + b);
  /** A message of several lines (a text table, a trace) reads best in a fixed-width font. */
  hb.registerHelper('multiline', (s: unknown) => typeof s === 'string' && s.includes('\n'));
}

export function clearTemplateCache(): void {
  cache.clear();
}
