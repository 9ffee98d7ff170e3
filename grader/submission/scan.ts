/**
 * Static checks of what a graded export really runs: the export alone is bundled (tree-shaken, as
 * esbuild drops what it never reaches; the grader's tf packages are side-effect free), and that bundle
 * is read with a parser. A forbidden import counts only if the export's code still imports it; a
 * forbidden call (e.g. tf.grad) is any use of that member of a tf namespace, however it is reached:
 * `tf.grad(…)`, `tf['grad']`, `const { grad: g } = tf`, `const t = tf; t.grad`, `import { grad }`.
 * Each finding names the student's file and line (through the bundle's source map).
 */
import path from 'node:path';
import { SourceMap } from 'node:module';
import { build, type Plugin } from 'esbuild';
import { parse, type Node } from 'acorn';
import { ancestor } from 'acorn-walk';
import type { ForbidRule } from '../spec/types.ts';
import { confinementPlugin, providedPackagesPlugin, type BundledSubmission } from './bundle.ts';
import type { SourceLocation } from '../judge/result.ts';

export interface Violation {
  message: string;
  location: SourceLocation;
}

export function globToRegExp(glob: string): RegExp {
  const esc = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${esc}$`);
}

function lineOf(src: string, index: number): { line: number; column: number } {
  let line = 1, last = -1;
  for (let i = 0; i < index; i++) if (src.charCodeAt(i) === 10) { line++; last = i; }
  return { line, column: index - last };
}

interface ExportBundle {
  code: string;
  map: SourceMap;
  /** External imports the tree-shaken code keeps (package specifiers as written). */
  imports: string[];
  /** Local files that contributed code, with their sources. */
  sources: Map<string, string>;
}

/** The tree-shaken bundle of one export of the submission (undefined when it does not bundle). */
/** Each export's bundle once per submission: several parts that forbid things in one export share it. */
const bundles = new WeakMap<BundledSubmission, Map<string, Promise<ExportBundle | undefined>>>();

function bundleExport(sub: BundledSubmission, name: string): Promise<ExportBundle | undefined> {
  let m = bundles.get(sub);
  if (!m) bundles.set(sub, (m = new Map()));
  let b = m.get(name);
  if (!b) m.set(name, (b = makeExportBundle(sub, name)));
  return b;
}

async function makeExportBundle(sub: BundledSubmission, name: string): Promise<ExportBundle | undefined> {
  const specifiers = new Map<string, string>();
  const sources = new Map<string, string>();
  const plugins: Plugin[] = [providedPackagesPlugin(specifiers), confinementPlugin(sub.dir, sources)];
  try {
    const r = await build({
      stdin: { contents: `export { ${name} } from ${JSON.stringify(`./${sub.entry}`)};`, resolveDir: sub.dir, sourcefile: 'nngrade-entry.ts', loader: 'ts' },
      absWorkingDir: sub.dir, bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false, outfile: path.join(sub.dir, 'nngrade-scan.mjs'),
      sourcemap: 'external', sourcesContent: false, metafile: true, logLevel: 'silent', treeShaking: true, tsconfigRaw: '{}', plugins,
    });
    const js = r.outputFiles.find((f) => f.path.endsWith('.mjs'))!;
    const mapFile = r.outputFiles.find((f) => f.path.endsWith('.map'))!;
    const out = Object.values(r.metafile.outputs).find((o) => o.entryPoint !== undefined || o.exports.length) ?? Object.values(r.metafile.outputs)[0];
    const imports = (out?.imports ?? []).filter((i) => i.external).map((i) => specifiers.get(i.path) ?? i.path);
    const reached = new Set(Object.entries(out?.inputs ?? {}).filter(([, v]) => v.bytesInOutput > 0).map(([f]) => path.resolve(sub.dir, f)));
    for (const f of [...sources.keys()]) if (!reached.has(f)) sources.delete(f);
    return { code: js.text, map: new SourceMap(JSON.parse(mapFile.text)), imports, sources };
  } catch {
    return undefined; // it does not compile: that is reported as the compile error
  }
}

/** The student's file:line for a position in the bundle, or undefined when the bundle made it up. */
function original(b: ExportBundle, sub: BundledSubmission, line: number, column: number): SourceLocation | undefined {
  const e = b.map.findEntry(line - 1, column) as { generatedLine?: number; generatedColumn?: number; originalSource?: string; originalLine?: number; originalColumn?: number };
  if (!e || !e.originalSource) return undefined;
  const file = path.resolve(sub.dir, e.originalSource.replace(/^file:\/\//, ''));
  if (!b.sources.has(file)) return undefined;
  // The nearest mapping at or before the position, moved by the distance to it on the same line.
  const shift = e.generatedLine === line - 1 ? column - (e.generatedColumn ?? column) : 0;
  return { file: path.relative(sub.dir, file), line: (e.originalLine ?? 0) + 1, column: Math.max(1, (e.originalColumn ?? 0) + 1 + shift) };
}

/** An import of a package the grader provides: as written, or as the bundle resolved it. */
const PROVIDED = /^@tensorflow\/|[\\/]node_modules[\\/]@tensorflow[\\/]/;

/** Violations of `rule` in the code `exportName` runs. */
export async function findViolations(sub: BundledSubmission, exportName: string, rule: ForbidRule): Promise<Violation[]> {
  const b = await bundleExport(sub, exportName);
  if (!b) return [];
  const out: Violation[] = [];
  const seen = new Set<string>();
  const add = (message: string, location: SourceLocation) => {
    const key = `${location.file}:${location.line}:${message}`;
    if (!seen.has(key)) out.push({ message, location }), seen.add(key);
  };
  const rel = (f: string) => path.relative(sub.dir, f) || f;

  // Imports the export's code still has after tree-shaking, located at the import in the file that has it.
  for (const glob of rule.imports ?? []) {
    const re = globToRegExp(glob);
    for (const spec of b.imports.filter((s) => re.test(s))) {
      const quoted = new RegExp(`(?:from|import|require\\s*\\()\\s*['"]${spec.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`);
      // At the specifier's quote, as a reader looks for it.
      const hits = [...b.sources].map(([file, src]) => {
        const at = src.search(quoted);
        return { file, at: at < 0 ? -1 : at + src.slice(at).search(/['"]/), src };
      }).filter((h) => h.at >= 0);
      for (const h of hits.length ? hits : [{ file: path.join(sub.dir, sub.entry), at: 0, src: '' }]) {
        add(`imports "${spec}", which this part forbids (${glob}): write it from scratch`, { file: rel(h.file), ...lineOf(h.src, h.at) });
      }
    }
  }

  const calls = rule.calls ?? [];
  if (!calls.length) return out;
  let ast: Node;
  try {
    ast = parse(b.code, { ecmaVersion: 'latest', sourceType: 'module', locations: true });
  } catch {
    return out;
  }
  // Bindings to a tf namespace (import * as tf, a default import, an alias `const t = tf`) and named imports (import { grad as g }).
  const namespaces = new Set<string>();
  const named = new Map<string, string>();
  for (const s of (ast as unknown as { body: { type: string; source?: { value: string }; specifiers?: { type: string; local: { name: string }; imported?: { name?: string; value?: string } }[] }[] }).body) {
    if (s.type !== 'ImportDeclaration' || !PROVIDED.test(s.source!.value)) continue;
    for (const sp of s.specifiers ?? []) {
      if (sp.type === 'ImportSpecifier') named.set(sp.local.name, sp.imported?.name ?? sp.imported?.value ?? sp.local.name);
      else namespaces.add(sp.local.name);
    }
  }
  type N = Node & Record<string, any>;
  // Aliases of a namespace, to a fixed point (a chain `const a = tf; const b = a`).
  for (let grew = true; grew;) {
    grew = false;
    ancestor(ast, {
      VariableDeclarator(n: N) {
        if (n.id.type === 'Identifier' && n.init?.type === 'Identifier' && namespaces.has(n.init.name) && !namespaces.has(n.id.name)) namespaces.add(n.id.name), (grew = true);
      },
      AssignmentExpression(n: N) {
        if (n.left.type === 'Identifier' && n.right.type === 'Identifier' && namespaces.has(n.right.name) && !namespaces.has(n.left.name)) namespaces.add(n.left.name), (grew = true);
      },
    });
  }
  const forbidden = new Map(calls.map((c) => [c.split('.').pop()!, c]));
  // (esbuild maps a member access `tf.grad` to its property: the column is where `grad` is named.)
  const report = (call: string, n: N) => {
    if (!n.loc) return;
    const loc = original(b, sub, n.loc.start.line, n.loc.start.column);
    if (loc) add(`calls ${call}, which this part forbids: compute the gradient yourself`, loc);
  };
  const keyName = (k: N, computed: boolean) => (!computed && k.type === 'Identifier' ? k.name : k.type === 'Literal' && typeof k.value === 'string' ? k.value : undefined);
  ancestor(ast, {
    MemberExpression(n: N) {
      if (n.object.type !== 'Identifier' || !namespaces.has(n.object.name)) return;
      const k = keyName(n.property, n.computed);
      const call = k !== undefined ? forbidden.get(k) : undefined;
      if (call && call.includes('.')) report(call, n);
    },
    VariableDeclarator(n: N) {
      if (n.id.type !== 'ObjectPattern' || n.init?.type !== 'Identifier' || !namespaces.has(n.init.name)) return;
      for (const p of n.id.properties) {
        const k = p.type === 'Property' ? keyName(p.key, p.computed) : undefined;
        const call = k !== undefined ? forbidden.get(k) : undefined;
        if (call) report(call, p);
      }
    },
    Identifier(n: N, _s: unknown, parents: N[]) {
      const parent = parents[parents.length - 2];
      // A use of a binding, not a property name or the import itself.
      if (parent?.type === 'ImportSpecifier' || (parent?.type === 'MemberExpression' && parent.property === n && !parent.computed) || (parent?.type === 'Property' && parent.key === n && !parent.computed && parent.value !== n)) return;
      const imported = named.get(n.name);
      const call = imported !== undefined ? forbidden.get(imported) : undefined;
      if (call) report(call, n);
    },
  });
  return out;
}
