/**
 * The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
 * a big-endian magic number 0x0000TTDD (TT = element type, DD = number of
 * dimensions), DD big-endian uint32 dimension sizes, then the elements,
 * row-major. Images are 0x00000803 (ubyte, [N, rows, cols]); labels are
 * 0x00000801 (ubyte, [N]). Files may be gzip-compressed (detected by content,
 * not by name).
 */
import { gunzipSync } from 'node:zlib';
import type { ImageSet } from './types.ts';
import { readBytes } from './read.ts';

export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

export interface IdxArray {
  type: IdxType;
  dims: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES: Record<number, { type: IdxType; bytes: number }> = {
  0x08: { type: 'uint8', bytes: 1 },
  0x09: { type: 'int8', bytes: 1 },
  0x0b: { type: 'int16', bytes: 2 },
  0x0c: { type: 'int32', bytes: 4 },
  0x0d: { type: 'float32', bytes: 4 },
  0x0e: { type: 'float64', bytes: 8 },
};

export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

const hex = (n: number) => '0x' + (n >>> 0).toString(16).padStart(8, '0');

/** True if `buf` starts with the gzip magic bytes. */
export function isGzip(buf: Uint8Array): boolean {
  return buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

/** Decompresses gzip content (by magic bytes); returns other content unchanged. */
export function maybeGunzip(buf: Uint8Array, what = 'data'): Uint8Array {
  if (!isGzip(buf)) return buf;
  try {
    return gunzipSync(buf);
  } catch (e) {
    throw new Error(`${what}: gzip data is corrupt or truncated (${(e as Error).message})`);
  }
}

/**
 * Parses IDX bytes (already decompressed, or gzip: decompressed here).
 * `what` names the source in errors; `expectMagic` rejects any other magic number.
 */
export function parseIdx(input: Uint8Array, what = 'IDX data', expectMagic?: number): IdxArray {
  const buf = maybeGunzip(input, what);
  if (buf.length < 4) throw new Error(`${what}: truncated: ${buf.length} bytes is too short for an IDX header`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magic = view.getUint32(0, false);
  const expectWhat = expectMagic === IDX_IMAGES_MAGIC ? ' for images' : expectMagic === IDX_LABELS_MAGIC ? ' for labels' : '';
  if (expectMagic !== undefined && magic !== expectMagic) {
    throw new Error(`${what}: bad magic number ${hex(magic)}, expected ${hex(expectMagic)}${expectWhat} (is this the right file, or an IDX file at all?)`);
  }
  const zero = magic >>> 16;
  const t = TYPES[(magic >>> 8) & 0xff];
  const nd = magic & 0xff;
  if (zero !== 0 || !t || nd === 0) throw new Error(`${what}: bad magic number ${hex(magic)}: not an IDX file (expected 0x0000TTDD with a known type TT)`);
  const headerBytes = 4 + 4 * nd;
  if (buf.length < headerBytes) throw new Error(`${what}: truncated: the header needs ${headerBytes} bytes for ${nd} dimensions, got ${buf.length}`);
  const dims: number[] = [];
  for (let i = 0; i < nd; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const n = dims.reduce((a, b) => a * b, 1);
  const need = headerBytes + n * t.bytes;
  if (buf.length < need) throw new Error(`${what}: truncated: expected ${need} bytes for dims [${dims.join(', ')}], got ${buf.length}`);
  if (buf.length > need) throw new Error(`${what}: ${buf.length - need} unexpected bytes after the ${need} bytes for dims [${dims.join(', ')}]`);
  const body = buf.subarray(headerBytes, need);
  let data: IdxArray['data'];
  if (t.type === 'uint8') data = Uint8Array.from(body);
  else if (t.type === 'int8') data = new Int8Array(Uint8Array.from(body).buffer);
  else {
    const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);
    const read = {
      int16: (o: number) => dv.getInt16(o, false),
      int32: (o: number) => dv.getInt32(o, false),
      float32: (o: number) => dv.getFloat32(o, false),
      float64: (o: number) => dv.getFloat64(o, false),
    }[t.type];
    const Ctor = { int16: Int16Array, int32: Int32Array, float32: Float32Array, float64: Float64Array }[t.type];
    const out = new Ctor(n);
    for (let i = 0; i < n; i++) out[i] = read(i * t.bytes);
    data = out;
  }
  return { type: t.type, dims, data };
}

/** Encodes an IDX file (big-endian), e.g. for tests and for cutting subsets. */
export function encodeIdx(a: IdxArray): Uint8Array {
  const code = Number(Object.entries(TYPES).find(([, v]) => v.type === a.type)![0]);
  const bytes = TYPES[code]!.bytes;
  const n = a.dims.reduce((x, y) => x * y, 1);
  if (a.data.length !== n) throw new Error(`encodeIdx: ${a.data.length} elements for dims [${a.dims.join(', ')}]`);
  const out = new Uint8Array(4 + 4 * a.dims.length + n * bytes);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, (code << 8) | a.dims.length, false);
  a.dims.forEach((d, i) => dv.setUint32(4 + 4 * i, d, false));
  const off = 4 + 4 * a.dims.length;
  for (let i = 0; i < n; i++) {
    const v = a.data[i]!;
    const o = off + i * bytes;
    if (a.type === 'uint8') dv.setUint8(o, v);
    else if (a.type === 'int8') dv.setInt8(o, v);
    else if (a.type === 'int16') dv.setInt16(o, v, false);
    else if (a.type === 'int32') dv.setInt32(o, v, false);
    else if (a.type === 'float32') dv.setFloat32(o, v, false);
    else dv.setFloat64(o, v, false);
  }
  return out;
}

/** Reads an IDX file (gzip or plain). */
export async function readIdxFile(file: string, expectMagic?: number): Promise<IdxArray> {
  return parseIdx(await readBytes(file), file, expectMagic);
}

/** Images: ubyte [N, rows, cols]. */
export async function readIdxImages(file: string): Promise<{ x: Uint8Array; shape: [number, number, number] }> {
  const a = await readIdxFile(file, IDX_IMAGES_MAGIC);
  if (a.dims.length !== 3) throw new Error(`${file}: expected 3 dimensions [N, rows, cols] for images, got [${a.dims.join(', ')}]`);
  return { x: a.data as Uint8Array, shape: a.dims as [number, number, number] };
}

/** Labels: ubyte [N]. */
export async function readIdxLabels(file: string): Promise<Uint8Array> {
  const a = await readIdxFile(file, IDX_LABELS_MAGIC);
  return a.data as Uint8Array;
}

/**
 * An images file and its labels file as one set. Errors when the counts differ,
 * or (with `numClasses`) when a label is out of range.
 */
export async function readIdxImageSet(imagesFile: string, labelsFile: string, opts: { classNames?: string[]; numClasses?: number } = {}): Promise<ImageSet> {
  const [img, y] = await Promise.all([readIdxImages(imagesFile), readIdxLabels(labelsFile)]);
  if (img.shape[0] !== y.length) {
    throw new Error(`images/labels count mismatch: ${imagesFile} has ${img.shape[0]} images but ${labelsFile} has ${y.length} labels`);
  }
  const k = opts.numClasses ?? opts.classNames?.length;
  if (k !== undefined) {
    const bad = y.findIndex((v) => v >= k);
    if (bad >= 0) throw new Error(`${labelsFile}: label ${y[bad]} at index ${bad} is outside 0..${k - 1}`);
  }
  return { x: img.x, shape: [...img.shape], y, classNames: opts.classNames, source: [imagesFile, labelsFile] };
}
