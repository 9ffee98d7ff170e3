/**
 * Bundling a submission with esbuild into one ES module for the sandbox, and
 * reading its import graph for the static checks. A syntax error or an
 * unresolvable import is a compile error with the student's file:line, which
 * becomes every part's verdict rather than a grader crash.
 */
import { build, type BuildOptions, type Message, type Metafile, type Plugin } from 'esbuild';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { UserError } from '../util/errors.ts';
import { packageRoot, displayPath } from '../util/paths.ts';
import type { SourceLocation } from '../judge/result.ts';
import { ConfinedReadError, confinedPath, readConfined, realPathOf, shown } from './confine.ts';

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

/** The loader of each source file type a submission may hold; anything else is refused. */
const SOURCE_LOADERS: Record<string, 'ts' | 'tsx' | 'js' | 'jsx' | 'json'> = {
  '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx', '.json': 'json',
};
/** Per source file, and for the whole bundle. */
export const SOURCE_FILE_MAX_BYTES = 2 * 1024 * 1024;
export const SOURCES_MAX_BYTES = 16 * 1024 * 1024;
const BUILTINS = new Set(builtinModules);
const isBuiltin = (s: string) => s.startsWith('node:') || BUILTINS.has(s) || BUILTINS.has(s.split('/')[0]);

/**
 * Bundle-time confinement: esbuild runs in the trusted parent, so whatever it reads ends up in the
 * bundle the sandbox runs. Every import must be a source file whose real path is inside the
 * submission folder, a package the grader provides, or a Node built-in (confined at run time);
 * absolute paths, import attributes and non-source loaders (text, binary, file, dataurl) are refused,
 * and files are read by this plugin (regular files only, size-capped), never by esbuild itself.
 */
export function confinementPlugin(root: string, sources: Map<string, string>, overrides?: Map<string, string>): Plugin {
  const realRoot = realPathOf(root) ?? root;
  let total = 0;
  return {
    name: 'nngrade-confine',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'nngrade-inner') return undefined;
        const spec = args.path;
        if (args.kind === 'entry-point') return undefined;
        const attrs = Object.entries(args.with ?? {});
        if (attrs.length && !(attrs.length === 1 && attrs[0][0] === 'type' && attrs[0][1] === 'json' && spec.endsWith('.json'))) {
          return { errors: [{ text: `import attributes are not allowed here (with { ${attrs.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')} } on "${spec}"): import only your own source files` }] };
        }
        if (PROVIDED_PACKAGES.test(spec)) return undefined;
        if (isBuiltin(spec)) return { path: spec, external: true };
        if (path.isAbsolute(spec) || /^file:/i.test(spec)) {
          return { errors: [{ text: `absolute import "${spec}" refused: import files of your submission by relative paths ("./file.ts")` }] };
        }
        const r = await b.resolve(spec, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'nngrade-inner', with: args.with });
        const bare = !spec.startsWith('.');
        if (r.errors.length) return { errors: bare ? [{ text: `package "${spec}" is not part of your submission: the grader provides only @tensorflow/* packages and Node's built-in modules` }] : r.errors };
        if (r.external) return r;
        try {
          const real = confinedPath(realRoot, r.path, bare ? `package "${spec}"` : 'import');
          const ext = path.extname(real).toLowerCase();
          if (!SOURCE_LOADERS[ext]) {
            return { errors: [{ text: `"${spec}" is not a source file (${ext || 'no extension'}): only .ts, .tsx, .js, .mjs, .cjs, .jsx and .json files can be imported` }] };
          }
          return { path: real, sideEffects: r.sideEffects };
        } catch (e) {
          if (!(e instanceof ConfinedReadError)) throw e;
          const text = bare && !PROVIDED_PACKAGES.test(spec)
            ? `package "${spec}" is not part of your submission: the grader provides only @tensorflow/* packages and Node's built-in modules`
            : `"${spec}" refused: ${e.message}`;
          return { errors: [{ text }] };
        }
      });
      b.onLoad({ filter: /.*/, namespace: 'file' }, (args) => {
        const ext = path.extname(args.path).toLowerCase();
        const loader = SOURCE_LOADERS[ext];
        if (!loader) return { errors: [{ text: `${shown(realRoot, args.path)} is not a source file` }] };
        let text: string;
        try {
          // A provided read-only file the student changed is bundled as the instructor wrote it.
          text = overrides?.get(args.path) ?? readConfined(realRoot, args.path, SOURCE_FILE_MAX_BYTES, 'source file').toString('utf8');
        } catch (e) {
          if (e instanceof ConfinedReadError) return { errors: [{ text: e.message }] };
          throw e;
        }
        total += text.length;
        if (total > SOURCES_MAX_BYTES) return { errors: [{ text: `the submission's sources add up to more than ${SOURCES_MAX_BYTES / 1024 / 1024} MB` }] };
        sources.set(args.path, text);
        return { contents: text, loader, resolveDir: path.dirname(args.path) };
      });
    },
  };
}

function toCompileError(m: Message): CompileError {
  const loc = m.location;
  return {
    message: m.text,
    location: loc ? { file: loc.file, line: loc.line, column: loc.column + 1 } : undefined,
    lineText: loc?.lineText,
  };
}

/** One ES module for Node, source-mapped to the student's files, packages the grader provides left external. */
function buildOptions(dir: string, outfile: string, specifiers: Map<string, string>, sources: Map<string, string>, overrides?: Map<string, string>): BuildOptions & { metafile: true } {
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
    // No tsconfig.json is looked for: one above the submission folder could point anywhere (`extends`, `paths`).
    tsconfigRaw: '{}',
    // Symlinks are resolved by the confinement plugin, which then says where they lead.
    preserveSymlinks: true,
    plugins: [providedPackagesPlugin(specifiers), confinementPlugin(dir, sources, overrides)],
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
      ...buildOptions(sub.dir, outfile, specifiers, new Map()),
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

/** `overrides`: contents to use instead of files' own (by path relative to the submission folder). */
export async function bundleSubmission(dir: string, entry: string, outDir: string, overrides?: Map<string, string>): Promise<BundledSubmission> {
  const abs = realPathOf(checkSubmissionDir(dir, entry)) ?? path.resolve(dir);
  const entryPath = path.join(abs, entry);
  const outfile = path.join(outDir, 'submission.mjs');
  const result: BundledSubmission = { dir: abs, entry, usesTf: false, exports: [], compileErrors: [], sources: new Map(), imports: new Map() };
  let metafile: Metafile | undefined;
  const specifiers = new Map<string, string>();
  try {
    const byPath = overrides && new Map([...overrides].map(([rel, text]) => [path.join(abs, rel), text]));
    const r = await build({ ...buildOptions(abs, outfile, specifiers, result.sources, byPath), entryPoints: [entryPath] });
    metafile = r.metafile;
    result.bundlePath = outfile;
    const out = Object.values(metafile.outputs)[0];
    result.exports = out?.exports ?? [];
    result.usesTf = importsProvided(out?.imports ?? [], specifiers);
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    if (!errors) throw e;
    result.compileErrors = errors.map(toCompileError);
    return result;
  }
  for (const [rel, input] of Object.entries(metafile!.inputs)) {
    const file = path.resolve(abs, rel);
    if (file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    result.imports.set(
      file,
      input.imports.map((i) => (i.external ? { specifier: specifiers.get(i.path) ?? i.original ?? i.path, local: false } : { specifier: path.resolve(abs, i.path), local: true })),
    );
  }
  return result;
}
