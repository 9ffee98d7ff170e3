/**
 * Reading a submission's files on the student's behalf, in the trusted
 * parent (bundling its sources, loading a handed-in model): only regular
 * files whose real path (symlinks resolved) lies inside the submission folder,
 * opened without following a final symlink and without blocking on a fifo,
 * their size checked before reading. Everything else is refused with a
 * sentence naming the path as the student wrote it and why.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import path from 'node:path';

export class ConfinedReadError extends Error {
  constructor(message: string, readonly path: string) {
    super(message);
    this.name = 'ConfinedReadError';
  }
}

/** True when `p` is `root` or below it (both absolute, already real). */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The real path of `p`, or undefined when it does not exist. */
export function realPathOf(p: string): string | undefined {
  try {
    return realpathSync.native(p);
  } catch {
    return undefined;
  }
}

/** How a path is shown to the student: relative to their folder when inside it. */
export function shown(root: string, p: string): string {
  return isInside(root, p) ? path.relative(root, p) || '.' : p;
}

/**
 * Check that `p` (absolute, or relative to `root`) names something inside the
 * submission folder `root` once symlinks are resolved; returns its real path.
 */
export function confinedPath(root: string, p: string, what = 'file'): string {
  const realRoot = realPathOf(root) ?? root;
  const abs = path.resolve(realRoot, p);
  const real = realPathOf(abs);
  if (!real) throw new ConfinedReadError(`${what} ${shown(realRoot, abs)} does not exist`, abs);
  if (!isInside(realRoot, real)) {
    throw new ConfinedReadError(`${what} ${shown(realRoot, abs)} is outside your submission folder${real !== abs ? ` (it leads to ${real})` : ''}: only files inside it can be used`, abs);
  }
  return real;
}

/**
 * Read a regular file inside `root`, at most `maxBytes`. Symlinks leading out,
 * devices, fifos, sockets and folders are refused; so is a file over the cap
 * (checked on the open descriptor, before reading).
 */
export function readConfined(root: string, p: string, maxBytes: number, what = 'file'): Buffer {
  const real = confinedPath(root, p, what);
  const name = shown(realPathOf(root) ?? root, real);
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    throw new ConfinedReadError(`cannot read ${what} ${name}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, real);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      const kind = st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a fifo' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isSocket() ? 'a socket' : 'not a regular file';
      throw new ConfinedReadError(`${what} ${name} is ${kind}, not a regular file`, real);
    }
    if (st.size > maxBytes) throw new ConfinedReadError(`${what} ${name} is ${st.size.toLocaleString('en-US')} bytes, over the limit of ${maxBytes.toLocaleString('en-US')}`, real);
    return readWhole(fd, st.size);
  } finally {
    closeSync(fd);
  }
}

/** The bytes of an open regular file of `size` bytes (fewer if it shrank while read). */
export function readWhole(fd: number, size: number): Buffer {
  const buf = Buffer.alloc(size);
  let off = 0;
  while (off < size) {
    const n = readSync(fd, buf, off, size - off, off);
    if (n === 0) break;
    off += n;
  }
  return off === size ? buf : buf.subarray(0, off);
}
