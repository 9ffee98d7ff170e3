import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx, parseIdx, readIdxFile, readIdxImages, readIdxImageSet, readIdxLabels, IDX_IMAGES_MAGIC } from '../grader/datasets/idx.ts';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'nngrade-idx-'));

/** IDX bytes written by hand (big-endian), independent of encodeIdx. */
function handIdx(magic: number, dims: number[], body: number[]): Buffer {
  const b = Buffer.alloc(4 + 4 * dims.length + body.length);
  b.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
  Buffer.from(body).copy(b, 4 + 4 * dims.length);
  return b;
}

describe('IDX files', () => {
  it('reads images and labels written by hand, plain and gzip', async () => {
    const dir = tmp();
    const pixels = Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 7) % 256);
    const img = handIdx(0x803, [3, 2, 4], pixels);
    const lab = handIdx(0x801, [3], [9, 0, 4]);
    writeFileSync(path.join(dir, 'img'), img);
    writeFileSync(path.join(dir, 'img.gz'), gzipSync(img));
    writeFileSync(path.join(dir, 'lab.gz'), gzipSync(lab));
    for (const f of ['img', 'img.gz']) {
      const r = await readIdxImages(path.join(dir, f));
      expect(r.shape).toEqual([3, 2, 4]);
      expect(Array.from(r.x)).toEqual(pixels);
    }
    expect(Array.from(await readIdxLabels(path.join(dir, 'lab.gz')))).toEqual([9, 0, 4]);
    const set = await readIdxImageSet(path.join(dir, 'img.gz'), path.join(dir, 'lab.gz'), { numClasses: 10 });
    expect(set.shape).toEqual([3, 2, 4]);
    expect(Array.from(set.y)).toEqual([9, 0, 4]);
  });

  it('reads the other element types big-endian, and round-trips encodeIdx', () => {
    const f32 = parseIdx(encodeIdx({ type: 'float32', dims: [2, 2], data: Float32Array.from([1.5, -2, 3.25, 1e-3]) }));
    expect(f32.type).toBe('float32');
    expect(Array.from(f32.data)).toEqual(Array.from(Float32Array.from([1.5, -2, 3.25, 1e-3])));
    const i32 = handIdx(0x0c01, [2], [0xff, 0xff, 0xff, 0xfe, 0, 0, 1, 0]);
    expect(Array.from(parseIdx(i32).data)).toEqual([-2, 256]);
    const i16 = parseIdx(encodeIdx({ type: 'int16', dims: [3], data: Int16Array.from([-300, 0, 300]) }));
    expect(Array.from(i16.data)).toEqual([-300, 0, 300]);
  });

  it('says what is wrong: bad magic, truncated, trailing bytes, count mismatch, bad gzip, missing file', async () => {
    const dir = tmp();
    expect(() => parseIdx(handIdx(0x801, [3], [1, 2, 3]), 'labels.idx', IDX_IMAGES_MAGIC)).toThrow(/labels\.idx: bad magic number 0x00000801, expected 0x00000803 for images/);
    expect(() => parseIdx(Buffer.from('PK\x03\x04 not idx'), 'x.zip')).toThrow(/bad magic number 0x504b0304: not an IDX file/);
    expect(() => parseIdx(handIdx(0x803, [10, 28, 28], [1, 2, 3]), 'img')).toThrow('img: truncated: expected 7856 bytes for dims [10, 28, 28], got 19');
    expect(() => parseIdx(Buffer.from([0, 0, 8, 3, 0, 0]), 'img')).toThrow(/truncated: the header needs 16 bytes for 3 dimensions, got 6/);
    expect(() => parseIdx(handIdx(0x801, [2], [1, 2, 3]), 'lab')).toThrow(/1 unexpected bytes after the 10 bytes for dims \[2\]/);
    const gz = gzipSync(handIdx(0x801, [2], [1, 2]));
    expect(() => parseIdx(gz.subarray(0, gz.length - 6), 'cut.gz')).toThrow(/cut\.gz: gzip data is corrupt or truncated/);
    writeFileSync(path.join(dir, 'img'), handIdx(0x803, [2, 1, 1], [5, 6]));
    writeFileSync(path.join(dir, 'lab'), handIdx(0x801, [3], [1, 2, 3]));
    await expect(readIdxImageSet(path.join(dir, 'img'), path.join(dir, 'lab'))).rejects.toThrow(/images\/labels count mismatch: .*img has 2 images but .*lab has 3 labels/);
    writeFileSync(path.join(dir, 'lab2'), handIdx(0x801, [2], [1, 12]));
    await expect(readIdxImageSet(path.join(dir, 'img'), path.join(dir, 'lab2'), { numClasses: 10 })).rejects.toThrow(/label 12 at index 1 is outside 0\.\.9/);
    await expect(readIdxFile(path.join(dir, 'nope.gz'))).rejects.toThrow(/nope\.gz: no such file/);
  });

  const REAL = '/usr/share/datasets/fashion-mnist';
  it.skipIf(!existsSync(path.join(REAL, 't10k-images-idx3-ubyte.gz')))('reads the real Fashion-MNIST test set (Debian dataset-fashion-mnist): 10000 28x28 images, 1000 per class', async () => {
    const set = await readIdxImageSet(path.join(REAL, 't10k-images-idx3-ubyte.gz'), path.join(REAL, 't10k-labels-idx1-ubyte.gz'), { numClasses: 10 });
    expect(set.shape).toEqual([10000, 28, 28]);
    expect(set.x.length).toBe(7840000);
    const hist = new Array(10).fill(0);
    for (const c of set.y) hist[c]++;
    expect(hist).toEqual(new Array(10).fill(1000));
    expect(Array.from(set.y.subarray(0, 10))).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    let max = 0;
    for (const v of set.x) max = Math.max(max, v);
    expect(max).toBe(255);
  });

  it('the committed subset is the first 1000 images and labels of the real test set', async () => {
    const dir = path.resolve(import.meta.dirname, '..', 'data', 'fashion-mnist-subset');
    const sub = await readIdxImageSet(path.join(dir, 't10k-images-idx3-ubyte.gz'), path.join(dir, 't10k-labels-idx1-ubyte.gz'), { numClasses: 10 });
    expect(sub.shape).toEqual([1000, 28, 28]);
    expect(Array.from(sub.y.subarray(0, 10))).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    if (existsSync(path.join(REAL, 't10k-images-idx3-ubyte.gz'))) {
      const full = await readIdxImageSet(path.join(REAL, 't10k-images-idx3-ubyte.gz'), path.join(REAL, 't10k-labels-idx1-ubyte.gz'));
      expect(Buffer.compare(Buffer.from(sub.x), Buffer.from(full.x.subarray(0, 784000)))).toBe(0);
      expect(Buffer.compare(Buffer.from(sub.y), Buffer.from(full.y.subarray(0, 1000)))).toBe(0);
    }
  });
});
