/**
 * Bundling a submission with esbuild into one ES module for the sandbox, and
 * reading its import graph for the static checks. A syntax error or an
 * unresolvable import is a compile error with the student's file:line, which
 * becomes every part's verdict rather than a grader crash.
 */
import { build, type BuildOptions, type Message, type Metafile, type Plugin } from 'esbuild';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { UserError } from '../util/errors.ts';
import { packageRoot, displayPath } from '../util/paths.ts';
import type { SourceLocation } from '../judge/result.ts';

export interface CompileError {
  message: string;
  location?: SourceLocation;
  lineText?: string;
}

export interface BundledSubmission {
  dir: string;
  entry: string;
  bundlePath?: string;
  /** The bundle imports a provided package (@tensorflow/*), so its sandbox must set tf up. */
  usesTf: boolean;
  /** The entry's exports. */
  exports: string[];
  compileErrors: CompileError[];
  /** Absolute path → source text of every local file in the bundle. */
  sources: Map<string, string>;
  /** Absolute path → imports (absolute for local files, specifier for packages). */
  imports: Map<string, { specifier: string; local: boolean }[]>;
}

/** Packages a submission may import that the grader provides (resolved from its own node_modules). */
export const PROVIDED_PACKAGES = /^@tensorflow\//;

export function providedPackagesPlugin(specifiers: Map<string, string> = new Map()): Plugin {
  const req = createRequire(path.join(packageRoot(), 'package.json'));
  return {
    name: 'nngrade-provided',
    setup(b) {
      b.onResolve({ filter: PROVIDED_PACKAGES }, (args) => {
        try {
          const resolved = req.resolve(args.path);
          specifiers.set(resolved, args.path);
          // Side-effect free: an import nothing uses (a from-scratch function's file never touches tf) is dropped.
          return { path: resolved, external: true, sideEffects: false };
        } catch {
          return { errors: [{ text: `"${args.path}" is not installed with the grader (install it with npm next to nngrade, or remove the import)` }] };
        }
      });
    },
  };
}

function toCompileError(m: Message, dir: string): CompileError {
  const loc = m.location;
  return {
    message: m.text,
    location: loc ? { file: loc.file, line: loc.line, column: loc.column + 1 } : undefined,
    lineText: loc?.lineText,
  };
}

/** One ES module for Node, source-mapped to the student's files, packages the grader provides left external. */
function buildOptions(dir: string, outfile: string, specifiers: Map<string, string>): BuildOptions & { metafile: true } {
  return {
    absWorkingDir: dir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    sourcemap: 'inline',
    sourcesContent: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [providedPackagesPlugin(specifiers)],
    banner: { js: "import { createRequire as __nngradeCR } from 'node:module'; const require = __nngradeCR(import.meta.url);" },
  };
}

function importsProvided(imports: { path: string; external?: boolean }[], specifiers: Map<string, string>): boolean {
  return imports.some((i) => i.external && PROVIDED_PACKAGES.test(specifiers.get(i.path) ?? i.path));
}

/**
 * A second, tree-shaken bundle of only `exports` (e.g. the from-scratch functions), so parts that
 * need no tf run without loading it even when other files of the submission import it.
 * Returns undefined when that bundle would load tf anyway (or does not build).
 */
export async function bundleExports(sub: BundledSubmission, exports: string[], outfile: string): Promise<string | undefined> {
  const names = [...new Set(exports)].filter((e) => sub.exports.includes(e));
  if (!names.length) return undefined;
  const specifiers = new Map<string, string>();
  try {
    const r = await build({
      ...buildOptions(sub.dir, outfile, specifiers),
      stdin: { contents: `export { ${names.join(', ')} } from ${JSON.stringify(`./${sub.entry}`)};`, resolveDir: sub.dir, sourcefile: 'nngrade-entry.ts', loader: 'ts' },
    });
    const out = Object.values(r.metafile.outputs)[0];
    return importsProvided(out?.imports ?? [], specifiers) ? undefined : outfile;
  } catch {
    return undefined;
  }
}

export function checkSubmissionDir(dir: string, entry: string): string {
  const abs = path.resolve(dir);
  if (!existsSync(abs)) throw new UserError(`submission folder not found: ${displayPath(abs)}`, { hint: 'pass the folder that holds your submission files, e.g. `nngrade check assignments/fashion-mnist-hw4 my-work/`' });
  if (!statSync(abs).isDirectory()) throw new UserError(`expected a submission folder, got a file: ${displayPath(abs)}`, { hint: `pass the folder that holds ${entry}` });
  const entryPath = path.join(abs, entry);
  if (!existsSync(entryPath)) {
    const have = readdirSync(abs).filter((f) => !f.startsWith('.')).slice(0, 12);
    throw new UserError(`the submission has no ${entry}: expected ${displayPath(entryPath)}`, {
      hint: `the assignment's entry file is ${entry}; the folder holds: ${have.length ? have.join(', ') : '(nothing)'}`,
    });
  }
  return abs;
}

export async function bundleSubmission(dir: string, entry: string, outDir: string): Promise<BundledSubmission> {
  const abs = checkSubmissionDir(dir, entry);
  const entryPath = path.join(abs, entry);
  const outfile = path.join(outDir, 'submission.mjs');
  const result: BundledSubmission = { dir: abs, entry, usesTf: false, exports: [], compileErrors: [], sources: new Map(), imports: new Map() };
  let metafile: Metafile | undefined;
  const specifiers = new Map<string, string>();
  try {
    const r = await build({ ...buildOptions(abs, outfile, specifiers), entryPoints: [entryPath] });
    metafile = r.metafile;
    result.bundlePath = outfile;
    const out = Object.values(metafile.outputs)[0];
    result.exports = out?.exports ?? [];
    result.usesTf = importsProvided(out?.imports ?? [], specifiers);
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    if (!errors) throw e;
    result.compileErrors = errors.map((m) => toCompileError(m, abs));
    return result;
  }
  for (const [rel, input] of Object.entries(metafile!.inputs)) {
    const file = path.resolve(abs, rel);
    if (file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    try { result.sources.set(file, readFileSync(file, 'utf8')); } catch { /* virtual */ }
    result.imports.set(
      file,
      input.imports.map((i) => (i.external ? { specifier: specifiers.get(i.path) ?? i.original ?? i.path, local: false } : { specifier: path.resolve(abs, i.path), local: true })),
    );
  }
  return result;
}
