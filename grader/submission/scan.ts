/**
 * Static checks on a submission's sources: which file defines an export, which
 * files it reaches, and whether those files import or call what a part forbids
 * (e.g. a from-scratch part may not import @tensorflow/* or call tf.grad).
 */
import path from 'node:path';
import type { ForbidRule } from '../spec/types.ts';
import type { BundledSubmission } from './bundle.ts';
import type { SourceLocation } from '../judge/result.ts';

export interface Violation {
  message: string;
  location: SourceLocation;
}

/** Blank out comments, keeping offsets (so line numbers stay right). */
export function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\/|(^|[^:\\'"`])\/\/[^\n]*/g, (m, pre: string | undefined) => {
    const keep = pre ?? '';
    return keep + m.slice(keep.length).replace(/[^\n]/g, ' ');
  });
}

function lineOf(src: string, index: number): { line: number; column: number } {
  let line = 1, last = -1;
  for (let i = 0; i < index; i++) if (src.charCodeAt(i) === 10) { line++; last = i; }
  return { line, column: index - last };
}

export function globToRegExp(glob: string): RegExp {
  const esc = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${esc}$`);
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The local file that defines `name` (following `export { name } from './x'`), or the entry. */
export function definingFile(sub: BundledSubmission, name: string): string {
  const entry = path.join(sub.dir, sub.entry);
  const seen = new Set<string>();
  const visit = (file: string): string | undefined => {
    if (seen.has(file)) return undefined;
    seen.add(file);
    const src = stripComments(sub.sources.get(file) ?? '');
    const n = escapeRe(name);
    const direct = new RegExp(`export\\s+(?:default\\s+)?(?:async\\s+)?(?:function\\s*\\*?|const|let|var|class)\\s+${n}\\b`);
    if (direct.test(src)) return file;
    const locals = (sub.imports.get(file) ?? []).filter((i) => i.local).map((i) => i.specifier);
    const target = (spec: string) => locals.find((l) => l.replace(/\.[cm]?[jt]sx?$/, '') === path.resolve(path.dirname(file), spec).replace(/\.[cm]?[jt]sx?$/, ''));
    const named = new RegExp(`export\\s*\\{[^}]*\\b${n}\\b[^}]*\\}\\s*from\\s*['"]([^'"]+)['"]`).exec(src);
    if (named) {
      const t = target(named[1]);
      if (t) return visit(t) ?? t;
    }
    // `export * from './x'`: whichever of them defines it.
    for (const m of src.matchAll(/export\s*\*\s*from\s*['"]([^'"]+)['"]/g)) {
      const t = target(m[1]);
      const found = t && visit(t);
      if (found) return found;
    }
    if (new RegExp(`export\\s*\\{[^}]*\\b${n}\\b`).test(src)) return file;
    for (const l of locals) {
      const found = visit(l);
      if (found) return found;
    }
    return undefined;
  };
  return visit(entry) ?? entry;
}

export function reachableFiles(sub: BundledSubmission, from: string): string[] {
  const out: string[] = [];
  const stack = [from];
  const seen = new Set<string>();
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    out.push(f);
    for (const i of sub.imports.get(f) ?? []) if (i.local) stack.push(i.specifier);
  }
  return out;
}

/** Violations of `rule` in the code that `exportName` runs (its file and the local files it imports). */
export function findViolations(sub: BundledSubmission, exportName: string, rule: ForbidRule): Violation[] {
  const files = reachableFiles(sub, definingFile(sub, exportName));
  const out: Violation[] = [];
  const rel = (f: string) => path.relative(sub.dir, f) || f;
  for (const file of files) {
    const raw = sub.sources.get(file);
    if (raw === undefined) continue;
    const src = stripComments(raw);
    for (const glob of rule.imports ?? []) {
      const re = globToRegExp(glob);
      for (const imp of sub.imports.get(file) ?? []) {
        if (imp.local || !re.test(imp.specifier)) continue;
        const at = src.search(new RegExp(`['"]${escapeRe(imp.specifier)}['"]`));
        const { line, column } = lineOf(src, Math.max(0, at));
        out.push({ message: `imports "${imp.specifier}", which this part forbids (${glob}): write it from scratch`, location: { file: rel(file), line, column } });
      }
    }
    for (const call of rule.calls ?? []) {
      const parts = call.split('.');
      const last = parts[parts.length - 1];
      const dotted = parts.map(escapeRe).join('\\s*\\.\\s*');
      // tf.grad(...) as written, or a bare grad(...) imported by name from a package.
      const patterns = [new RegExp(`(?<![\\w$])${dotted}\\s*\\(`, 'g')];
      const named = new RegExp(`import\\s*\\{[^}]*\\b${escapeRe(last)}\\b[^}]*\\}\\s*from\\s*['"][^'".][^'"]*['"]`);
      if (parts.length > 1 && named.test(src)) patterns.push(new RegExp(`(?<![\\w$.])${escapeRe(last)}\\s*\\(`, 'g'));
      for (const re of patterns) {
        for (const m of src.matchAll(re)) {
          const { line, column } = lineOf(src, m.index ?? 0);
          out.push({ message: `calls ${call}, which this part forbids: compute the gradient yourself`, location: { file: rel(file), line, column } });
        }
      }
    }
  }
  return out;
}
