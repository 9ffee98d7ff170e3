/**
 * CIFAR-10, binary version (https://www.cs.toronto.edu/~kriz/cifar.html):
 * data_batch_1.bin ... data_batch_5.bin (train) and test_batch.bin (test), each
 * 10000 records of 1 label byte (0..9) + 3072 pixel bytes: the 1024 red values
 * of the 32x32 image (row-major), then the 1024 green, then the 1024 blue.
 * batches.meta.txt names the classes, one per line.
 *
 * Loaded as HWC (channels last, as tfjs and Keras expect): x is [N, 32, 32, 3].
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ImageSet } from './types.ts';
import { CLASS_NAMES } from './types.ts';
import { readBytes } from './read.ts';

export const CIFAR10_SIDE = 32;
export const CIFAR10_PIXELS = CIFAR10_SIDE * CIFAR10_SIDE * 3;
export const CIFAR10_RECORD = 1 + CIFAR10_PIXELS;
export const CIFAR10_TRAIN_FILES = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'];
export const CIFAR10_TEST_FILES = ['test_batch.bin'];
export const CIFAR10_META = 'batches.meta.txt';
/** Records per official batch file. */
export const CIFAR10_BATCH_RECORDS = 10000;

/**
 * Parses one binary batch into HWC pixels and labels. `what` names the source in
 * errors; `expectRecords` (e.g. 10000) rejects batches of another size.
 */
export function parseCifar10Batch(buf: Uint8Array, what = 'CIFAR-10 batch', expectRecords?: number): { x: Uint8Array; y: Uint8Array; count: number } {
  if (buf.length === 0) throw new Error(`${what}: empty file (expected records of ${CIFAR10_RECORD} bytes: 1 label + 3072 pixels)`);
  if (buf.length % CIFAR10_RECORD !== 0) {
    const whole = Math.floor(buf.length / CIFAR10_RECORD);
    throw new Error(`${what}: ${buf.length} bytes is not a whole number of ${CIFAR10_RECORD}-byte records (1 label + 3072 pixels): ${whole} records and ${buf.length - whole * CIFAR10_RECORD} bytes left over; truncated or not a CIFAR-10 binary batch`);
  }
  const count = buf.length / CIFAR10_RECORD;
  if (expectRecords !== undefined && count !== expectRecords) {
    throw new Error(`${what}: ${count} records (${buf.length} bytes), expected ${expectRecords} (${expectRecords * CIFAR10_RECORD} bytes)`);
  }
  const x = new Uint8Array(count * CIFAR10_PIXELS);
  const y = new Uint8Array(count);
  const plane = CIFAR10_SIDE * CIFAR10_SIDE;
  for (let i = 0; i < count; i++) {
    const r = i * CIFAR10_RECORD;
    const label = buf[r]!;
    if (label > 9) throw new Error(`${what}: record ${i} has label ${label} (byte ${r}); CIFAR-10 labels are 0..9 — is this CIFAR-100 or another file?`);
    y[i] = label;
    const src = r + 1;
    const dst = i * CIFAR10_PIXELS;
    for (let p = 0; p < plane; p++) {
      x[dst + 3 * p] = buf[src + p]!;
      x[dst + 3 * p + 1] = buf[src + plane + p]!;
      x[dst + 3 * p + 2] = buf[src + 2 * plane + p]!;
    }
  }
  return { x, y, count };
}

/** Encodes HWC images + labels as a CIFAR-10 binary batch (for tests). */
export function encodeCifar10Batch(x: Uint8Array, y: Uint8Array): Uint8Array {
  const count = y.length;
  if (x.length !== count * CIFAR10_PIXELS) throw new Error(`encodeCifar10Batch: ${x.length} pixel bytes for ${count} labels`);
  const out = new Uint8Array(count * CIFAR10_RECORD);
  const plane = CIFAR10_SIDE * CIFAR10_SIDE;
  for (let i = 0; i < count; i++) {
    const r = i * CIFAR10_RECORD;
    out[r] = y[i]!;
    for (let p = 0; p < plane; p++) {
      for (let c = 0; c < 3; c++) out[r + 1 + c * plane + p] = x[i * CIFAR10_PIXELS + 3 * p + c]!;
    }
  }
  return out;
}

/** Class names from batches.meta.txt (non-empty lines, trimmed). Errors unless there are exactly 10. */
export function parseCifar10Meta(text: string, what = CIFAR10_META): string[] {
  const names = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (names.length !== 10) throw new Error(`${what}: expected 10 class names (one per line), got ${names.length}`);
  return names;
}

/**
 * Reads the given batch files (in order) from `dir` as one set. Class names come
 * from batches.meta.txt when present, else the standard CIFAR-10 names.
 * `strict` (default true) requires 10000 records per file, as in the official data.
 */
export async function readCifar10Files(dir: string, files: string[], opts: { strict?: boolean } = {}): Promise<ImageSet> {
  const strict = opts.strict ?? true;
  const parts = [];
  for (const f of files) {
    const file = path.join(dir, f);
    parts.push(parseCifar10Batch(await readBytes(file), file, strict ? CIFAR10_BATCH_RECORDS : undefined));
  }
  const n = parts.reduce((a, p) => a + p.count, 0);
  const x = new Uint8Array(n * CIFAR10_PIXELS);
  const y = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    x.set(p.x, at * CIFAR10_PIXELS);
    y.set(p.y, at);
    at += p.count;
  }
  let classNames = CLASS_NAMES.cifar10;
  const metaFile = path.join(dir, CIFAR10_META);
  const meta = await readFile(metaFile, 'utf8').catch(() => undefined);
  if (meta !== undefined) classNames = parseCifar10Meta(meta, metaFile);
  return { x, shape: [n, CIFAR10_SIDE, CIFAR10_SIDE, 3], y, classNames, source: files.map((f) => path.join(dir, f)) };
}

/** The train (5 batches, 50000 images) or test (10000 images) split from a cifar-10-batches-bin folder. */
export function readCifar10(dir: string, split: 'train' | 'test', opts: { strict?: boolean } = {}): Promise<ImageSet> {
  return readCifar10Files(dir, split === 'train' ? CIFAR10_TRAIN_FILES : CIFAR10_TEST_FILES, opts);
}
