import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NpyError, readNpy, writeNpy } from '../grader/fixtures/npy.ts';
import { type NDArray, ndarray, scalar } from '../grader/fixtures/ndarray.ts';
import { RandomState } from '../grader/fixtures/numpy-random.ts';
import { DATA_DIR, type Encoded, decodeFloats, decodeInts, loadJson } from './data/numpy/vectors.ts';

interface Manifest {
  numpy_version: string;
  files: { file: string; note: string; expect?: Encoded; error?: string }[];
}

const M = loadJson<Manifest>('npy/manifest.json');
const fileBytes = (name: string) => new Uint8Array(readFileSync(path.join(DATA_DIR, 'npy', name)));

function expectSameArray(got: NDArray, want: Encoded) {
  expect(got.shape).toEqual(want.shape);
  expect(got.dtype).toBe(want.dtype);
  const values = want.dtype === 'int64' ? Array.from(decodeInts(want), Number) : Array.from(decodeFloats(want));
  expect(got.data.length).toBe(values.length);
  values.forEach((v, i) => expect(Object.is(got.data[i], v), `[${i}] ${got.data[i]} vs ${v}`).toBe(true));
}

/** Build a .npy file by hand: header dict text, version and payload. */
function handmade(header: string, payload: Uint8Array = new Uint8Array(), major = 1): Uint8Array {
  const lenBytes = major === 1 ? 2 : 4;
  let text = header;
  while ((8 + lenBytes + text.length + 1) % 64 !== 0) text += ' ';
  text += '\n';
  const out = new Uint8Array(8 + lenBytes + text.length + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  out.set(new TextEncoder().encode(text), 8 + lenBytes);
  out.set(payload, 8 + lenBytes + text.length);
  return out;
}

function errorOf(f: () => unknown): NpyError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(NpyError);
    return e as NpyError;
  }
  throw new Error('expected an NpyError');
}

describe(`readNpy on files written by NumPy ${M.numpy_version}`, () => {
  for (const entry of M.files.filter((f) => f.expect)) {
    it(`${entry.file} (${entry.note})`, () => {
      expectSameArray(readNpy(fileBytes(entry.file), entry.file), entry.expect!);
    });
  }

  it('reads from a view into a larger buffer (Buffer slices, byteOffset != 0)', () => {
    const file = fileBytes('f8.npy');
    const big = Buffer.concat([Buffer.from('junk!'), Buffer.from(file)]).subarray(5);
    expectSameArray(readNpy(big), M.files.find((f) => f.file === 'f8.npy')!.expect!);
  });

  it('fortran_order True is converted to C order', () => {
    const a = readNpy(fileBytes('fortran_f8.npy'));
    expect(a.shape).toEqual([2, 3, 4]);
    expect(Array.from(a.data)).toEqual(Array.from({ length: 24 }, (_, i) => i * 1.5));
  });
});

describe('writeNpy', () => {
  const numpyLayout = M.files.filter((f) => f.expect && /^(f8|i8|scalar_.*|empty|randn_seed0|arange_i8)\.npy$/.test(f.file));
  for (const entry of numpyLayout) {
    it(`reproduces np.save byte for byte: ${entry.file}`, () => {
      const bytes = fileBytes(entry.file);
      expect(Buffer.from(writeNpy(readNpy(bytes))).equals(Buffer.from(bytes))).toBe(true);
    });
  }

  it('writes randn(3, 2) at seed 0 exactly as np.save does', () => {
    const a = new RandomState(0).randn(3, 2);
    expect(Buffer.from(writeNpy(a)).equals(Buffer.from(fileBytes('randn_seed0.npy')))).toBe(true);
  });

  it('header is padded to a multiple of 64 bytes and ends with a newline', () => {
    for (const shape of [[], [1], [12345678], [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const bytes = writeNpy(ndarray(new Float64Array(n > 1000 ? 0 : n), n > 1000 ? [0] : shape));
      const headerLen = new DataView(bytes.buffer).getUint16(8, true);
      expect((10 + headerLen) % 64).toBe(0);
      expect(bytes[10 + headerLen - 1]).toBe(0x0a);
    }
  });

  const cases: [string, NDArray][] = [
    ['0-d float', scalar(-2.5)],
    ['0-d int', scalar(7, 'int64')],
    ['empty', ndarray([], [0])],
    ['empty 2-d', ndarray([], [3, 0], 'int64')],
    ['special floats', ndarray([NaN, Infinity, -Infinity, -0, 5e-324, 1.7976931348623157e308], [6])],
    ['int64 extremes', ndarray([2 ** 53, -(2 ** 53), 0, -1], [2, 2], 'int64')],
    ['4-d randn', new RandomState(1).randn(2, 3, 1, 4)],
    ['randint', new RandomState(1).randint(-1000, 1000, [5, 7])],
  ];
  for (const [name, a] of cases) {
    it(`round trips ${name}`, () => {
      const back = readNpy(writeNpy(a));
      expect(back.shape).toEqual(a.shape);
      expect(back.dtype).toBe(a.dtype);
      a.data.forEach((v, i) => expect(Object.is(back.data[i], v)).toBe(true));
    });
  }

  it('refuses non-integer values in an int64 array', () => {
    expect(() => writeNpy(ndarray([1.5], [1], 'int64'))).toThrow(/int64 array holds a non-integer value 1.5 at flat index 0/);
  });

  it("writes a float32 array as '<f4' byte for byte like np.save (f4.npy)", () => {
    const bytes = fileBytes('f4.npy');
    const read = readNpy(bytes);
    expect(Buffer.from(writeNpy(ndarray(read.data, read.shape, 'float32'))).equals(Buffer.from(bytes))).toBe(true);
  });

  it('float32 arrays read back with the same values (widened to float64, as every float file is)', () => {
    const a = ndarray([0.1, -2.5, NaN, Infinity, -0, 1e-45, 3.4028234663852886e38].map(Math.fround), [7], 'float32');
    const back = readNpy(writeNpy(a));
    expect(back.shape).toEqual([7]);
    expect(back.dtype).toBe('float64');
    a.data.forEach((v, i) => expect(Object.is(back.data[i], v)).toBe(true));
  });

  it('refuses values that are not float32 in a float32 array', () => {
    expect(() => writeNpy(ndarray([1, 0.1], [2], 'float32'))).toThrow(/float32 array holds 0.1 at flat index 1, which is not a float32 value/);
  });
});

describe('readNpy errors', () => {
  for (const entry of M.files.filter((f) => f.error)) {
    it(`${entry.file}: ${entry.error}`, () => {
      const e = errorOf(() => readNpy(fileBytes(entry.file), `fixtures/${entry.file}`));
      expect(e.message.startsWith(`fixtures/${entry.file}: `)).toBe(true);
      expect(e.message).toContain(entry.error!);
    });
  }

  it('complex: names the dtype and lists the supported ones', () => {
    const e = errorOf(() => readNpy(fileBytes('complex.npy'), 'fixtures/X.npy'));
    expect(e.message).toBe(
      "fixtures/X.npy: unsupported dtype '<c16' (complex numbers); supported dtypes: '<f8', '<f4', '<f2', '<i8', '<i4', '<i2', '|i1', '<u8', '<u4', '<u2', '|u1', '|b1' (and big-endian '>' forms)",
    );
  });

  it('object arrays are refused because they are pickles', () => {
    expect(() => readNpy(fileBytes('object.npy'))).toThrow(/object arrays \(dtype '\|O'\) hold pickled Python objects and are refused/);
  });

  it('structured arrays name their fields', () => {
    expect(() => readNpy(fileBytes('structured.npy'))).toThrow(/structured dtype with fields \(x, y\) is not supported/);
  });

  it('an .npz archive is recognised and explained', () => {
    const e = errorOf(() => readNpy(fileBytes('archive.npz'), 'fixtures/X.npy'));
    expect(e.message).toBe(
      'fixtures/X.npy: not a .npy file (expected magic \\x93NUMPY, got "PK\\x03\\x04\\x14\\x00\\x00\\x00...");' +
        ' this looks like a zip archive, e.g. an .npz from np.savez: save each array with np.save instead',
    );
    expect(String(e)).toMatch(/^NpyError: fixtures\/X\.npy: not a \.npy file/);
  });

  it('truncated data says how many bytes were expected', () => {
    expect(() => readNpy(fileBytes('truncated.npy'), 'a.npy')).toThrow(
      "a.npy: truncated data: expected 80 bytes of data for shape [10], got 68 ('<f8' is 8 bytes per value); the file was cut short",
    );
  });

  it('int64 values beyond 2**53 are refused instead of silently rounded', () => {
    expect(() => readNpy(fileBytes('huge_i8.npy'))).toThrow(/value 1152921504606846976 at flat index 1 \(dtype '<i8'\) is beyond ±2\*\*53/);
  });

  it('empty, short and text files', () => {
    expect(() => readNpy(new Uint8Array(), 'e.npy')).toThrow('e.npy: not a .npy file (the file is empty)');
    expect(() => readNpy(new TextEncoder().encode('1.0,2.0\n3.0,4.0\n'), 'x.csv')).toThrow(
      'x.csv: not a .npy file (expected magic \\x93NUMPY, got "1.0,2.0\\x0a...")',
    );
    expect(() => readNpy(Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1))).toThrow(/truncated \.npy header/);
  });

  it('unknown format versions', () => {
    const b = handmade("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", new Uint8Array(8));
    b[6] = 4;
    expect(() => readNpy(b)).toThrow('unsupported .npy format version 4.0 (supported: 1.0, 2.0, 3.0)');
  });

  it('malformed headers', () => {
    expect(() => readNpy(handmade("{'descr': '<f8', 'shape': (2,), }"))).toThrow(/missing key 'fortran_order'/);
    expect(() => readNpy(handmade("{'descr': '<f8', 'fortran_order': False, 'shape': (2, -1), }"))).toThrow(/shape must be a tuple of non-negative integers/);
    expect(() => readNpy(handmade("{'descr': '<f8', 'fortran_order': False, 'shape': (2,) "))).toThrow(/malformed \.npy header/);
    expect(() => readNpy(handmade("[1, 2]"))).toThrow(/expected a dict/);
    const bad = handmade("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", new Uint8Array(8));
    new DataView(bad.buffer).setUint16(8, 5000, true);
    expect(() => readNpy(bad)).toThrow(/truncated \.npy header \(header says 5000 bytes/);
  });

  it('hand-written headers: double quotes, Python 2 longs, version 2 and 3, <f2 specials', () => {
    const f2 = new Uint8Array(new Uint16Array([0x3c00, 0xfc00, 0x7e00, 0x0001]).buffer);
    const a = readNpy(handmade('{"descr": "<f2", "fortran_order": False, "shape": (2L, 2L)}', f2));
    expect(Array.from(a.data)).toEqual([1, -Infinity, NaN, 2 ** -24]);
    const v3 = readNpy(handmade("{'descr': '|u1', 'fortran_order': True, 'shape': (2, 3), }", Uint8Array.of(1, 4, 2, 5, 3, 6), 3));
    expect(Array.from(v3.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(v3.dtype).toBe('int64');
  });

  it('errors without a source have no prefix', () => {
    expect(() => readNpy(fileBytes('complex.npy'))).toThrow(/^unsupported dtype '<c16'/);
  });
});
