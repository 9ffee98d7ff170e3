import path from 'node:path';
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The nngrade package root (the folder holding package.json), from source or from dist/. */
export function packageRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the nngrade package root');
    dir = up;
  }
  return (root = dir);
}

/** Packages the grader runs student code with; the sandbox must read wherever node resolves them. */
const SANDBOX_PACKAGES = ['@tensorflow/tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-node'];

let modules: string[] | undefined;

/**
 * The node_modules folders the sandbox child reads: nngrade's own, and the one node resolves each
 * tf package from. In a checkout that is <root>/node_modules; installed into a project, npm hoists
 * @tensorflow/* next to nngrade (<project>/node_modules), or nests them under it on a version clash.
 */
export function moduleDirs(): string[] {
  if (modules) return modules;
  const req = createRequire(path.join(packageRoot(), 'package.json'));
  const dirs = new Set<string>();
  const own = path.join(packageRoot(), 'node_modules');
  if (existsSync(own)) dirs.add(realpathSync(own));
  for (const pkg of SANDBOX_PACKAGES) {
    let file: string;
    try {
      file = realpathSync(req.resolve(`${pkg}/package.json`));
    } catch {
      continue; // not installed (tfjs-node is optional)
    }
    const i = file.lastIndexOf(`${path.sep}node_modules${path.sep}`);
    if (i >= 0) dirs.add(file.slice(0, i + '/node_modules'.length));
  }
  return (modules = [...dirs]);
}

/** A path as a person would like to read it: relative to the cwd when inside it. */
export function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}
