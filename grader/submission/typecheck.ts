/**
 * Type-checking a submission against its assignment's interface.d.ts with the
 * TypeScript compiler API, in the trusted parent: a virtual root file imports
 * the student's entry and the interface and assigns each graded export to the
 * interface's type, so a wrong signature is reported by export name before
 * anything runs; type errors inside the student's own files come with their
 * file:line:column.
 *
 * The compiler reads files only through a host that confines them: the
 * student's files only when their real path is inside the submission folder and
 * they are regular source files (opened with O_NOFOLLOW|O_NONBLOCK and
 * size-capped by confine.ts); TypeScript's lib files and the .d.ts /
 * package.json files of the grader's node_modules (trusted: parsed once per
 * process and cached); the interface and the .d.ts files next to it. Anything
 * else (absolute imports, `/// <reference path>` out of the folder, symlinks
 * leading out, devices, fifos) does not exist as far as the compiler can tell.
 * No tsconfig.json is read. @tensorflow/* imports resolve to the grader's own
 * copies wherever the submission is.
 *
 * Options are lenient (not strict, no implicit-any errors) so only real type
 * errors become problems. A student's mistake (a syntax error, an unresolvable
 * import) is a problem, never a throw; an internal failure, or typescript not
 * being installed, is `skipped` with the reason.
 */
import type * as TS from 'typescript';
import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { moduleDirs, packageRoot } from '../util/paths.ts';
import { ConfinedReadError, isInside, readConfined, readWhole, realPathOf } from './confine.ts';
import { PROVIDED_PACKAGES, SOURCE_FILE_MAX_BYTES, SOURCES_MAX_BYTES } from './bundle.ts';

export interface TypeProblem {
  /** Relative to the submission folder, or 'interface' (the assignment's interface.d.ts). */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based (in UTF-16 code units, as TypeScript counts). */
  column: number;
  message: string;
  /** Set on the problems of the export check: the export whose type is not the interface's. */
  export?: string;
}

export interface TypecheckOptions {
  /** The submission folder. */
  submissionDir: string;
  /** The entry, relative to submissionDir (the spec's submission.entry). */
  entry: string;
  /** The assignment's interface.d.ts. */
  interfaceFile: string;
  /** The exports the graded parts call; a name the interface does not declare, or the entry does not export, is not checked. */
  exports: string[];
  /** At most this many problems (default 20). */
  maxProblems?: number;
}

export interface TypecheckResult {
  problems: TypeProblem[];
  /** Wall time of the call, in milliseconds. */
  ms: number;
  /** Set when nothing was checked, with the reason (typescript missing, an unreadable entry, an internal failure). */
  skipped?: string;
}

export const TYPECHECK_MAX_PROBLEMS = 20;
const MESSAGE_MAX_CHARS = 400;
const TYPE_MAX_CHARS = 120;
const REASON_MAX_CHARS = 200;
/** Student files the compiler may read per submission. */
const STUDENT_FILES_MAX = 500;
/** The virtual root file, placed (in name only) in the submission folder so the entry is imported relatively. */
const VIRTUAL_NAME = '__nngrade_typecheck__.ts';

/** Student files the compiler may read: esbuild's source loaders, their declaration files, package.json. */
const STUDENT_EXTENSIONS = /\.(ts|mts|cts|tsx|js|mjs|cjs|jsx|json)$/i;
/** What the compiler may read of the trusted folders (TypeScript's lib, the grader's node_modules, the interface's folder). */
const TRUSTED_EXTENSIONS = /(\.d\.(ts|mts|cts)|[\\/]package\.json)$/i;
const PACKAGE_JSON = /[\\/]package\.json$/i;

type TypeScript = typeof TS;

let tsPromise: Promise<TypeScript | undefined> | undefined;

function loadTypeScript(): Promise<TypeScript | undefined> {
  tsPromise ??= (async () => {
    try {
      const mod = (await import('typescript')) as unknown as TypeScript & { default?: TypeScript };
      return mod.default ?? mod;
    } catch {
      return undefined;
    }
  })();
  return tsPromise;
}

const POSIX = path.sep === '/';

/** An absolute, normalised path; the compiler's paths usually are already (path.resolve is costly at the rate it asks). */
function norm(p: string): string {
  return POSIX && p.startsWith('/') && !p.includes('/.') && !p.includes('//') && !(p.length > 1 && p.endsWith('/')) ? p : path.resolve(p);
}

/** `p` is `root` or below it (both normalised). */
function under(root: string, p: string): boolean {
  if (!POSIX) return isInside(root, p);
  return p === root || (p.startsWith(root) && (root.endsWith('/') || p[root.length] === '/'));
}

const isFileAt = (real: string): boolean => {
  try {
    return lstatSync(real).isFile();
  } catch {
    return false;
  }
};
/** A trusted file's text (a regular file, opened without following a symlink or blocking on a fifo). */
function readRegular(real: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return undefined;
    return readWhole(fd, st.size).toString('utf8');
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

const isDirAt = (real: string): boolean => {
  try {
    return lstatSync(real).isDirectory();
  } catch {
    return false;
  }
};

// ---------------------------------------------------------------------------
// What every call of a process shares: the compiler options, the trusted
// folders, the parsed lib and node_modules declaration files (keyed by path and
// parse options), the file-system answers about those folders (they do not
// change during a batch) and the module resolutions made from them.

interface Env {
  ts: TypeScript;
  options: TS.CompilerOptions;
  libDir: string;
  /** Real paths of the folders whose .d.ts and package.json files may be read. */
  roots: string[];
  /** A file in the grader's root, where @tensorflow/* imports are resolved from. */
  resolveFrom: string;
  /** A module-resolution host that sees only the trusted folders. */
  host: TS.ModuleResolutionHost;
  isTrusted(p: string): boolean;
  moduleCache: TS.ModuleResolutionCache;
  typeRefCache: TS.TypeReferenceDirectiveResolutionCache;
  sourceFiles: Map<string, TS.SourceFile>;
}

let env: Env | undefined;

function sharedEnv(ts: TypeScript): Env {
  if (env?.ts === ts) return env;
  const root = realPathOf(packageRoot()) ?? packageRoot();
  let libDir: string | undefined;
  try {
    // Not from the loaded module's own location: bundled into dist/, that is not the typescript package.
    libDir = path.join(path.dirname(createRequire(path.join(root, 'package.json')).resolve('typescript/package.json')), 'lib');
  } catch {
    libDir = undefined;
  }
  if (!libDir || !existsSync(path.join(libDir, 'lib.es2022.d.ts'))) libDir = path.dirname(ts.getDefaultLibFilePath({ target: ts.ScriptTarget.ES2022 }));
  libDir = realPathOf(libDir) ?? libDir;
  const rootSet = new Set<string>([libDir]);
  for (const d of moduleDirs()) rootSet.add(realPathOf(d) ?? d);
  const own = realPathOf(path.join(root, 'node_modules'));
  if (own) rootSet.add(own);
  const roots = [...rootSet];
  const typeRoots = roots.filter((r) => r !== libDir).map((r) => path.join(r, '@types')).filter((d) => existsSync(d));

  const options: TS.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts'],
    // The sandbox runs the code in Node: its globals (console, timers, process) and built-in modules.
    types: ['node'],
    typeRoots,
    strict: false,
    noImplicitAny: false,
    skipLibCheck: true,
    allowJs: true,
    checkJs: false,
    maxNodeModuleJsDepth: 0,
    noEmit: true,
    allowImportingTsExtensions: true,
    resolveJsonModule: true,
    esModuleInterop: true,
    allowSyntheticDefaultImports: true,
    experimentalDecorators: true,
    // Style never becomes a problem.
    noUnusedLocals: false,
    noUnusedParameters: false,
    noImplicitReturns: false,
    noFallthroughCasesInSwitch: false,
    allowUnreachableCode: true,
    allowUnusedLabels: true,
    // No @typescript/lib-* package (which a submission folder could hold) replaces TypeScript's lib files.
    ...({ libReplacement: false } as TS.CompilerOptions),
  };

  const isTrusted = (p: string) => roots.some((r) => under(r, p));
  const exists = new Map<string, boolean>();
  const dirs = new Map<string, boolean>();
  const reals = new Map<string, string | null>();
  const texts = new Map<string, string | undefined>();
  const realOf = (abs: string): string | undefined => {
    let real = reals.get(abs);
    if (real === undefined) {
      const r = realPathOf(abs);
      real = r && isTrusted(r) ? r : null;
      reals.set(abs, real);
    }
    return real ?? undefined;
  };
  /** Whether a trusted path's real target passes `test`, asked once per path. */
  const memo = (cache: Map<string, boolean>, abs: string, test: (real: string) => boolean): boolean => {
    let ok = cache.get(abs);
    if (ok === undefined) {
      const real = realOf(abs);
      ok = !!real && test(real);
      cache.set(abs, ok);
    }
    return ok;
  };
  const fileExists = (p: string): boolean => {
    const abs = norm(p);
    return isTrusted(abs) && TRUSTED_EXTENSIONS.test(abs) && memo(exists, abs, isFileAt);
  };
  const host: TS.ModuleResolutionHost = {
    fileExists,
    readFile: (p) => {
      const abs = norm(p);
      if (!fileExists(abs)) return undefined;
      const cacheable = PACKAGE_JSON.test(abs); // read again and again by module resolution; a .d.ts is held by its SourceFile
      if (cacheable && texts.has(abs)) return texts.get(abs);
      const text = readRegular(realOf(abs)!);
      if (cacheable) texts.set(abs, text);
      return text;
    },
    directoryExists: (p) => {
      const abs = norm(p);
      // The folders above a trusted root exist (resolution walks up through them); nothing else outside does.
      if (!isTrusted(abs)) return roots.some((r) => under(abs, r));
      return memo(dirs, abs, isDirAt);
    },
    realpath: (p) => realOf(norm(p)) ?? norm(p),
    getCurrentDirectory: () => root,
    getDirectories: () => [],
    useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
  };
  const canon = (f: string) => (ts.sys.useCaseSensitiveFileNames ? f : f.toLowerCase());
  const moduleCache = ts.createModuleResolutionCache(root, canon, options);
  const typeRefCache = ts.createTypeReferenceDirectiveResolutionCache(root, canon, options, moduleCache.getPackageJsonInfoCache());
  return (env = { ts, options, libDir, roots, resolveFrom: path.join(root, '__nngrade_resolve__.ts'), host, isTrusted, moduleCache, typeRefCache, sourceFiles: new Map() });
}

// ---------------------------------------------------------------------------

function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

function chainLines(ts: TypeScript, m: string | TS.DiagnosticMessageChain): string[] {
  return ts.flattenDiagnosticMessageText(m, '\n').split('\n').map((l) => l.trim()).filter(Boolean);
}

/** TypeScript's message: its first line, and its innermost reason when the chain has more. */
function explain(ts: TypeScript, m: string | TS.DiagnosticMessageChain): string {
  const lines = chainLines(ts, m);
  if (lines.length <= 1) return clip(lines[0] ?? '', MESSAGE_MAX_CHARS);
  return `${clip(lines[0], MESSAGE_MAX_CHARS - REASON_MAX_CHARS)} ${clip(lines[lines.length - 1], REASON_MAX_CHARS)}`;
}

const lowerFirst = (s: string) => (s ? s[0].toLowerCase() + s.slice(1) : s);

/**
 * Why an assignment failed, past its first line (which only repeats both types): where the types
 * part (a parameter, the return value, a property on the way down) and the innermost reason.
 * `functions`: both sides are functions, so a difference below the top that is not in a parameter
 * is in the return value.
 */
function reason(ts: TypeScript, m: string | TS.DiagnosticMessageChain, functions: boolean): string {
  const all = chainLines(ts, m);
  const lines = all.slice(1);
  if (!lines.length) return /^Type '.*' is not assignable to type '.*'\.$/.test(all[0] ?? '') ? '' : all[0] ?? '';
  let last = lines[lines.length - 1];
  let param: string | undefined;
  let ret = false;
  let other = false;
  let step = -1; // the last line that says where
  const props: string[] = [];
  lines.slice(0, -1).forEach((l, i) => {
    let g: RegExpMatchArray | null;
    if ((g = l.match(/^Types of parameters '([^']+)' and '([^']+)' are incompatible/))) param = g[1];
    else if (/^Call signature return types /.test(l)) ret = true;
    else if ((g = l.match(/^(?:The types|Types) of (?:property )?'([^']+)' are incompatible/))) props.push(g[1]);
    else if ((g = l.match(/^'(string|number)' index signatures are incompatible/))) props.push(g[1] === 'string' ? '[key]' : '[i]');
    else {
      if (!/^Type '/.test(l)) other = true;
      return;
    }
    step = i;
  });
  if (functions && !param && !other && !/^Target signature provides too few arguments/.test(last)) ret = true;
  // The types where they part (the lines below only go into their elements).
  if (step >= 0 && /^Type '/.test(lines[step + 1])) last = lines[step + 1];
  const at = props.join('.').replace(/\.\[/g, '[');
  const where = param ? `parameter ${param}${at ? `'s ${at}` : ''}` : ret ? `the return value${at ? `'s ${at}` : ''}` : at;
  return where ? `in ${where}, ${lowerFirst(last)}` : last;
}

/** The message of an export whose type is not the interface's: the reason is kept whole, the types are shortened to fit. */
function exportMessage(name: string, theirs: string, ours: string, why: string): string {
  if (why === `Type '${theirs}' is not assignable to type '${ours}'.`) why = '';
  const room = Math.max(60, Math.floor((MESSAGE_MAX_CHARS - name.length - why.length - 40) / 2));
  return clip(`${name}: its type ${clip(theirs, Math.min(room, TYPE_MAX_CHARS))} is not the interface's ${clip(ours, Math.min(room, TYPE_MAX_CHARS))}${why ? `: ${why}` : ''}`, MESSAGE_MAX_CHARS);
}

export async function typecheckSubmission(opts: TypecheckOptions): Promise<TypecheckResult> {
  const t0 = performance.now();
  const done = (r: Omit<TypecheckResult, 'ms'>): TypecheckResult => ({ ...r, ms: Math.round((performance.now() - t0) * 10) / 10 });
  const ts = await loadTypeScript();
  if (!ts) return done({ problems: [], skipped: 'typescript is not installed' });
  try {
    return done(check(ts, opts));
  } catch (e) {
    return done({ problems: [], skipped: `internal error: ${clip(e instanceof Error ? e.message : String(e), MESSAGE_MAX_CHARS)}` });
  }
}

function check(ts: TypeScript, opts: TypecheckOptions): Omit<TypecheckResult, 'ms'> {
  const major = Number(ts.versionMajorMinor.split('.')[0]);
  if (!(major >= 5)) return { problems: [], skipped: `typescript ${ts.version} is too old (5 or later is needed)` };
  const maxProblems = opts.maxProblems ?? TYPECHECK_MAX_PROBLEMS;

  const subDir = realPathOf(path.resolve(opts.submissionDir));
  if (!subDir || !isDirAt(subDir)) return { problems: [], skipped: 'the submission folder does not exist' };
  const entryReal = realPathOf(path.resolve(subDir, opts.entry));
  if (!entryReal || !isInside(subDir, entryReal) || !isFileAt(entryReal)) return { problems: [], skipped: `the entry ${opts.entry} is not a readable file inside the submission folder` };
  const ifaceReal = realPathOf(path.resolve(opts.interfaceFile));
  if (!ifaceReal || !isFileAt(ifaceReal)) return { problems: [], skipped: `the interface ${opts.interfaceFile} does not exist` };
  const ifaceDir = path.dirname(ifaceReal);
  const ifaceText = readRegular(ifaceReal);
  if (ifaceText === undefined) return { problems: [], skipped: `the interface ${opts.interfaceFile} cannot be read` };

  const E = sharedEnv(ts);
  const { options } = E;
  const virtualPath = path.join(subDir, VIRTUAL_NAME);

  // Which zone a path the compiler asks about lies in, by its name (real paths are checked on access).
  type Zone = 'virtual' | 'student' | 'interface' | 'trusted' | undefined;
  const zoneOf = (abs: string): Zone => {
    if (abs === virtualPath) return 'virtual';
    if (under(subDir, abs)) return 'student';
    if (abs === ifaceReal || (under(ifaceDir, abs) && TRUSTED_EXTENSIONS.test(abs))) return 'interface';
    if (E.isTrusted(abs)) return 'trusted';
    return undefined;
  };

  // Student files: real path inside the folder, a regular file, a source extension, within the caps.
  const studentReals = new Map<string, string | null>();
  const studentReal = (abs: string): string | undefined => {
    let real = studentReals.get(abs);
    if (real === undefined) {
      const r = realPathOf(abs);
      real = r && under(subDir, r) ? r : null;
      studentReals.set(abs, real);
    }
    return real ?? undefined;
  };
  let studentBytes = 0;
  let studentFiles = 0;
  const studentTexts = new Map<string, string | undefined>();
  const readStudent = (abs: string): string | undefined => {
    if (studentTexts.has(abs)) return studentTexts.get(abs);
    let text: string | undefined;
    if (STUDENT_EXTENSIONS.test(abs) && studentFiles < STUDENT_FILES_MAX && studentBytes <= SOURCES_MAX_BYTES) {
      try {
        text = readConfined(subDir, abs, SOURCE_FILE_MAX_BYTES, 'source file').toString('utf8');
        studentFiles++;
        studentBytes += text.length;
        if (studentBytes > SOURCES_MAX_BYTES) text = undefined;
      } catch (e) {
        if (!(e instanceof ConfinedReadError)) throw e;
      }
    }
    studentTexts.set(abs, text);
    return text;
  };
  // The interface's folder: its .d.ts files (the instructor's).
  const ifaceRealOf = (abs: string): string | undefined => {
    const real = realPathOf(abs);
    return real && (real === ifaceReal || (under(ifaceDir, real) && TRUSTED_EXTENSIONS.test(real))) ? real : undefined;
  };

  // The virtual root: the interface, the entry, and one assignment per graded export.
  const names = [...new Set(opts.exports)].filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
  const entrySpec = `./${path.relative(subDir, entryReal).split(path.sep).join('/')}`;
  const lines = [
    `import type * as Interface from ${JSON.stringify(ifaceReal)};`,
    `import * as Submission from ${JSON.stringify(entrySpec)};`,
  ];
  const checkLine = new Map<number, string>();
  for (const n of names) {
    checkLine.set(lines.length, n);
    lines.push(`const __nngrade_check_${n}: typeof Interface.${n} = Submission.${n};`);
  }
  const virtualText = `${lines.join('\n')}\n`;

  const fileExists = (p: string): boolean => {
    const abs = norm(p);
    switch (zoneOf(abs)) {
      case 'virtual': return true;
      case 'student': {
        const real = STUDENT_EXTENSIONS.test(abs) ? studentReal(abs) : undefined;
        return !!real && isFileAt(real);
      }
      case 'interface': {
        const real = ifaceRealOf(abs);
        return !!real && isFileAt(real);
      }
      case 'trusted': return E.host.fileExists(abs);
      default: return false;
    }
  };
  const readFile = (p: string): string | undefined => {
    const abs = norm(p);
    switch (zoneOf(abs)) {
      case 'virtual': return virtualText;
      case 'student': return readStudent(abs);
      case 'interface': {
        if (abs === ifaceReal) return ifaceText;
        const real = ifaceRealOf(abs);
        return real ? readRegular(real) : undefined;
      }
      case 'trusted': return E.host.readFile(abs);
      default: return undefined;
    }
  };
  const directoryExists = (p: string): boolean => {
    const abs = norm(p);
    switch (zoneOf(abs)) {
      case 'student': {
        const real = studentReal(abs);
        return !!real && isDirAt(real);
      }
      case 'trusted': return E.host.directoryExists!(abs);
      default:
        // The folders above the submission, the interface or a trusted root exist (resolution walks up through them).
        return under(abs, subDir) || under(abs, ifaceDir) || E.roots.some((r) => under(abs, r));
    }
  };
  const realpath = (p: string): string => {
    const abs = norm(p);
    switch (zoneOf(abs)) {
      case 'student': return studentReal(abs) ?? abs;
      case 'interface': return ifaceRealOf(abs) ?? abs;
      case 'trusted': return E.host.realpath!(abs);
      default: return abs;
    }
  };

  const getSourceFile = (fileName: string, langOrOptions: TS.ScriptTarget | TS.CreateSourceFileOptions): TS.SourceFile | undefined => {
    const abs = norm(fileName);
    if (zoneOf(abs) === 'trusted') {
      const o = typeof langOrOptions === 'object' ? langOrOptions : { languageVersion: langOrOptions };
      const key = `${abs}\0${o.languageVersion}\0${o.impliedNodeFormat ?? ''}\0${o.jsDocParsingMode ?? ''}`;
      const hit = E.sourceFiles.get(key);
      if (hit) return hit;
      const text = E.host.readFile(abs);
      if (text === undefined) return undefined;
      const sf = ts.createSourceFile(fileName, text, langOrOptions, false);
      E.sourceFiles.set(key, sf);
      return sf;
    }
    const text = readFile(abs);
    return text === undefined ? undefined : ts.createSourceFile(fileName, text, langOrOptions, false);
  };

  const moduleHost = {
    fileExists, readFile, directoryExists, realpath,
    getCurrentDirectory: () => subDir,
    getDirectories: () => [],
    useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
  };
  const noModule: TS.ResolvedModuleWithFailedLookupLocations = { resolvedModule: undefined };
  const canon = (f: string) => (ts.sys.useCaseSensitiveFileNames ? f : f.toLowerCase());
  const host: TS.CompilerHost = {
    ...moduleHost,
    getSourceFile,
    getDefaultLibFileName: (o) => path.join(E.libDir, path.basename(ts.getDefaultLibFilePath(o))),
    getDefaultLibLocation: () => E.libDir,
    writeFile: () => undefined,
    getCanonicalFileName: canon,
    getNewLine: () => '\n',
    readDirectory: () => [],
    trace: () => undefined,
    getEnvironmentVariable: () => undefined,
    resolveModuleNameLiterals: (literals, containingFile, _redirect, o, containingSourceFile) => {
      const fromTrusted = zoneOf(norm(containingFile)) === 'trusted';
      return literals.map((lit) => {
        const spec = lit.text;
        const mode = ts.getModeForUsageLocation(containingSourceFile, lit, o);
        // Inside the grader's node_modules, and the packages it provides (its own copies, wherever the submission is):
        // resolved seeing only the trusted folders, and remembered.
        if (fromTrusted) return ts.resolveModuleName(spec, containingFile, o, E.host, E.moduleCache, undefined, mode);
        if (PROVIDED_PACKAGES.test(spec)) return ts.resolveModuleName(spec, E.resolveFrom, o, E.host, E.moduleCache, undefined, mode);
        // Absolute paths and URLs name nothing the compiler may read: not even looked up (but the root's import of the interface).
        if (path.isAbsolute(spec)) return containingFile === virtualPath && spec === ifaceReal ? ts.resolveModuleName(spec, containingFile, o, moduleHost, undefined, undefined, mode) : noModule;
        if (/^[a-z][a-z\d+.-]*:/i.test(spec) && !spec.startsWith('node:')) return noModule;
        const r = ts.resolveModuleName(spec, containingFile, o, moduleHost, undefined, undefined, mode);
        // As when bundling: a student's file imports only files of the folder (and the provided packages, and Node's
        // built-in modules, which @types/node declares); not the grader's packages, were the folder inside its tree.
        const to = r.resolvedModule && norm(r.resolvedModule.resolvedFileName);
        if (to && zoneOf(norm(containingFile)) === 'student' && zoneOf(to) !== 'student') return noModule;
        return r;
      });
    },
    resolveTypeReferenceDirectiveReferences: (refs, containingFile, _redirect, o, containingSourceFile) => {
      const fromTrusted = zoneOf(norm(containingFile)) === 'trusted';
      return refs.map((ref) => {
        const name = typeof ref === 'string' ? ref : ref.fileName.toLowerCase();
        const mode = typeof ref === 'string' ? undefined : (ref.resolutionMode ?? containingSourceFile?.impliedNodeFormat);
        // `types` (containingFile is then the folder's inferred-types file) and trusted files: found in the trusted type roots.
        if (fromTrusted || !containingSourceFile) return ts.resolveTypeReferenceDirective(name, fromTrusted ? containingFile : E.resolveFrom, o, E.host, undefined, E.typeRefCache, mode);
        return ts.resolveTypeReferenceDirective(name, containingFile, o, moduleHost, undefined, undefined, mode);
      });
    },
  };

  const program = ts.createProgram({ rootNames: [virtualPath], options, host });
  const checker = program.getTypeChecker();
  const virtual = program.getSourceFile(virtualPath);
  if (!virtual) return { problems: [], skipped: 'internal error: the check file was not loaded' };

  // Exports on both sides (through `export *` too): a name missing from either is not checked here.
  const moduleExports = (file: string): TS.Symbol[] | undefined => {
    const sf = program.getSourceFile(file);
    const sym = sf && checker.getSymbolAtLocation(sf);
    return sym ? checker.getExportsOfModule(sym) : undefined;
  };
  const resolved = (s: TS.Symbol) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  // Values only: an interface or type of the same name is not what a part calls.
  const isValue = (s: TS.Symbol) => !!(resolved(s).flags & ts.SymbolFlags.Value);
  const declared = new Set((moduleExports(ifaceReal) ?? []).filter(isValue).map((s) => s.name));
  const provided = (moduleExports(entryReal) ?? []).filter(isValue);
  if (!program.getSourceFile(ifaceReal)) return { problems: [], skipped: 'the interface could not be loaded' };

  const diags = ts.getPreEmitDiagnostics(program);
  const noLib = diags.find((d) => d.code === 2318); // Cannot find global type
  if (noLib) return { problems: [], skipped: `the TypeScript lib files could not be loaded (${clip(chainLines(ts, noLib.messageText)[0] ?? '', 200)})` };

  const typeText = (type: TS.Type) =>
    checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope)
      .replace(/typeof import\("[^"]*"\)/g, 'module')
      .replace(/import\("[^"]*"\)\./g, '');
  // Paths as the student knows them: relative to their folder; the interface by its name.
  const tidy = (m: string) => m.split(`${subDir}${path.sep}`).join('').split(ifaceReal).join(path.basename(ifaceReal));

  const isFn = (t: TS.Type) => t.getCallSignatures().length > 0;

  /** Where an export of the entry is defined, when that is in the student's files. */
  const definedAt = (name: string): Pick<TypeProblem, 'file' | 'line' | 'column'> => {
    const exp = provided.find((s) => s.name === name);
    const target = exp && resolved(exp);
    const decl = target?.valueDeclaration ?? target?.declarations?.[0];
    const sf = decl?.getSourceFile();
    const file = sf && norm(sf.fileName);
    if (decl && sf && file && zoneOf(file) === 'student') {
      const lc = sf.getLineAndCharacterOfPosition(decl.getStart(sf));
      return { file: path.relative(subDir, file), line: lc.line + 1, column: lc.character + 1 };
    }
    return { file: opts.entry, line: 1, column: 1 };
  };

  const problems: TypeProblem[] = [];
  const seen = new Set<string>();
  const add = (p: TypeProblem) => {
    const key = `${p.file}:${p.line}:${p.column}:${p.message}`;
    if (problems.length < maxProblems && !seen.has(key)) problems.push(p);
    seen.add(key);
  };
  // The exports first (what the graded parts call), then the rest in the compiler's order (by file, then position).
  const providedNames = new Set(provided.map((s) => s.name));
  const reported = new Set<string>();
  for (const d of diags) {
    if (d.category !== ts.DiagnosticCategory.Error || !d.file || d.start === undefined || norm(d.file.fileName) !== virtualPath) continue;
    const line = d.file.getLineAndCharacterOfPosition(d.start).line;
    const name = checkLine.get(line);
    // Not the export check (the root's imports), an export already reported, or one missing from either side.
    if (!name || reported.has(name) || !declared.has(name) || !providedNames.has(name)) continue;
    reported.add(name);
    let message = `${name}: its type is not the interface's: ${explain(ts, d.messageText)}`;
    const stmt = virtual.statements.find((s) => virtual.getLineAndCharacterOfPosition(s.getStart(virtual)).line === line);
    const v = stmt && ts.isVariableStatement(stmt) ? stmt.declarationList.declarations[0] : undefined;
    if (v?.initializer && v.type) {
      const theirs = checker.getBaseTypeOfLiteralType(checker.getTypeAtLocation(v.initializer)); // 3 is shown as number
      const ours = checker.getTypeFromTypeNode(v.type);
      message = exportMessage(name, typeText(theirs), typeText(ours), clip(reason(ts, d.messageText, isFn(theirs) && isFn(ours)), REASON_MAX_CHARS));
    }
    add({ ...definedAt(name), message: clip(tidy(message), MESSAGE_MAX_CHARS), export: name });
  }
  for (const d of diags) {
    if (d.category !== ts.DiagnosticCategory.Error || !d.file || d.start === undefined) continue;
    const fileName = norm(d.file.fileName);
    const zone = zoneOf(fileName);
    if (zone !== 'student' && zone !== 'interface') continue;
    const pos = d.file.getLineAndCharacterOfPosition(d.start);
    add({ file: zone === 'student' ? path.relative(subDir, fileName) : 'interface', line: pos.line + 1, column: pos.character + 1, message: tidy(explain(ts, d.messageText)) });
  }
  return { problems };
}
