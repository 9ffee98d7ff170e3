/**
 * A minimal reader for (gzip-compressed) tar archives: regular files only,
 * ustar / GNU / pax headers, enough to unpack cifar-10-binary.tar.gz without a
 * dependency. Entry names are returned as stored; callers pick what they need
 * by base name and never write a stored path to disk.
 */
import { maybeGunzip } from './idx.ts';

export interface TarEntry {
  name: string;
  data: Uint8Array;
}

function text(b: Uint8Array, start: number, len: number): string {
  const s = b.subarray(start, start + len);
  const end = s.indexOf(0);
  return Buffer.from(end >= 0 ? s.subarray(0, end) : s).toString('utf8');
}

function octal(b: Uint8Array, start: number, len: number, what: string): number {
  if (b[start]! & 0x80) {
    // GNU base-256 for large sizes.
    let v = 0;
    for (let i = start + 1; i < start + len; i++) v = v * 256 + b[i]!;
    return v;
  }
  const s = text(b, start, len).trim();
  if (!/^[0-7]*$/.test(s)) throw new Error(`${what}: corrupt tar header (size field ${JSON.stringify(s)})`);
  return s ? parseInt(s, 8) : 0;
}

/** The regular files of a tar (or .tar.gz) archive, in order. */
/** `skipped` collects the entries that are not regular files (links, devices, folders), by name and tar type. */
export function readTar(input: Uint8Array, what = 'tar archive', skipped?: { name: string; type: string }[]): TarEntry[] {
  const b = maybeGunzip(input, what);
  const out: TarEntry[] = [];
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= b.length) {
    const h = b.subarray(off, off + 512);
    if (h.every((v) => v === 0)) break;
    const size = octal(h, 124, 12, what);
    const type = String.fromCharCode(h[156]! || 0x30);
    const magic = text(h, 257, 6);
    const prefix = magic.startsWith('ustar') ? text(h, 345, 155) : '';
    const name = longName ?? (prefix ? `${prefix}/${text(h, 0, 100)}` : text(h, 0, 100));
    longName = undefined;
    const start = off + 512;
    const end = start + size;
    if (end > b.length) throw new Error(`${what}: truncated: entry ${JSON.stringify(name)} needs ${size} bytes, ${b.length - start} left`);
    const body = b.subarray(start, end);
    if (type === 'L') longName = text(body, 0, body.length);
    else if (type === 'x') {
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(Buffer.from(body).toString('utf8'));
      if (m) longName = m[1];
    } else if (type === '0' || type === '7') {
      out.push({ name, data: body });
    } else if (type !== 'g') skipped?.push({ name, type });
    off = start + Math.ceil(size / 512) * 512;
  }
  return out;
}
