import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CIFAR10_RECORD,
  encodeCifar10Batch,
  parseCifar10Batch,
  parseCifar10Meta,
  readCifar10,
  readCifar10Files,
} from '../grader/datasets/cifar10.ts';

/** A record written by hand: label, then the R plane, G plane, B plane (each 32x32 row-major). */
function handRecord(label: number, pixel: (h: number, w: number, c: number) => number): Uint8Array {
  const r = new Uint8Array(CIFAR10_RECORD);
  r[0] = label;
  for (let c = 0; c < 3; c++) for (let h = 0; h < 32; h++) for (let w = 0; w < 32; w++) r[1 + c * 1024 + h * 32 + w] = pixel(h, w, c);
  return r;
}

const px = (i: number) => (h: number, w: number, c: number) => (h * 7 + w * 3 + c * 101 + i * 13) % 256;

function batch(labels: number[]): Uint8Array {
  const out = new Uint8Array(labels.length * CIFAR10_RECORD);
  labels.forEach((l, i) => out.set(handRecord(l, px(i)), i * CIFAR10_RECORD));
  return out;
}

describe('CIFAR-10 binary batches', () => {
  it('converts the R,G,B planes to HWC', () => {
    const { x, y, count } = parseCifar10Batch(batch([3, 9]));
    expect(count).toBe(2);
    expect(Array.from(y)).toEqual([3, 9]);
    for (const [i, h, w, c] of [[0, 0, 0, 0], [0, 0, 0, 2], [0, 5, 17, 1], [1, 31, 31, 2], [1, 12, 3, 0]] as const) {
      expect(x[i * 3072 + (h * 32 + w) * 3 + c]).toBe(px(i)(h, w, c));
    }
    const again = encodeCifar10Batch(x, y);
    expect(Buffer.compare(Buffer.from(again), Buffer.from(batch([3, 9])))).toBe(0);
  });

  it('reads train (5 batches) and test splits and the class names', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nngrade-cifar-'));
    for (let b = 1; b <= 5; b++) writeFileSync(path.join(dir, `data_batch_${b}.bin`), batch([b, b + 1]));
    writeFileSync(path.join(dir, 'test_batch.bin'), batch([0, 7, 7]));
    writeFileSync(path.join(dir, 'batches.meta.txt'), 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n');
    const train = await readCifar10(dir, 'train', { strict: false });
    expect(train.shape).toEqual([10, 32, 32, 3]);
    expect(Array.from(train.y)).toEqual([1, 2, 2, 3, 3, 4, 4, 5, 5, 6]);
    expect(train.classNames?.[9]).toBe('truck');
    const test = await readCifar10(dir, 'test', { strict: false });
    expect(Array.from(test.y)).toEqual([0, 7, 7]);
    expect(test.x[1 * 3072 + 0]).toBe(px(1)(0, 0, 0));
    // The official batches hold 10000 records each; strict (the default) says so.
    await expect(readCifar10(dir, 'test')).rejects.toThrow(/test_batch\.bin: 3 records \(9219 bytes\), expected 10000/);
  });

  it('says what is wrong: wrong size, bad label, empty, missing file, bad meta', async () => {
    const b = batch([1, 2]);
    expect(() => parseCifar10Batch(b.subarray(0, b.length - 100), 'data_batch_1.bin')).toThrow(
      'data_batch_1.bin: 6046 bytes is not a whole number of 3073-byte records (1 label + 3072 pixels): 1 records and 2973 bytes left over; truncated or not a CIFAR-10 binary batch',
    );
    expect(() => parseCifar10Batch(batch([1, 42]), 'b.bin')).toThrow(/record 1 has label 42.*CIFAR-10 labels are 0\.\.9/);
    expect(() => parseCifar10Batch(new Uint8Array(0), 'e.bin')).toThrow(/e\.bin: empty file/);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nngrade-cifar-'));
    await expect(readCifar10Files(dir, ['test_batch.bin'])).rejects.toThrow(/test_batch\.bin: no such file/);
    expect(() => parseCifar10Meta('a\nb\n')).toThrow(/expected 10 class names \(one per line\), got 2/);
  });
});
