/**
 * Helpers for the committed NumPy reference vectors (see make_vectors.py):
 * loading JSON, decoding the encoded arrays, and comparing floats in ulps.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const DATA_DIR = path.dirname(fileURLToPath(import.meta.url));

export function loadJson<T>(name: string): T {
  return JSON.parse(readFileSync(path.join(DATA_DIR, name), 'utf8')) as T;
}

/** An array as make_vectors.py encodes it. */
export interface Encoded {
  shape: number[];
  dtype: 'float64' | 'int64';
  b64?: string;
  ints?: number[];
  sha256?: string;
}

function bytesOf(b64: string): Uint8Array {
  const buf = Buffer.from(b64, 'base64');
  // Copy into a fresh, 8-byte-aligned ArrayBuffer.
  return new Uint8Array(buf);
}

export function decodeFloats(e: Encoded): Float64Array {
  const bytes = bytesOf(e.b64!);
  return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
}

/** Integer payload as exact BigInts (works for both the `ints` and `b64` forms). */
export function decodeInts(e: Encoded): BigInt64Array {
  if (e.ints) return BigInt64Array.from(e.ints, (x) => BigInt(x));
  const bytes = bytesOf(e.b64!);
  return new BigInt64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
}

export function sha256Float64(data: Float64Array): string {
  return createHash('sha256').update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)).digest('hex');
}

/** SHA-256 of values written as little-endian int64 (the platform is little-endian). */
export function sha256Int64(data: ArrayLike<number>): string {
  return createHash('sha256').update(new Uint8Array(BigInt64Array.from(Array.from(data), (x) => BigInt(x)).buffer)).digest('hex');
}

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** Monotone integer key of a double: adjacent doubles differ by 1. */
function orderedBits(x: number): bigint {
  f64[0] = x;
  const b = i64[0];
  return b >= 0n ? b : -(2n ** 63n) - b;
}

/** Distance in units in the last place between two doubles (0 when bit-identical). */
export function ulpDistance(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  const d = orderedBits(a) - orderedBits(b);
  return Number(d < 0n ? -d : d);
}

/** JSON call argument: a number, a list, or {big: "..."} for integers beyond 2**53. */
export type JsonArg = number | { big: string } | JsonArg[];

export function isBig(a: JsonArg): a is { big: string } {
  return typeof a === 'object' && !Array.isArray(a) && 'big' in a;
}

/** Size of one unit in the last place at |x| (spacing to the next larger double). */
export function ulpOf(x: number): number {
  f64[0] = Math.abs(x);
  i64[0] += 1n;
  return f64[0] - Math.abs(x);
}
