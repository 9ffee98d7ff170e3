/**
 * Hand-ins that come as archives (.zip, .tar.gz, .tgz, .tar), as LMSs export
 * them, unpacked into a temp folder before grading. The archive is untrusted:
 * only regular files are written (no symlinks, devices or hard links), every
 * stored name must be a plain relative path (no absolute paths, no `..`:
 * zip-slip), and the number of files and the bytes unpacked are capped before
 * they are written. A hand-in zipped as one top-level folder is graded from
 * inside that folder.
 */
import { gunzipSync } from 'node:zlib';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';
import { readTar } from '../datasets/tar.ts';

export const ARCHIVE = /\.(zip|tar\.gz|tgz|tar)$/i;
export const ARCHIVE_LIMITS = { bytes: 256 * 1024 * 1024, files: 10_000, archiveBytes: 128 * 1024 * 1024 };

export class ArchiveError extends Error {}

/** A stored name as a safe relative path, or an error naming it. */
function safeName(name: string): string {
  const n = name.replace(/\\/g, '/');
  const parts = n.split('/').filter((p) => p !== '' && p !== '.');
  if (n.startsWith('/') || /^[a-zA-Z]:/.test(n) || parts.includes('..') || !parts.length || parts.some((p) => p.includes('\0'))) {
    throw new ArchiveError(`it holds the path ${JSON.stringify(name)}, which points outside the archive`);
  }
  return parts.join('/');
}

interface Entry { name: string; data: Buffer }

function readZip(buf: Buffer): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: false }, (err, zip) => {
      if (err || !zip) return reject(new ArchiveError(`it is not a readable zip file (${err?.message ?? 'unknown error'})`));
      const out: Entry[] = [];
      let bytes = 0;
      const fail = (e: Error) => {
        zip.close();
        // yauzl checks stored names itself: say it as for any other archive.
        const slip = /(?:invalid relative path|absolute path): (.*)$/.exec(e.message);
        reject(e instanceof ArchiveError ? e : slip ? new ArchiveError(`it holds the path ${JSON.stringify(slip[1])}, which points outside the archive`) : new ArchiveError(`it is not a readable zip file (${e.message})`));
      };
      zip.on('error', fail);
      zip.on('end', () => resolve(out));
      zip.on('entry', (e: yauzl.Entry) => {
        if (/\/$/.test(e.fileName)) return zip.readEntry();
        const mode = (e.externalFileAttributes >>> 16) & 0o170000;
        if (mode && mode !== 0o100000) return fail(new ArchiveError(`it holds ${JSON.stringify(e.fileName)}, which is ${mode === 0o120000 ? 'a symbolic link' : 'not a regular file'}: only files are accepted`));
        let name: string;
        try { name = safeName(e.fileName); } catch (x) { return fail(x as Error); }
        if (out.length >= ARCHIVE_LIMITS.files) return fail(new ArchiveError(`it holds more than ${ARCHIVE_LIMITS.files} files`));
        bytes += e.uncompressedSize;
        if (bytes > ARCHIVE_LIMITS.bytes) return fail(new ArchiveError(`it unpacks to more than ${ARCHIVE_LIMITS.bytes / 1024 / 1024} MB`));
        zip.openReadStream(e, (er, s) => {
          if (er || !s) return fail(er ?? new Error('cannot read an entry'));
          const chunks: Buffer[] = [];
          s.on('data', (c: Buffer) => chunks.push(c));
          s.on('error', fail);
          s.on('end', () => { out.push({ name, data: Buffer.concat(chunks) }); zip.readEntry(); });
        });
      });
      zip.readEntry();
    });
  });
}

function readTarball(buf: Buffer, gz: boolean): Entry[] {
  let raw: Buffer;
  try {
    raw = gz ? gunzipSync(buf, { maxOutputLength: ARCHIVE_LIMITS.bytes }) : buf;
  } catch (e) {
    throw new ArchiveError(/maxOutputLength|too large|buffer/i.test((e as Error).message) ? `it unpacks to more than ${ARCHIVE_LIMITS.bytes / 1024 / 1024} MB` : `it is not a readable gzip file (${(e as Error).message})`);
  }
  let entries: { name: string; data: Uint8Array }[];
  try {
    // Regular files only: links and devices are not returned by the reader.
    const skipped: { name: string; type: string }[] = [];
    entries = readTar(raw, 'the archive', skipped);
    const odd = skipped.find((x) => x.type !== '5');
    if (odd) throw new ArchiveError(`it holds ${JSON.stringify(odd.name)}, which is ${odd.type === '2' ? 'a symbolic link' : odd.type === '1' ? 'a hard link' : 'not a regular file'}: only files are accepted`);
  } catch (e) {
    if (e instanceof ArchiveError) throw e;
    throw new ArchiveError(`it is not a readable tar file (${(e as Error).message})`);
  }
  if (entries.length > ARCHIVE_LIMITS.files) throw new ArchiveError(`it holds more than ${ARCHIVE_LIMITS.files} files`);
  return entries.map((e) => ({ name: safeName(e.name), data: Buffer.from(e.data) }));
}

/**
 * Unpack `file` into `dest` (a new, empty folder); returns the folder to grade: `dest`, or its only
 * top-level folder when everything is inside one and `entry` is not at the top.
 */
export async function unpackArchive(file: string, dest: string, entry: string): Promise<string> {
  const size = statSync(file).size;
  if (size > ARCHIVE_LIMITS.archiveBytes) throw new ArchiveError(`it is ${(size / 1024 / 1024).toFixed(0)} MB, over the limit of ${ARCHIVE_LIMITS.archiveBytes / 1024 / 1024} MB`);
  const buf = readFileSync(file);
  const lower = file.toLowerCase();
  const entries = lower.endsWith('.zip') ? await readZip(buf) : readTarball(buf, !lower.endsWith('.tar'));
  if (!entries.length) throw new ArchiveError('it is empty');
  for (const e of entries) {
    const out = path.join(dest, e.name);
    try {
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(out, e.data, { flag: 'wx' });
    } catch {
      throw new ArchiveError(`it holds ${JSON.stringify(e.name)} twice, or as both a file and a folder`);
    }
  }
  const top = readdirSync(dest);
  if (!top.includes(entry) && top.length === 1 && statSync(path.join(dest, top[0])).isDirectory()) return path.join(dest, top[0]);
  return dest;
}
